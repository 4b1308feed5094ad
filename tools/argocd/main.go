// Command argocd evaluates Argo CD behaviour offline, using Argo CD's own code
// (github.com/argoproj/argo-cd/v3, pinned in go.mod) as a library.
//
// Protocol: one JSON request on stdin, one JSON response on stdout. The exit
// status is 0 whenever a response was written (per-item failures are reported
// in that item's "error" field) and 2 when the request cannot be read.
//
// op "health" runs resource health Lua scripts exactly as Argo CD runs
// resource.customizations.health.<group_kind> (util/lua ResourceHealthOverrides
// through gitops-engine's health.GetResourceHealth, standard libraries off
// unless "useOpenLibs" is true, 1s timeout). An empty "script" evaluates Argo
// CD's built-in health check for the object instead.
//
//	request:  {"op":"health","cases":[{"id":"a","script":"<lua>","object":{...},"useOpenLibs":false}]}
//	response: {"results":[{"id":"a","status":"Healthy","message":"...","error":"..."}]}
//
// "status" is what Argo CD reports (Healthy, Progressing, Degraded, Suspended,
// Missing, Unknown, or "" when the script returns nil or {}). A failing script
// gives status "Unknown", the Lua error as "message" and the wrapped error in
// "error".
//
// op "applicationset" renders ApplicationSets into Applications with the
// ApplicationSet controller's own template.GenerateApplications, backed by the
// List and Clusters generators and Matrix/Merge over them. The given cluster
// Secrets are served by fake Kubernetes clients in the Argo CD namespace
// ("namespace", default "argocd"; Secrets and ApplicationSets without a
// namespace are put there). As in Argo CD, the local "in-cluster" is added when
// no Secret has server https://kubernetes.default.svc.
//
//	request:  {"op":"applicationset","namespace":"argocd",
//	           "applicationSets":[{...ApplicationSet...}],"clusterSecrets":[{...v1 Secret...}]}
//	response: {"results":[{"applicationSet":"name","applications":[{...Application...}],"error":"..."}]}
//
// Applications are normalized like the controller does before writing them
// (util/argo NormalizeApplicationSpec) and carry apiVersion/kind; owner
// references and status are not set. "error" holds Argo CD's own message.
// A generation or template error (e.g. missingkey=error) leaves "applications"
// empty, since the controller then changes nothing; Applications sharing a
// duplicated name are dropped with the controller's message, the rest kept.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/argoproj/gitops-engine/pkg/health"
	log "github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	k8sfake "k8s.io/client-go/kubernetes/fake"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crfake "sigs.k8s.io/controller-runtime/pkg/client/fake"

	apptemplate "github.com/argoproj/argo-cd/v3/applicationset/controllers/template"
	"github.com/argoproj/argo-cd/v3/applicationset/generators"
	"github.com/argoproj/argo-cd/v3/applicationset/utils"
	argov1alpha1 "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	argoutil "github.com/argoproj/argo-cd/v3/util/argo"
	"github.com/argoproj/argo-cd/v3/util/lua"
)

type request struct {
	Op              string            `json:"op"`
	Cases           []healthCase      `json:"cases"`
	Namespace       string            `json:"namespace"`
	ApplicationSets []json.RawMessage `json:"applicationSets"`
	ClusterSecrets  []corev1.Secret   `json:"clusterSecrets"`
}

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
	Error   string `json:"error,omitempty"`
}

type appSetResult struct {
	ApplicationSet string           `json:"applicationSet"`
	Applications   []map[string]any `json:"applications"`
	Error          string           `json:"error,omitempty"`
}

