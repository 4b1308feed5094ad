// Command kubevalidate checks Kubernetes objects against CustomResourceDefinitions
// with the API server's own code (k8s.io/apiextensions-apiserver): CRD admission
// (schema structure, CEL compilation and cost budget), defaulting, unknown-field
// detection, OpenAPI validation and CEL validation rules.
//
// With an "admission" section it also judges requests with ValidatingAdmissionPolicies,
// by the API server's own admission plugin (admission.go).
//
// It reads one JSON request on stdin and writes one JSON report on stdout:
//
//	request: {"crds": [CRD...], "objects": [{"id": "...", "object": {...}, "old": {...}}],
//	          "admission": {"policies", "bindings", "namespaces",
//	                        "requests": [{"id", "operation", "object", "oldObject", "user": {"username", "groups"}}]}}
//	report:  {"crds": [{"name", "errors"}], "objects": [{"id", "errors"}],
//	          "admission": [{"id", "allowed", "message", "reason", "code"}],
//	          "policyWarnings": [{"policy", "fieldRef", "warning"}]}
//
// It exits 0 whenever it could produce a report; findings are in the report.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	apiextinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	crdvalidation "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/klog/v2"
)

type request struct {
	CRDs    []json.RawMessage `json:"crds"`
	Objects []struct {
		ID string `json:"id"`
		// Objects are decoded as the API server decodes them (k8s.io/apimachinery/pkg/util/json):
		// whole numbers become int64, so integer fields reach CEL as int, not float.
		Object json.RawMessage `json:"object"`
		// Old, when given, makes this an update: transition rules (oldSelf) run.
		Old json.RawMessage `json:"old,omitempty"`
	} `json:"objects"`
	// Admission, when given, judges requests with ValidatingAdmissionPolicies (admission.go).
	Admission *admissionRequest `json:"admission,omitempty"`
}

type finding struct {
	// Message is the API server's own wording, e.g. `spec.region: Required value`.
	Message string `json:"message"`
	Field   string `json:"field"`
	Type    string `json:"type"`
	Detail  string `json:"detail"`
	Value   string `json:"value,omitempty"`
}

type crdReport struct {
	Name   string    `json:"name"`
	Errors []finding `json:"errors"`
}

type objectReport struct {
	ID      string                 `json:"id"`
	Errors  []finding              `json:"errors"`
	Default map[string]interface{} `json:"defaulted,omitempty"`
}

type report struct {
	CRDs      []crdReport        `json:"crds"`
	Objects   []objectReport     `json:"objects"`
	Admission []admissionVerdict `json:"admission,omitempty"`
	// PolicyWarnings are the type-checking findings kube-apiserver reports in a policy's status.
	PolicyWarnings []policyWarning `json:"policyWarnings,omitempty"`
}

// version is everything needed to validate objects of one group/version/kind.
type version struct {
	validator  validation.SchemaValidator
	structural *structuralschema.Structural
	cel        *cel.Validator
	namespaced bool
	gvk        schema.GroupVersionKind
	plural     string
}

func main() {
	// The admission plugin's informers log progress at info level; keep stderr for errors.
	klogFlags := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(klogFlags)
	_ = klogFlags.Set("logtostderr", "false")
	_ = klogFlags.Set("alsologtostderr", "false")
	_ = klogFlags.Set("stderrthreshold", "ERROR")
	klog.SetOutput(io.Discard)

	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "kubevalidate: cannot read request: %v\n", err)
		os.Exit(2)
	}
	rep := report{CRDs: []crdReport{}, Objects: []objectReport{}}
	versions := map[string]*version{}

	for _, raw := range req.CRDs {
		crd := &apiextv1.CustomResourceDefinition{}
		if err := json.Unmarshal(raw, crd); err != nil {
			rep.CRDs = append(rep.CRDs, crdReport{Name: "?", Errors: []finding{{Type: "Invalid", Detail: err.Error()}}})
			continue
		}
		errs := loadCRD(crd, versions)
		rep.CRDs = append(rep.CRDs, crdReport{Name: crd.Name, Errors: toFindings(errs)})
	}

	for _, o := range req.Objects {
		var object, old map[string]interface{}
		if err := utiljson.Unmarshal(o.Object, &object); err != nil {
			rep.Objects = append(rep.Objects, objectReport{ID: o.ID, Errors: []finding{{Type: "Invalid", Detail: err.Error(), Message: "cannot decode object: " + err.Error()}}})
			continue
		}
		if len(o.Old) > 0 {
			if err := utiljson.Unmarshal(o.Old, &old); err != nil {
				rep.Objects = append(rep.Objects, objectReport{ID: o.ID, Errors: []finding{{Type: "Invalid", Detail: err.Error(), Message: "cannot decode old object: " + err.Error()}}})
				continue
			}
		}
		u := &unstructured.Unstructured{Object: object}
		errs, defaulted := validateObject(u, old, versions)
		r := objectReport{ID: o.ID, Errors: toFindings(errs)}
		if len(errs) == 0 {
			r.Default = defaulted
		}
		rep.Objects = append(rep.Objects, r)
	}

	if req.Admission != nil {
		kinds := resourceOf{}
		for _, v := range versions {
			kinds[v.gvk] = struct {
				plural     string
				namespaced bool
			}{v.plural, v.namespaced}
		}
		verdicts, warnings, err := runAdmission(req.Admission, versions, kinds)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kubevalidate: %v\n", err)
			os.Exit(2)
		}
		rep.Admission = verdicts
		rep.PolicyWarnings = warnings
	}

	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(os.Stderr, "kubevalidate: cannot write report: %v\n", err)
		os.Exit(2)
	}
}

