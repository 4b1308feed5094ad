// Reference resolution as provider-upjet-aws does it (crossplane-runtime's namespaced resolver):
// a selector picks managed resources in the same namespace by labels and, with
// matchControllerRef, by the same controlling XR; the value is taken from the picked resource
// (its external name, or a status field) and written into the parameter, which is persisted
// before anything is created. A picked resource whose value is not known yet stops the reconcile
// with "referenced field was empty".
package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/tools/cache"
)

type reference struct {
	Path, Ref, Selector string
	Multi               bool
	Target, Extract     string
}

// ClusterAuth is hand-written in the provider, not generated: its one reference.
var clusterAuthReference = reference{Path: "clusterName", Ref: "clusterNameRef", Selector: "clusterNameSelector", Target: kEKS, Extract: "externalName"}

// resolveReferences fills every unset referencing parameter of mr; changed says mr was modified.
func (a *sim) resolveReferences(ctx context.Context, mr *unstructured.Unstructured, kind string) (bool, error) {
	refs := references[kind]
	if kind == "eks.aws.m.upbound.io/ClusterAuth" {
		refs = []reference{clusterAuthReference}
	}
	fp, _, _ := unstructured.NestedMap(mr.Object, "spec", "forProvider")
	if fp == nil {
		return false, nil
	}
	changed := false
	for _, r := range refs {
		segments := strings.Split(r.Path, ".")
		for _, c := range containers(fp, segments[:len(segments)-1]) {
			ch, err := a.resolveIn(ctx, mr, c, segments[len(segments)-1], r)
			if err != nil {
				return false, fmt.Errorf("spec.forProvider.%s: %w", r.Path, err)
			}
			changed = changed || ch
		}
	}
	if changed {
		_ = unstructured.SetNestedMap(mr.Object, fp, "spec", "forProvider")
	}
	return changed, nil
}

// containers are the maps that hold the last segment of a path ("a[].b" walks every element of a).
func containers(m map[string]any, path []string) []map[string]any {
	if len(path) == 0 {
		return []map[string]any{m}
	}
	key := strings.TrimSuffix(path[0], "[]")
	var out []map[string]any
	switch v := m[key].(type) {
	case map[string]any:
		out = append(out, containers(v, path[1:])...)
	case []any:
		for _, e := range v {
			if em, ok := e.(map[string]any); ok {
				out = append(out, containers(em, path[1:])...)
			}
		}
	}
	return out
}

func (a *sim) resolveIn(ctx context.Context, mr *unstructured.Unstructured, c map[string]any, leaf string, r reference) (bool, error) {
	sel, _ := c[r.Selector].(map[string]any)
	if r.Multi {
		if cur, _ := c[leaf].([]any); len(cur) > 0 {
			return false, nil
		}
		refs, _ := c[r.Ref].([]any)
		if len(refs) == 0 && sel == nil {
			return false, nil
		}
		if len(refs) == 0 {
			picked, err := a.selectTargets(ctx, mr, r.Target, sel)
			if err != nil {
				return false, err
			}
			for _, p := range picked {
				refs = append(refs, map[string]any{"name": p.GetName()})
			}
		}
		var values []any
		for _, ref := range refs {
			v, err := a.extract(ctx, mr, r, s(ref.(map[string]any), "name"))
			if err != nil {
				return false, err
			}
			values = append(values, v)
		}
		c[r.Ref], c[leaf] = refs, values
		return true, nil
	}
	if cur, _ := c[leaf].(string); cur != "" {
		return false, nil
	}
	ref, _ := c[r.Ref].(map[string]any)
	if ref == nil && sel == nil {
		return false, nil
	}
	if ref == nil {
		picked, err := a.selectTargets(ctx, mr, r.Target, sel)
		if err != nil {
			return false, err
		}
		if len(picked) == 0 {
			return false, fmt.Errorf("no resources matched selector")
		}
		ref = map[string]any{"name": picked[0].GetName()}
	}
	v, err := a.extract(ctx, mr, r, s(ref, "name"))
	if err != nil {
		return false, err
	}
	c[r.Ref], c[leaf] = ref, v
	return true, nil
}

func (a *sim) gvrOf(kind string) (schema.GroupVersionResource, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for gvr, watched := range a.watching {
		if watched && a.kinds[gvr] == kind {
			return gvr, true
		}
	}
	return schema.GroupVersionResource{}, false
}

func (a *sim) selectTargets(ctx context.Context, mr *unstructured.Unstructured, kind string, sel map[string]any) ([]unstructured.Unstructured, error) {
	gvr, ok := a.gvrOf(kind)
	if !ok {
		return nil, fmt.Errorf("%s is not installed: its ManagedResourceDefinition is not active", kind)
	}
	ml, _, _ := unstructured.NestedStringMap(sel, "matchLabels")
	want := labels.SelectorFromSet(ml)
	cached, err := a.factory.ForResource(gvr).Informer().GetIndexer().ByIndex(cache.NamespaceIndex, mr.GetNamespace())
	if err != nil {
		return nil, err
	}
	var items []unstructured.Unstructured
	for _, c := range cached {
		if u := c.(*unstructured.Unstructured); want.Matches(labels.Set(u.GetLabels())) {
			items = append(items, *u)
		}
	}
	// The API lists by name; the first match of a single reference is the first by name.
	sort.Slice(items, func(i, j int) bool { return items[i].GetName() < items[j].GetName() })
	byController, _ := sel["matchControllerRef"].(bool)
	mine := metav1.GetControllerOf(mr)
	var out []unstructured.Unstructured
	for _, t := range items {
		if byController {
			theirs := metav1.GetControllerOf(&t)
			if mine == nil || theirs == nil || theirs.UID != mine.UID {
				continue
			}
		}
		out = append(out, t)
	}
	return out, nil
}

func (a *sim) extract(ctx context.Context, mr *unstructured.Unstructured, r reference, name string) (string, error) {
	gvr, ok := a.gvrOf(r.Target)
	if !ok {
		return "", fmt.Errorf("%s is not installed: its ManagedResourceDefinition is not active", r.Target)
	}
	obj, found, err := a.factory.ForResource(gvr).Informer().GetIndexer().GetByKey(mr.GetNamespace() + "/" + name)
	if err != nil || !found {
		return "", fmt.Errorf("cannot get referenced resource %q: not found", name)
	}
	t := obj.(*unstructured.Unstructured)
	var v string
	if r.Extract == "externalName" {
		v = t.GetAnnotations()[annotationExternal]
	} else {
		v, _, _ = unstructured.NestedString(t.Object, strings.Split(r.Extract, ".")...)
	}
	if v == "" {
		return "", fmt.Errorf("referenced field was empty (referenced resource may not yet be ready)")
	}
	return v, nil
}
