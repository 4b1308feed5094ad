// What the simulated AWS reads from the provider's CRDs: whether one is established, its storage
// version, and the atProvider schema status is pruned to (as the API server would prune it).
package main

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func established(crd *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}

func atProviderSchema(crd *unstructured.Unstructured) map[string]any {
	versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
	for _, v := range versions {
		m, _ := v.(map[string]any)
		if m["storage"] == true {
			sch, _, _ := unstructured.NestedMap(m, "schema", "openAPIV3Schema", "properties", "status", "properties", "atProvider")
			return sch
		}
	}
	return nil
}

// prune keeps what a structural schema declares, as the API server would.
func prune(v any, sch map[string]any) any {
	if sch == nil {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := sch["properties"].(map[string]any)
		if props == nil {
			if pres, _ := sch["x-kubernetes-preserve-unknown-fields"].(bool); pres {
				return x
			}
			if add, ok := sch["additionalProperties"].(map[string]any); ok {
				out := map[string]any{}
				for k, e := range x {
					out[k] = prune(e, add)
				}
				return out
			}
			return x
		}
		out := map[string]any{}
		for k, e := range x {
			if ps, ok := props[k].(map[string]any); ok {
				out[k] = prune(e, ps)
			}
		}
		return out
	case []any:
		items, _ := sch["items"].(map[string]any)
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = prune(e, items)
		}
		return out
	}
	return v
}

func storageVersion(crd *unstructured.Unstructured) string {
	versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
	for _, v := range versions {
		m, _ := v.(map[string]any)
		if m["storage"] == true {
			return s(m, "name")
		}
	}
	return "v1beta1"
}