func main() {
	// Argo CD logs through logrus; keep stdout/stderr clean unless debugging.
	log.SetOutput(io.Discard)
	if os.Getenv("ARGOCD_TOOL_DEBUG") != "" {
		log.SetOutput(os.Stderr)
		log.SetLevel(log.DebugLevel)
	}

	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fail("unreadable request: %v", err)
	}
	var results any
	switch req.Op {
	case "health":
		results = runHealth(req.Cases)
	case "applicationset":
		results = runAppSets(req)
	default:
		fail("unknown op %q (want \"health\" or \"applicationset\")", req.Op)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"results": results}); err != nil {
		fail("writing response: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "argocd-tool: "+format+"\n", args...)
	os.Exit(2)
}

// ---- health ----

func runHealth(cases []healthCase) []healthResult {
	out := make([]healthResult, 0, len(cases))
	for _, c := range cases {
		r := healthResult{ID: c.ID}
		// k8s.io/apimachinery's JSON decoding keeps integers as int64, like the
		// objects Argo CD reads from the cluster cache.
		var obj map[string]any
		if err := utiljson.Unmarshal(c.Object, &obj); err != nil || obj == nil {
			r.Status, r.Error = string(health.HealthStatusUnknown), fmt.Sprintf("object is not a JSON object: %v", err)
			out = append(out, r)
			continue
		}
		un := &unstructured.Unstructured{Object: obj}
		overrides := lua.ResourceHealthOverrides{}
		if c.Script != "" {
			overrides[lua.GetConfigMapKey(un.GroupVersionKind())] = argov1alpha1.ResourceOverride{
				HealthLua:   c.Script,
				UseOpenLibs: c.UseOpenLibs,
			}
		}
		hs, err := health.GetResourceHealth(un, overrides)
		if hs != nil {
			r.Status, r.Message = string(hs.Status), hs.Message
		} else if err == nil {
			r.Error = "Argo CD has no health check for " + lua.GetConfigMapKey(un.GroupVersionKind())
		}
		if err != nil {
			r.Error = err.Error()
			if hs == nil {
				r.Status = string(health.HealthStatusUnknown)
			}
		}
		out = append(out, r)
	}
	return out
}

// ---- applicationset ----

// unsupported stands in for generators that need external services (Git, SCM,
// pull requests, plugins, duck types), so they fail with a clear error instead
// of a nil-pointer panic inside Argo CD's generator dispatch.
type unsupported struct{ name string }

func (u unsupported) GenerateParams(*argov1alpha1.ApplicationSetGenerator, *argov1alpha1.ApplicationSet, client.Client) ([]map[string]any, error) {
	return nil, fmt.Errorf("generator %q is not supported by this offline tool", u.name)
}
func (u unsupported) GetRequeueAfter(*argov1alpha1.ApplicationSetGenerator) time.Duration {
	return generators.NoRequeueAfter
}
func (u unsupported) GetTemplate(*argov1alpha1.ApplicationSetGenerator) *argov1alpha1.ApplicationSetTemplate {
	return &argov1alpha1.ApplicationSetTemplate{}
}

// buildGenerators mirrors generators.GetGenerators with the offline subset.
func buildGenerators(ctx context.Context, c client.Client, secrets []runtime.Object, ns string) map[string]generators.Generator {
	terminal := map[string]generators.Generator{
		"List":     generators.NewListGenerator(),
		"Clusters": generators.NewClusterGenerator(ctx, c, k8sfake.NewSimpleClientset(secrets...), ns),
	}
	for _, name := range []string{"Git", "SCMProvider", "ClusterDecisionResource", "PullRequest", "Plugin"} {
		terminal[name] = unsupported{name}
	}
	nested := map[string]generators.Generator{
		"Matrix": generators.NewMatrixGenerator(terminal),
		"Merge":  generators.NewMergeGenerator(terminal),
	}
	top := map[string]generators.Generator{
		"Matrix": generators.NewMatrixGenerator(nested),
		"Merge":  generators.NewMergeGenerator(nested),
	}
	for k, g := range terminal {
		nested[k], top[k] = g, g
	}
	return top
}

func runAppSets(req request) []appSetResult {
	ns := req.Namespace
	if ns == "" {
		ns = "argocd"
	}
	objs := make([]client.Object, 0, len(req.ClusterSecrets))
	rtObjs := make([]runtime.Object, 0, len(req.ClusterSecrets))
	for i := range req.ClusterSecrets {
		s := req.ClusterSecrets[i].DeepCopy()
		if s.Namespace == "" {
			s.Namespace = ns
		}
		// The API server folds stringData into data; do the same.
		if len(s.StringData) > 0 {
			if s.Data == nil {
				s.Data = map[string][]byte{}
			}
			for k, v := range s.StringData {
				s.Data[k] = []byte(v)
			}
			s.StringData = nil
		}
		objs = append(objs, s)
		rtObjs = append(rtObjs, s.DeepCopy())
	}
	c := crfake.NewClientBuilder().WithScheme(clientgoscheme.Scheme).WithObjects(objs...).Build()
	ctx := context.Background()
	gens := buildGenerators(ctx, c, rtObjs, ns)
	renderer := &utils.Render{}

	out := make([]appSetResult, 0, len(req.ApplicationSets))
	for _, raw := range req.ApplicationSets {
		out = append(out, renderAppSet(raw, ns, gens, renderer, c))
	}
	return out
}

// renderAppSet does what one ApplicationSet reconcile does up to writing the
// Applications. Panics inside Argo CD's code are reported as errors, as the
// controller's Reconcile recovers them too.
func renderAppSet(raw json.RawMessage, ns string, gens map[string]generators.Generator, renderer utils.Renderer, c client.Client) (r appSetResult) {
	r = appSetResult{Applications: []map[string]any{}}
	defer func() {
		if p := recover(); p != nil {
			r.Applications, r.Error = []map[string]any{}, fmt.Sprintf("panic in Argo CD ApplicationSet code: %v", p)
		}
	}()
	var appSet argov1alpha1.ApplicationSet
	if err := json.Unmarshal(raw, &appSet); err != nil {
		var meta struct {
			Metadata struct{ Name string } `json:"metadata"`
		}
		_ = json.Unmarshal(raw, &meta)
		r.ApplicationSet, r.Error = meta.Metadata.Name, fmt.Sprintf("invalid ApplicationSet: %v", err)
		return r
	}
	r.ApplicationSet = appSet.Name
	if appSet.Namespace == "" {
		appSet.Namespace = ns
	}
	logCtx := log.WithField("applicationset", appSet.Name)
	apps, _, err := apptemplate.GenerateApplications(logCtx, appSet, gens, renderer, c)
	if err != nil {
		// The controller stops here: it records the error and changes no Application.
		r.Error = err.Error()
		return r
	}
	// Like validateGeneratedApplications: a duplicated name invalidates every
	// Application carrying it (they share one qualified name).
	count := map[string]int{}
	for _, app := range apps {
		count[app.Name]++
	}
	var errs []string
	for i := range apps {
		app := apps[i]
		if n := count[app.Name]; n != 1 {
			if n > 1 {
				errs = append(errs, fmt.Sprintf("ApplicationSet %s contains applications with duplicate name: %s", appSet.Name, app.Name))
				count[app.Name] = 0
			}
			continue
		}
		app.Spec = *argoutil.NormalizeApplicationSpec(&app.Spec)
		app.APIVersion, app.Kind = "argoproj.io/v1alpha1", "Application"
		m, err := toMap(&app)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		r.Applications = append(r.Applications, m)
	}
	r.Error = strings.Join(errs, "; ")
	return r
}

// toMap turns an Application into plain JSON, dropping the empty status and
// the null creationTimestamp that the Go types always serialize.
func toMap(app *argov1alpha1.Application) (map[string]any, error) {
	b, err := json.Marshal(app)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	delete(m, "status")
	if md, ok := m["metadata"].(map[string]any); ok && md["creationTimestamp"] == nil {
		delete(md, "creationTimestamp")
	}
	return m, nil
}
