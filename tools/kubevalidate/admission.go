// Admission: ValidatingAdmissionPolicies judged by the API server's own plugin
// (k8s.io/apiserver/pkg/admission/plugin/policy/validating), wired the way
// kube-apiserver wires it: policies, bindings and namespaces come from informers
// (over a fake clientset holding exactly what the request gives), bindings are
// matched by the real matcher (namespaceSelector, objectSelector, matchConditions),
// expressions are compiled and evaluated by the real CEL environment with the
// real cost budget, and a denial is the error kube-apiserver would return.
//
// Objects of kinds whose CRD the request also gives are defaulted and pruned
// first, as the API server decodes them before admission. (Over 300 lines: the
// plugin's wiring, the requests it judges and the type checker's schemas are one
// piece of the API server, kept together.)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	k8serrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apiserver/pkg/admission"
	"k8s.io/apiserver/pkg/admission/initializer"
	"k8s.io/apiserver/pkg/admission/plugin/policy/validating"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizerfactory"
	"k8s.io/apiserver/pkg/cel/openapi/resolver"
	"k8s.io/apiserver/pkg/util/compatibility"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/component-base/featuregate"
	"k8s.io/kube-openapi/pkg/validation/spec"
)

type admissionRequest struct {
	Policies   []json.RawMessage `json:"policies"`
	Bindings   []json.RawMessage `json:"bindings"`
	Namespaces []json.RawMessage `json:"namespaces"`
	Requests   []struct {
		ID string `json:"id"`
		// CREATE, UPDATE or DELETE.
		Operation string          `json:"operation"`
		Object    json.RawMessage `json:"object,omitempty"`
		OldObject json.RawMessage `json:"oldObject,omitempty"`
		// Resource is the plural; optional for kinds whose CRD the request gives.
		Resource    string `json:"resource,omitempty"`
		SubResource string `json:"subResource,omitempty"`
		// DryRun is kubectl's --dry-run=server: admission runs, nothing is stored.
		DryRun bool `json:"dryRun,omitempty"`
		User   struct {
			Username string   `json:"username"`
			Groups   []string `json:"groups"`
		} `json:"user"`
	} `json:"requests"`
}

// policyWarning is what kube-apiserver writes to a policy's status.typeChecking: an expression
// that does not type-check against the schema of a kind the policy matches (a misspelled field).
type policyWarning struct {
	Policy   string `json:"policy"`
	FieldRef string `json:"fieldRef"`
	Warning  string `json:"warning"`
}

