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
	"strings"
	"time"

	log "github.com/sirupsen/logrus"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crfake "sigs.k8s.io/controller-runtime/pkg/client/fake"

	apptemplate "github.com/argoproj/argo-cd/v3/applicationset/controllers/template"
	"github.com/argoproj/argo-cd/v3/applicationset/generators"
	"github.com/argoproj/argo-cd/v3/applicationset/utils"
	argov1alpha1 "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	argoutil "github.com/argoproj/argo-cd/v3/util/argo"
)

type appSetRequest struct {
	installation
	ApplicationSets []json.RawMessage `json:"applicationSets"`
}

type appSetResult struct {
	ApplicationSet string           `json:"applicationSet"`
	Applications   []map[string]any `json:"applications"`
	Error          string           `json:"error,omitempty"`
}

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
func buildGenerators(ctx context.Context, c client.Client, env *argoEnv) map[string]generators.Generator {
	terminal := map[string]generators.Generator{
		"List":     generators.NewListGenerator(),
		"Clusters": generators.NewClusterGenerator(ctx, c, env.kube, env.ns),
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

// controllerClient is the controller-runtime client the ApplicationSet
// controller reads cluster Secrets (and, given a scheme with Argo CD's types,
// Applications) through.
func controllerClient(scheme *runtime.Scheme, env *argoEnv, objs ...client.Object) client.Client {
	for _, s := range env.secrets {
		objs = append(objs, s.DeepCopy())
	}
	return crfake.NewClientBuilder().WithScheme(scheme).WithObjects(objs...).Build()
}

func runAppSets(raw []byte) (any, error) {
	req, err := decode[appSetRequest](raw)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	env := req.env(ctx)
	c := controllerClient(clientgoscheme.Scheme, env)
	gens := buildGenerators(ctx, c, env)
	renderer := &utils.Render{}
	out := make([]appSetResult, 0, len(req.ApplicationSets))
	for _, raw := range req.ApplicationSets {
		out = append(out, renderAppSet(raw, env.ns, gens, renderer, c))
	}
	return out, nil
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
		// A generated Application has no status yet.
		delete(m, "status")
		r.Applications = append(r.Applications, m)
	}
	r.Error = strings.Join(errs, "; ")
	return r
}

// toMap turns an Application into plain JSON, dropping the null
// creationTimestamp that the Go types always serialize.
func toMap(app *argov1alpha1.Application) (map[string]any, error) {
	b, err := json.Marshal(app)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if md, ok := m["metadata"].(map[string]any); ok && md["creationTimestamp"] == nil {
		delete(md, "creationTimestamp")
	}
	return m, nil
}