// loadCRD runs the API server's CRD admission checks and registers every served version.
func loadCRD(crd *apiextv1.CustomResourceDefinition, versions map[string]*version) field.ErrorList {
	apiextv1.SetObjectDefaults_CustomResourceDefinition(crd)
	internal := &apiextinternal.CustomResourceDefinition{}
	if err := apiextv1.Convert_v1_CustomResourceDefinition_To_apiextensions_CustomResourceDefinition(crd, internal, nil); err != nil {
		return field.ErrorList{field.InternalError(nil, err)}
	}
	// The API server records the storage version on create; admission expects it.
	for _, v := range internal.Spec.Versions {
		if v.Storage {
			internal.Status.StoredVersions = []string{v.Name}
		}
	}
	errs := crdvalidation.ValidateCustomResourceDefinition(context.Background(), internal)

	for _, v := range internal.Spec.Versions {
		if !v.Served {
			continue
		}
		s := internal.Spec.Validation
		if v.Schema != nil {
			s = v.Schema
		}
		if s == nil || s.OpenAPIV3Schema == nil {
			errs = append(errs, field.Required(field.NewPath("spec", "versions").Key(v.Name).Child("schema"), "no schema"))
			continue
		}
		sv, _, err := validation.NewSchemaValidator(s.OpenAPIV3Schema)
		if err != nil {
			errs = append(errs, field.InternalError(nil, err))
			continue
		}
		st, err := structuralschema.NewStructural(s.OpenAPIV3Schema)
		if err != nil {
			errs = append(errs, field.InternalError(nil, err))
			continue
		}
		gvk := internal.Spec.Group + "/" + v.Name + ", Kind=" + internal.Spec.Names.Kind
		versions[gvk] = &version{
			validator:  sv,
			structural: st,
			cel:        cel.NewValidator(st, true, celconfig.PerCallLimit),
			namespaced: internal.Spec.Scope == apiextinternal.NamespaceScoped,
			gvk:        schema.GroupVersionKind{Group: internal.Spec.Group, Version: v.Name, Kind: internal.Spec.Names.Kind},
			plural:     internal.Spec.Names.Plural,
		}
	}
	return errs
}

// validateObject does what the API server does on create: default, prune, validate, run CEL.
func validateObject(u *unstructured.Unstructured, old map[string]interface{}, versions map[string]*version) (field.ErrorList, map[string]interface{}) {
	gvk := u.GroupVersionKind()
	v, ok := versions[gvk.Group+"/"+gvk.Version+", Kind="+gvk.Kind]
	if !ok {
		return field.ErrorList{field.NotFound(field.NewPath("apiVersion"), gvk.String()+" (no schema for this kind)")}, nil
	}
	var errs field.ErrorList
	meta := field.NewPath("metadata")
	if u.GetName() == "" {
		errs = append(errs, field.Required(meta.Child("name"), "every object needs a name"))
	}
	for _, msg := range utilvalidation.IsDNS1123Subdomain(u.GetName()) {
		errs = append(errs, field.Invalid(meta.Child("name"), u.GetName(), msg))
	}
	if v.namespaced && u.GetNamespace() == "" {
		errs = append(errs, field.Required(meta.Child("namespace"), gvk.Kind+" is namespaced"))
	}
	if !v.namespaced && u.GetNamespace() != "" {
		errs = append(errs, field.Invalid(meta.Child("namespace"), u.GetNamespace(), gvk.Kind+" is cluster-scoped"))
	}

	obj := u.DeepCopy().Object
	structuraldefaulting.Default(obj, v.structural)
	unknown := structuralpruning.PruneWithOptions(obj, v.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	sort.Strings(unknown)
	for _, p := range unknown {
		if strings.HasPrefix(p, "metadata.") {
			continue
		}
		// Named as the API server names it under strict field validation (kubectl's default):
		// `strict decoding error: unknown field "spec.cidrBlock"`.
		errs = append(errs, field.Forbidden(field.NewPath(p), fmt.Sprintf("unknown field %q", p)))
	}
	errs = append(errs, validation.ValidateCustomResource(nil, obj, v.validator)...)
	errs = append(errs, listtype.ValidateListSetsAndMaps(nil, v.structural, obj)...)
	var oldObj interface{}
	if old != nil {
		o := (&unstructured.Unstructured{Object: old}).DeepCopy().Object
		structuraldefaulting.Default(o, v.structural)
		oldObj = o
	}
	celErrs, _ := v.cel.Validate(context.Background(), nil, v.structural, obj, oldObj, celconfig.RuntimeCELCostBudget)
	errs = append(errs, celErrs...)
	return errs, obj
}

func toFindings(errs field.ErrorList) []finding {
	out := []finding{}
	for _, e := range errs {
		f := finding{Message: e.Error(), Field: e.Field, Type: string(e.Type), Detail: e.Detail}
		if e.BadValue != nil {
			if b, err := json.Marshal(e.BadValue); err == nil && len(b) < 200 {
				f.Value = string(b)
			}
		}
		out = append(out, f)
	}
	return out
}
