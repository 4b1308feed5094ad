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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/argoproj/gitops-engine/pkg/health"
	synccommon "github.com/argoproj/gitops-engine/pkg/sync/common"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
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

type world struct {
	ctx   context.Context
	c     client.Client
	env   *argoEnv
	clock time.Time
}

// now is a clock that only moves forward, a second per call, from the real
// time: the controller stamps its own transitions with the real time.
func (w *world) now() metav1.Time {
	if w.clock.IsZero() || w.clock.Before(time.Now()) {
		w.clock = time.Now()
	}
	w.clock = w.clock.Add(time.Second)
	return metav1.NewTime(w.clock)
}

func (w *world) putAppSet(raw json.RawMessage) (string, error) {
	var as argov1alpha1.ApplicationSet
	if err := json.Unmarshal(raw, &as); err != nil {
		return "", fmt.Errorf("invalid ApplicationSet: %w", err)
	}
	as.Namespace = w.env.ns
	var live argov1alpha1.ApplicationSet
	err := w.c.Get(w.ctx, types.NamespacedName{Namespace: as.Namespace, Name: as.Name}, &live)
	switch {
	case apierrors.IsNotFound(err):
		as.ResourceVersion = ""
		return as.Name, w.c.Create(w.ctx, &as)
	case err != nil:
		return "", err
	}
	live.Spec = as.Spec
	live.Labels, live.Annotations = as.Labels, as.Annotations
	return as.Name, w.c.Update(w.ctx, &live)
}

// putSecrets makes the cluster Secrets exactly the given ones, in both the
// clientset (Argo CD's cluster database) and the controller's client.
func (w *world) putSecrets(secrets []corev1.Secret) error {
	want := newArgoEnv(w.ctx, w.env.ns, nil, secrets).secrets
	keep := map[string]bool{}
	for _, s := range want {
		keep[s.Name] = true
		if _, err := w.env.kube.CoreV1().Secrets(w.env.ns).Get(w.ctx, s.Name, metav1.GetOptions{}); err == nil {
			if _, err := w.env.kube.CoreV1().Secrets(w.env.ns).Update(w.ctx, s.DeepCopy(), metav1.UpdateOptions{}); err != nil {
				return err
			}
			var live corev1.Secret
			if err := w.c.Get(w.ctx, client.ObjectKeyFromObject(s), &live); err != nil {
				return err
			}
			live.Labels, live.Annotations, live.Data = s.Labels, s.Annotations, s.Data
			if err := w.c.Update(w.ctx, &live); err != nil {
				return err
			}
			continue
		}
		if _, err := w.env.kube.CoreV1().Secrets(w.env.ns).Create(w.ctx, s.DeepCopy(), metav1.CreateOptions{}); err != nil {
			return err
		}
		if err := w.c.Create(w.ctx, s.DeepCopy()); err != nil {
			return err
		}
	}
	for _, s := range w.env.secrets {
		if !keep[s.Name] {
			_ = w.env.kube.CoreV1().Secrets(w.env.ns).Delete(w.ctx, s.Name, metav1.DeleteOptions{})
			_ = w.c.Delete(w.ctx, s.DeepCopy())
		}
	}
	w.env.secrets = want
	return nil
}

// revision stands for what the Application's source resolves to: any change
// of its spec is a new revision.
func revision(app *argov1alpha1.Application) string {
	b, _ := json.Marshal(app.Spec.Source)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// controllerPass is the simulated application controller; it returns the
// Applications it synced.
func (w *world) controllerPass(outcomes map[string]string) ([]string, error) {
	var apps argov1alpha1.ApplicationList
	if err := w.c.List(w.ctx, &apps, client.InNamespace(w.env.ns)); err != nil {
		return nil, err
	}
	synced := []string{}
	for i := range apps.Items {
		app := &apps.Items[i]
		rev := revision(app)
		changed := false
		switch {
		case app.Operation != nil:
			now := w.now()
			result := health.HealthStatusHealthy
			if o := outcomes[app.Spec.Destination.Name]; o != "" {
				result = health.HealthStatusCode(o)
			}
			app.Status.OperationState = &argov1alpha1.OperationState{
				Operation:  *app.Operation,
				Phase:      synccommon.OperationSucceeded,
				StartedAt:  now,
				FinishedAt: &now,
				SyncResult: &argov1alpha1.SyncOperationResult{Revision: rev},
			}
			app.Operation = nil
			app.Status.Sync = argov1alpha1.SyncStatus{Status: argov1alpha1.SyncStatusCodeSynced, Revision: rev}
			app.Status.Health = argov1alpha1.AppHealthStatus{Status: result}
			app.Status.ReconciledAt = &now
			synced = append(synced, app.Name)
			changed = true
		case app.Status.Sync.Revision != rev:
			now := w.now()
			app.Status.Sync = argov1alpha1.SyncStatus{Status: argov1alpha1.SyncStatusCodeOutOfSync, Revision: rev}
			if app.Status.Health.Status == "" {
				app.Status.Health = argov1alpha1.AppHealthStatus{Status: health.HealthStatusMissing}
			}
			app.Status.ReconciledAt = &now
			changed = true
		}
		if changed {
			if err := w.c.Update(w.ctx, app); err != nil {
				return nil, fmt.Errorf("updating Application %s: %w", app.Name, err)
			}
		}
	}
	sort.Strings(synced)
	return synced, nil
}

func (w *world) outcomes(appSetName string) ([]appOutcome, error) {
	var apps argov1alpha1.ApplicationList
	if err := w.c.List(w.ctx, &apps, client.InNamespace(w.env.ns)); err != nil {
		return nil, err
	}
	var as argov1alpha1.ApplicationSet
	if err := w.c.Get(w.ctx, types.NamespacedName{Namespace: w.env.ns, Name: appSetName}, &as); err != nil {
		return nil, err
	}
	out := []appOutcome{}
	for _, app := range apps.Items {
		o := appOutcome{Name: app.Name, Cluster: app.Spec.Destination.Name, Labels: app.Labels, Sync: string(app.Status.Sync.Status), Health: string(app.Status.Health.Status)}
		for _, st := range as.Status.ApplicationStatus {
			if st.Application == app.Name {
				o.Rollout, o.Step = st.Status, st.Step
			}
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// snapshot is what a round may change: each Application's spec, labels,
// operation and sync state, and the rollout status the controller keeps.
func (w *world) snapshot(appSetName string) (string, error) {
	apps, err := w.outcomes(appSetName)
	if err != nil {
		return "", err
	}
	var list argov1alpha1.ApplicationList
	if err := w.c.List(w.ctx, &list, client.InNamespace(w.env.ns)); err != nil {
		return "", err
	}
	specs := map[string]any{}
	for _, a := range list.Items {
		specs[a.Name] = []any{a.Spec, a.Operation != nil}
	}
	b, err := json.Marshal([]any{apps, specs})
	return string(b), err
}
