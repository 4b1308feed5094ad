// The world a "rollingsync" request runs in (rollingsync.go): fake clients holding the
// ApplicationSet, its Applications, the cluster Secrets and the AppProjects, and a simulated
// application controller that performs the syncs the ApplicationSet controller requests.
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
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	argov1alpha1 "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
)

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
