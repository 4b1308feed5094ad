// op "validate" says what the application controller makes of Applications
// before it syncs anything:
//
//   - "normalized": the spec after util/argo NormalizeApplicationSpec, which the
//     controller writes back to the live Application (a field it drops, such as
//     `directory: {recurse: false}`, then differs from git for ever);
//   - "asRead": the spec as Argo CD's types read it, to compare with;
//   - "conditions": what util/argo ValidatePermissions raises against the
//     Application's AppProject: a source repository the project does not
//     allow, a destination it does not permit (with permitOnlyProjectScopedClusters,
//     only clusters whose Secret names the project), an unknown cluster.
//
// Projects and cluster Secrets are served from the offline installation.
//
//	request:  {"op":"validate","namespace":"argocd","projects":[{...AppProject...}],
//	           "clusterSecrets":[{...v1 Secret...}],"applications":[{...Application...}]}
//	response: {"results":[{"name":"a","asRead":{...},"normalized":{...},
//	           "conditions":[{"type":"InvalidSpecError","message":"..."}],"error":"..."}]}
package main

import (
	"context"
	"fmt"

	argov1alpha1 "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	argoutil "github.com/argoproj/argo-cd/v3/util/argo"
)

type validateRequest struct {
	installation
	Projects     []argov1alpha1.AppProject  `json:"projects"`
	Applications []argov1alpha1.Application `json:"applications"`
}

type validateResult struct {
	Name       string                              `json:"name"`
	AsRead     argov1alpha1.ApplicationSpec        `json:"asRead"`
	Normalized *argov1alpha1.ApplicationSpec       `json:"normalized"`
	Conditions []argov1alpha1.ApplicationCondition `json:"conditions"`
	Error      string                              `json:"error,omitempty"`
}

func runValidate(raw []byte) (any, error) {
	req, err := decode[validateRequest](raw)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	env := req.env(ctx)
	projects := map[string]*argov1alpha1.AppProject{}
	for i := range req.Projects {
		projects[req.Projects[i].Name] = &req.Projects[i]
	}
	out := make([]validateResult, 0, len(req.Applications))
	for i := range req.Applications {
		app := &req.Applications[i]
		r := validateResult{Name: app.Name, AsRead: app.Spec, Normalized: argoutil.NormalizeApplicationSpec(&app.Spec), Conditions: []argov1alpha1.ApplicationCondition{}}
		proj, ok := projects[app.Spec.GetProject()]
		if !ok {
			// The controller's message when the project is missing.
			r.Conditions = append(r.Conditions, argov1alpha1.ApplicationCondition{
				Type:    argov1alpha1.ApplicationConditionInvalidSpecError,
				Message: fmt.Sprintf("Application referencing project %s which does not exist", app.Spec.GetProject()),
			})
			out = append(out, r)
			continue
		}
		conditions, err := argoutil.ValidatePermissions(ctx, &app.Spec, proj, env.db)
		if err != nil {
			r.Error = err.Error()
		}
		r.Conditions = append(r.Conditions, conditions...)
		out = append(out, r)
	}
	return out, nil
}