type admissionVerdict struct {
	ID      string `json:"id"`
	Allowed bool   `json:"allowed"`
	// Message is the error kube-apiserver returns, e.g.
	// `clusters.platform.drydock.dev "x" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: ...`.
	Message string `json:"message,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Code    int32  `json:"code,omitempty"`
}

// resourceOf is the plural and scope of every kind the request knows, by GVK.
type resourceOf map[schema.GroupVersionKind]struct {
	plural     string
	namespaced bool
}

func decodeInto(raw json.RawMessage, into interface{}) error {
	return utiljson.Unmarshal(raw, into)
}

// runAdmission type-checks the policies against the kinds they match and judges every request
// with the policies, bindings and namespaces given.
func runAdmission(req *admissionRequest, versions map[string]*version, kinds resourceOf) ([]admissionVerdict, []policyWarning, error) {
	var objects []runtime.Object
	for _, raw := range req.Namespaces {
		ns := &corev1.Namespace{}
		if err := decodeInto(raw, ns); err != nil {
			return nil, nil, fmt.Errorf("namespace: %w", err)
		}
		// The API server labels every namespace with its own name.
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		ns.Labels[corev1.LabelMetadataName] = ns.Name
		objects = append(objects, ns)
	}
	var policies []*admissionregistrationv1.ValidatingAdmissionPolicy
	for _, raw := range req.Policies {
		p := &admissionregistrationv1.ValidatingAdmissionPolicy{}
		if err := decodeInto(raw, p); err != nil {
			return nil, nil, fmt.Errorf("policy: %w", err)
		}
		defaultPolicy(p)
		objects = append(objects, p)
		policies = append(policies, p)
	}
	for _, raw := range req.Bindings {
		b := &admissionregistrationv1.ValidatingAdmissionPolicyBinding{}
		if err := decodeInto(raw, b); err != nil {
			return nil, nil, fmt.Errorf("binding: %w", err)
		}
		defaultBinding(b)
		objects = append(objects, b)
	}

	client := fake.NewSimpleClientset(objects...)
	factory := informers.NewSharedInformerFactory(client, 0)
	stop := make(chan struct{})
	defer close(stop)

	mapper := meta.NewDefaultRESTMapper(nil)
	for gvk, r := range kinds {
		scope := meta.RESTScopeRoot
		if r.namespaced {
			scope = meta.RESTScopeNamespace
		}
		mapper.AddSpecific(gvk, gvk.GroupVersion().WithResource(r.plural), gvk.GroupVersion().WithResource(strings.ToLower(gvk.Kind)), scope)
	}

	// What kube-apiserver's policy status controller does with every policy
	// (k8s.io/apiserver validatingadmissionpolicy status controller): type-check each
	// expression against the schema of every kind the policy matches.
	checker := &validating.TypeChecker{SchemaResolver: crdSchemas{versions}, RestMapper: mapper}
	warnings := []policyWarning{}
	for _, p := range policies {
		for _, w := range checker.Check(p) {
			warnings = append(warnings, policyWarning{Policy: p.Name, FieldRef: w.FieldRef, Warning: strings.TrimSpace(w.Warning)})
		}
	}

	plugin := validating.NewPlugin(nil)
	initializer.New(
		client,
		dynamicfake.NewSimpleDynamicClient(runtime.NewScheme()),
		factory,
		authorizerfactory.NewAlwaysAllowAuthorizer(),
		featuregate.NewFeatureGate(),
		compatibility.DefaultBuildEffectiveVersion(),
		stop,
		mapper,
	).Initialize(plugin)
	if err := plugin.ValidateInitialization(); err != nil {
		return nil, nil, fmt.Errorf("admission plugin: %w", err)
	}
	factory.Start(stop)
	factory.WaitForCacheSync(stop)
	// Ready once the namespaces are listed and the policy source has compiled every bound
	// policy (it lists before it compiles, and everything is in the clientset from the start).
	if !plugin.WaitForReady() {
		return nil, nil, errors.New("admission plugin: policies never synced")
	}

	scheme := runtime.NewScheme()
	ifaces := admission.NewObjectInterfacesFromScheme(scheme)
	out := []admissionVerdict{}
	for _, r := range req.Requests {
		v := admissionVerdict{ID: r.ID}
		attrs, err := attributesFor(r.Operation, r.Object, r.OldObject, r.Resource, r.SubResource, r.DryRun, r.User.Username, r.User.Groups, versions, kinds)
		if err != nil {
			v.Message = "cannot build the request: " + err.Error()
			out = append(out, v)
			continue
		}
		err = plugin.Validate(context.Background(), attrs, ifaces)
		if err == nil {
			v.Allowed = true
		} else {
			v.Message = err.Error()
			var status k8serrors.APIStatus
			if errors.As(err, &status) {
				v.Reason = string(status.Status().Reason)
				v.Code = status.Status().Code
			}
		}
		out = append(out, v)
	}
	return out, warnings, nil
}

// crdSchemas resolves a kind to the OpenAPI schema its CRD publishes: the structural schema
// with metadata described as ObjectMeta (the fields policies read), as the API server's
// OpenAPI for a CRD does.
type crdSchemas struct{ versions map[string]*version }

func (c crdSchemas) ResolveSchema(gvk schema.GroupVersionKind) (*spec.Schema, error) {
	v, ok := c.versions[gvk.Group+"/"+gvk.Version+", Kind="+gvk.Kind]
	if !ok {
		return nil, fmt.Errorf("%w: %s", resolver.ErrSchemaNotFound, gvk)
	}
	s := v.structural.ToKubeOpenAPI()
	str := *spec.StringProperty()
	stringMap := *spec.MapProperty(spec.StringProperty())
	s.Properties["apiVersion"] = str
	s.Properties["kind"] = str
	s.Properties["metadata"] = spec.Schema{SchemaProps: spec.SchemaProps{
		Type: []string{"object"},
		Properties: map[string]spec.Schema{
			"name": str, "generateName": str, "namespace": str, "uid": str, "resourceVersion": str,
			"labels": stringMap, "annotations": stringMap,
			"finalizers": *spec.ArrayProperty(spec.StringProperty()),
		},
	}}
	return s, nil
}

func attributesFor(operation string, objRaw, oldRaw json.RawMessage, resource, subresource string, dryRun bool, username string, groups []string,
	versions map[string]*version, kinds resourceOf) (admission.Attributes, error) {
	var obj, old *unstructured.Unstructured
	for _, p := range []struct {
		raw  json.RawMessage
		into **unstructured.Unstructured
	}{{objRaw, &obj}, {oldRaw, &old}} {
		if len(p.raw) == 0 || string(p.raw) == "null" {
			continue
		}
		m := map[string]interface{}{}
		if err := utiljson.Unmarshal(p.raw, &m); err != nil {
			return nil, err
		}
		u := &unstructured.Unstructured{Object: m}
		decodeAsServer(u, versions)
		*p.into = u
	}
	subject := obj
	if subject == nil {
		subject = old
	}
	if subject == nil {
		return nil, errors.New("a request needs an object or an old object")
	}
	gvk := subject.GroupVersionKind()
	if resource == "" {
		r, ok := kinds[gvk]
		if !ok {
			return nil, fmt.Errorf("no resource known for %s: give one", gvk)
		}
		resource = r.plural
	}
	op := admission.Operation(operation)
	switch op {
	case admission.Create, admission.Update, admission.Delete, admission.Connect:
	default:
		return nil, fmt.Errorf("operation %q: use CREATE, UPDATE or DELETE", operation)
	}
	var objArg, oldArg runtime.Object
	if obj != nil {
		objArg = obj
	}
	if old != nil {
		oldArg = old
	}
	var options runtime.Object
	switch op {
	case admission.Create:
		options = &metav1.CreateOptions{}
	case admission.Update:
		options = &metav1.UpdateOptions{}
	case admission.Delete:
		options = &metav1.DeleteOptions{}
	}
	return admission.NewAttributesRecord(objArg, oldArg, gvk, subject.GetNamespace(), subject.GetName(),
		gvk.GroupVersion().WithResource(resource), subresource, op, options, dryRun,
		&user.DefaultInfo{Name: username, Groups: groups}), nil
}

// decodeAsServer defaults and prunes an object of a kind with a known schema, as the API
// server does when it decodes a request, so policies see what they would see in a cluster.
func decodeAsServer(u *unstructured.Unstructured, versions map[string]*version) {
	gvk := u.GroupVersionKind()
	v, ok := versions[gvk.Group+"/"+gvk.Version+", Kind="+gvk.Kind]
	if !ok {
		return
	}
	structuraldefaulting.Default(u.Object, v.structural)
	structuralpruning.PruneWithOptions(u.Object, v.structural, true, structuralschema.UnknownFieldPathOptions{})
}

// defaultPolicy applies the API server's defaults for admissionregistration/v1 policies
// (k8s.io/kubernetes/pkg/apis/admissionregistration/v1/defaults.go): failurePolicy Fail,
// matchPolicy Equivalent, empty namespace and object selectors.
func defaultPolicy(p *admissionregistrationv1.ValidatingAdmissionPolicy) {
	if p.Spec.FailurePolicy == nil {
		f := admissionregistrationv1.Fail
		p.Spec.FailurePolicy = &f
	}
	if p.Spec.MatchConstraints != nil {
		defaultMatchResources(p.Spec.MatchConstraints)
	}
}

func defaultBinding(b *admissionregistrationv1.ValidatingAdmissionPolicyBinding) {
	if b.Spec.MatchResources != nil {
		defaultMatchResources(b.Spec.MatchResources)
	}
}

func defaultMatchResources(m *admissionregistrationv1.MatchResources) {
	if m.MatchPolicy == nil {
		e := admissionregistrationv1.Equivalent
		m.MatchPolicy = &e
	}
	if m.NamespaceSelector == nil {
		m.NamespaceSelector = &metav1.LabelSelector{}
	}
	if m.ObjectSelector == nil {
		m.ObjectSelector = &metav1.LabelSelector{}
	}
	for i := range m.ResourceRules {
		if m.ResourceRules[i].Scope == nil {
			s := admissionregistrationv1.AllScopes
			m.ResourceRules[i].Scope = &s
		}
	}
}
