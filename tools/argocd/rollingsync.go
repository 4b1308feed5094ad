// op "rollingsync" runs the ApplicationSet controller's own Reconcile
// (applicationset/controllers, progressive syncs on) against a simulated
// application controller, so a test sees which Applications RollingSync
// syncs, in which order, and which it holds back.
//
// The world lives in fake Kubernetes clients: the ApplicationSet, the
// Applications it writes, its status (where RollingSync keeps each
// Application's step and progress), the cluster Secrets and the AppProjects.
// A round is one Reconcile followed by one pass of the simulated application
// controller, which:
//   - performs a sync the ApplicationSet controller requested (an Application
//     with `operation` set): the Application becomes Synced at its current
//     revision, with the health its cluster's outcome says ("Healthy" by
//     default, or e.g. "Degraded" for a broken cluster), and the sync is
//     recorded;
//   - otherwise compares the Application with its last sync: a changed spec
//     makes it OutOfSync at a new revision (the revision is a digest of the
//     spec, as a new chart version or commit would be); a never-synced one is
//     OutOfSync and Missing.
//
// Each phase replaces the cluster Secrets (and the ApplicationSet, when one is
// given) and runs rounds until nothing changes any more (or maxRounds).
//
//	request:  {"op":"rollingsync","namespace":"argocd","projects":[{...AppProject...}],"maxRounds":40,
//	           "phases":[{"name":"p","applicationSet":{...},"clusterSecrets":[...],"outcomes":{"<cluster>":"Degraded"}}]}
//	response: {"results":[{"name":"p","rounds":7,"settled":true,"syncs":[{"round":1,"application":"a"}],
//	           "applications":[{"name":"a","cluster":"c","labels":{...},"sync":"Synced","health":"Healthy",
//	                            "rollout":"Healthy","step":"1"}],"error":"..."}]}
package main

import (
	"context"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/record"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crfake "sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/argoproj/argo-cd/v3/applicationset/controllers"
	appsetmetrics "github.com/argoproj/argo-cd/v3/applicationset/metrics"
	"github.com/argoproj/argo-cd/v3/applicationset/utils"
	argov1alpha1 "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
)

type rollingSyncPhase struct {
	Name           string            `json:"name"`
	ApplicationSet json.RawMessage   `json:"applicationSet"`
	ClusterSecrets []corev1.Secret   `json:"clusterSecrets"`
	Outcomes       map[string]string `json:"outcomes"`
}

type rollingSyncRequest struct {
	Namespace string                    `json:"namespace"`
	Projects  []argov1alpha1.AppProject `json:"projects"`
	Phases    []rollingSyncPhase        `json:"phases"`
	MaxRounds int                       `json:"maxRounds"`
}

type syncEvent struct {
	Round       int    `json:"round"`
	Application string `json:"application"`
}

type appOutcome struct {
	Name    string            `json:"name"`
	Cluster string            `json:"cluster"`
	Labels  map[string]string `json:"labels"`
	Sync    string            `json:"sync"`
	Health  string            `json:"health"`
	Rollout string            `json:"rollout"`
	Step    string            `json:"step"`
}

type phaseResult struct {
	Name         string       `json:"name"`
	Rounds       int          `json:"rounds"`
	Settled      bool         `json:"settled"`
	Syncs        []syncEvent  `json:"syncs"`
	Applications []appOutcome `json:"applications"`
	Error        string       `json:"error,omitempty"`
}

// ownerIndex is the index the controller lists an ApplicationSet's
// Applications by (its SetupWithManager registers the same).
func ownerIndex(o client.Object) []string {
	owner := metav1.GetControllerOf(o)
	if owner == nil || owner.Kind != "ApplicationSet" || owner.APIVersion != argov1alpha1.SchemeGroupVersion.String() {
		return nil
	}
	return []string{owner.Name}
}

func runRollingSync(raw []byte) (any, error) {
	req, err := decode[rollingSyncRequest](raw)
	if err != nil {
		return nil, err
	}
	if len(req.Phases) == 0 || len(req.Phases[0].ApplicationSet) == 0 {
		return nil, fmt.Errorf("the first phase needs an applicationSet")
	}
	if req.MaxRounds == 0 {
		req.MaxRounds = 40
	}
	ctx := context.Background()
	env := newArgoEnv(ctx, req.Namespace, nil, nil)
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := argov1alpha1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	objs := []client.Object{}
	for i := range req.Projects {
		p := req.Projects[i].DeepCopy()
		if p.Namespace == "" {
			p.Namespace = env.ns
		}
		objs = append(objs, p)
	}
	// Applications have no status subresource in Argo CD's CRD; ApplicationSets do.
	c := crfake.NewClientBuilder().WithScheme(scheme).WithObjects(objs...).
		WithStatusSubresource(&argov1alpha1.ApplicationSet{}).
		WithIndex(&argov1alpha1.Application{}, ".metadata.controller", ownerIndex).Build()
	r := &controllers.ApplicationSetReconciler{
		Client:                   c,
		Scheme:                   scheme,
		Recorder:                 &record.FakeRecorder{},
		Generators:               buildGenerators(ctx, c, env),
		ArgoDB:                   env.db,
		KubeClientset:            env.kube,
		Policy:                   argov1alpha1.ApplicationsSyncPolicySync,
		Renderer:                 &utils.Render{},
		ArgoCDNamespace:          env.ns,
		ApplicationSetNamespaces: []string{env.ns},
		EnableProgressiveSyncs:   true,
		Metrics:                  appsetmetrics.NewFakeAppsetMetrics(),
	}
	w := &world{ctx: ctx, c: c, env: env}
	out := []phaseResult{}
	var appSetName string
	for _, ph := range req.Phases {
		res := phaseResult{Name: ph.Name, Syncs: []syncEvent{}}
		if len(ph.ApplicationSet) > 0 {
			name, err := w.putAppSet(ph.ApplicationSet)
			if err != nil {
				res.Error = err.Error()
				out = append(out, res)
				return out, nil
			}
			appSetName = name
		}
		if err := w.putSecrets(ph.ClusterSecrets); err != nil {
			res.Error = err.Error()
			out = append(out, res)
			return out, nil
		}
		last := ""
		for round := 1; round <= req.MaxRounds; round++ {
			res.Rounds = round
			if _, err := r.Reconcile(ctx, ctrl.Request{NamespacedName: types.NamespacedName{Namespace: env.ns, Name: appSetName}}); err != nil {
				res.Error = err.Error()
				break
			}
			synced, err := w.controllerPass(ph.Outcomes)
			if err != nil {
				res.Error = err.Error()
				break
			}
			for _, a := range synced {
				res.Syncs = append(res.Syncs, syncEvent{Round: round, Application: a})
			}
			snap, err := w.snapshot(appSetName)
			if err != nil {
				res.Error = err.Error()
				break
			}
			if len(synced) == 0 && snap == last {
				res.Settled = true
				break
			}
			last = snap
		}
		apps, err := w.outcomes(appSetName)
		if err != nil && res.Error == "" {
			res.Error = err.Error()
		}
		res.Applications = apps
		out = append(out, res)
	}
	return out, nil
}
