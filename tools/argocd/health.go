// Health, as the application controller and the sync engine decide it.
//
// op "health" runs one Lua script per object exactly as Argo CD runs a
// resource.customizations.health.<group_kind> (util/lua ResourceHealthOverrides
// through gitops-engine's health.GetResourceHealth, standard libraries off
// unless "useOpenLibs" is true, 1s timeout). An empty "script" evaluates
// Argo CD's built-in health check for the object instead.
//
//	request:  {"op":"health","cases":[{"id":"a","script":"<lua>","object":{...},"useOpenLibs":false}]}
//	response: {"results":[{"id":"a","status":"Healthy","message":"...","error":"..."}]}
//
// op "assess" decides health the way a running Argo CD does: the resource
// overrides come from argocd-cm through Argo CD's settings manager (split
// `resource.customizations.health.<group>_<kind>` keys and the legacy
// `resource.customizations` key alike), and util/lua looks a script up in
// that order: a customization for the exact kind, a wildcard customization, a
// built-in script for the kind, a built-in wildcard script; without one,
// gitops-engine's built-in Go checks (Deployment, Service, ...) decide, and
// some kinds have no health at all. "argocdCm" is the ConfigMap before
// "argocdCmPatch", a JSON merge patch applied as `kubectl patch --type merge`
// applies it; the merged ConfigMap is returned.
//
//	request:  {"op":"assess","argocdCm":{...},"argocdCmPatch":{...},"objects":[{"id":"a","object":{...}}]}
//	response: {"results":{"argocdCm":{...},"overrides":["<group>/<kind>",...],
//	           "objects":[{"id":"a","status":"Healthy","message":"...","source":"customization","error":"..."}]}}
//
// "status" is what Argo CD reports (Healthy, Progressing, Degraded, Suspended,
// Missing, Unknown, or "" when the object has no health). "source" says what
// decided it: "customization" (argocd-cm), "built-in script", "built-in check"
// or "none". A failing script gives status "Unknown", the Lua error as
// "message" and the wrapped error in "error".
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/argoproj/gitops-engine/pkg/health"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"

	argov1alpha1 "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/lua"
)

type healthCase struct {
	ID          string          `json:"id"`
	Script      string          `json:"script"`
	Object      json.RawMessage `json:"object"`
	UseOpenLibs bool            `json:"useOpenLibs"`
}

type healthResult struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Source  string `json:"source,omitempty"`
	Error   string `json:"error,omitempty"`
}

// liveObject reads an object as the controller's cluster cache holds it:
// k8s.io/apimachinery's JSON decoding keeps integers as int64.
func liveObject(raw json.RawMessage) (*unstructured.Unstructured, error) {
	var obj map[string]any
	if err := utiljson.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("object is not a JSON object: %v", err)
	}
	return &unstructured.Unstructured{Object: obj}, nil
}

// judge reads one object and lets decide fill in its result; an unreadable
// object is Unknown with the reason.
func judge(id string, raw json.RawMessage, decide func(*healthResult, *unstructured.Unstructured)) healthResult {
	r := healthResult{ID: id}
	un, err := liveObject(raw)
	if err != nil {
		r.Status, r.Error = string(health.HealthStatusUnknown), err.Error()
		return r
	}
	decide(&r, un)
	return r
}

// assessHealth is health.GetResourceHealth with the given overrides, as the
// controller (controller/health.go) and the sync engine call it.
func assessHealth(r *healthResult, un *unstructured.Unstructured, overrides lua.ResourceHealthOverrides) {
	hs, err := health.GetResourceHealth(un, overrides)
	if hs != nil {
		r.Status, r.Message = string(hs.Status), hs.Message
	}
	if err != nil {
		r.Error = err.Error()
		if hs == nil {
			r.Status = string(health.HealthStatusUnknown)
		}
	}
}

func runHealth(raw []byte) (any, error) {
	req, err := decode[struct {
		Cases []healthCase `json:"cases"`
	}](raw)
	if err != nil {
		return nil, err
	}
	out := make([]healthResult, 0, len(req.Cases))
	for _, c := range req.Cases {
		out = append(out, judge(c.ID, c.Object, func(r *healthResult, un *unstructured.Unstructured) {
			overrides := lua.ResourceHealthOverrides{}
			if c.Script != "" {
				overrides[lua.GetConfigMapKey(un.GroupVersionKind())] = argov1alpha1.ResourceOverride{HealthLua: c.Script, UseOpenLibs: c.UseOpenLibs}
			}
			assessHealth(r, un, overrides)
			if r.Status == "" && r.Error == "" {
				r.Error = "Argo CD has no health check for " + lua.GetConfigMapKey(un.GroupVersionKind())
			}
		}))
	}
	return out, nil
}

type assessRequest struct {
	ArgocdCm      *corev1.ConfigMap `json:"argocdCm"`
	ArgocdCmPatch json.RawMessage   `json:"argocdCmPatch"`
	Objects       []struct {
		ID     string          `json:"id"`
		Object json.RawMessage `json:"object"`
	} `json:"objects"`
}

func runAssess(raw []byte) (any, error) {
	req, err := decode[assessRequest](raw)
	if err != nil {
		return nil, err
	}
	cm, err := mergePatched(req.ArgocdCm, req.ArgocdCmPatch)
	if err != nil {
		return nil, err
	}
	env := newArgoEnv(context.Background(), "", cm, nil)
	overrides, err := env.settings.GetResourceOverrides()
	if err != nil {
		return nil, fmt.Errorf("argocd-cm: %w", err)
	}
	keys := []string{}
	for k, o := range overrides {
		if o.HealthLua != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	results := make([]healthResult, 0, len(req.Objects))
	for _, o := range req.Objects {
		results = append(results, judge(o.ID, o.Object, func(r *healthResult, un *unstructured.Unstructured) {
			r.Source = healthSource(un, overrides)
			assessHealth(r, un, lua.ResourceHealthOverrides(overrides))
		}))
	}
	return map[string]any{"argocdCm": cm, "overrides": keys, "objects": results}, nil
}

// healthSource names what decides an object's health, following util/lua's
// own lookup (VM.GetHealthScript) and then gitops-engine's built-in checks.
func healthSource(un *unstructured.Unstructured, overrides map[string]argov1alpha1.ResourceOverride) string {
	script, _, err := lua.VM{ResourceOverrides: overrides}.GetHealthScript(un)
	if err == nil && script != "" {
		for _, o := range overrides {
			if o.HealthLua == script {
				return "customization"
			}
		}
		return "built-in script"
	}
	if health.GetHealthCheckFunc(un.GroupVersionKind()) != nil {
		return "built-in check"
	}
	return "none"
}
