package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	authv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"
)

// ensureTLSSecret writes the Secret a revision's status names: Crossplane reads tls.crt from it as
// the CA bundle of the package's webhooks and conversion webhooks (revision/establisher.go).
func (r *packageRuntime) ensureTLSSecret(ctx context.Context, name string) error {
	if _, err := r.kube.CoreV1().Secrets(r.f.namespace).Get(ctx, name, metav1.GetOptions{}); err == nil {
		return nil
	} else if !isNotFound(err) {
		return err
	}
	data := map[string][]byte{}
	for _, k := range []string{"tls.crt", "tls.key", "ca.crt"} {
		b, err := os.ReadFile(filepath.Join(r.f.certs, k))
		if err != nil {
			return err
		}
		data[k] = b
	}
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: r.f.namespace}, Type: corev1.SecretTypeTLS, Data: data}
	_, err := r.kube.CoreV1().Secrets(r.f.namespace).Create(ctx, s, metav1.CreateOptions{})
	return err
}

// ensureProviderRBAC does for a provider what the package runtime and Crossplane's RBAC manager do
// in a cluster: a service account, and the provider's "system" ClusterRole bound to it: every verb
// but delete on the package's own kinds, update on their finalizers, everything on Secrets,
// ConfigMaps, Events and Leases (crossplane (TOOLS.crossplane) internal/controller/rbac/provider/roles).
// The RBAC manager itself cannot run beside provider-kubernetes: both bind :8080 for metrics.
func (r *packageRuntime) ensureProviderRBAC(ctx context.Context, rev *unstructured.Unstructured, sa string) (bool, error) {
	refs, _, _ := unstructured.NestedSlice(rev.Object, "status", "objectRefs")
	resources := map[string][]string{}
	var groups []string
	for _, raw := range refs {
		ref, _ := raw.(map[string]any)
		gvr := crdsGVR
		if s(ref, "kind") == "ManagedResourceDefinition" {
			gvr = mrdsGVR
		} else if s(ref, "kind") != "CustomResourceDefinition" {
			continue
		}
		def, err := r.dyn.Resource(gvr).Get(ctx, s(ref, "name"), metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		group, _, _ := unstructured.NestedString(def.Object, "spec", "group")
		plural, _, _ := unstructured.NestedString(def.Object, "spec", "names", "plural")
		if _, ok := resources[group]; !ok {
			groups = append(groups, group)
		}
		resources[group] = append(resources[group], plural, plural+"/status")
	}
	if len(groups) == 0 {
		return false, nil // Crossplane has not established the package's objects yet
	}
	sort.Strings(groups)
	ns := r.f.namespace
	_, err := r.kube.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: sa, Namespace: ns}}, metav1.CreateOptions{})
	if err != nil && !isAlreadyExists(err) {
		return false, err
	}
	name := "crossplane:provider:" + rev.GetName() + ":system"
	role := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"rbac.crossplane.io/system": rev.GetName()}}}
	for _, g := range groups {
		sort.Strings(resources[g])
		role.Rules = append(role.Rules, rbacv1.PolicyRule{APIGroups: []string{g}, Resources: resources[g], Verbs: []string{"get", "list", "watch", "update", "patch", "create"}})
	}
	role.Rules = append(role.Rules,
		rbacv1.PolicyRule{APIGroups: groups, Resources: []string{"*/finalizers"}, Verbs: []string{"update"}},
		rbacv1.PolicyRule{APIGroups: []string{"", "coordination.k8s.io"}, Resources: []string{"secrets", "configmaps", "events", "leases"}, Verbs: []string{"*"}},
	)
	if _, err := r.kube.RbacV1().ClusterRoles().Create(ctx, role, metav1.CreateOptions{}); err != nil && !isAlreadyExists(err) {
		return false, err
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: name},
		Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Namespace: ns, Name: sa}},
	}
	if _, err := r.kube.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil && !isAlreadyExists(err) {
		return false, err
	}
	return true, nil
}

var (
	crdsGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	mrdsGVR = schema.GroupVersionResource{Group: "apiextensions.crossplane.io", Version: "v1alpha1", Resource: "managedresourcedefinitions"}
)

// writeServiceAccountToken writes what the kubelet projects into a pod: a token of the service
// account, the cluster CA and the namespace.
func (r *packageRuntime) writeServiceAccountToken(ctx context.Context, sa, dir string) error {
	tr, err := r.kube.CoreV1().ServiceAccounts(r.f.namespace).CreateToken(ctx, sa, &authv1.TokenRequest{
		Spec: authv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](7 * 24 * 3600)},
	}, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("token for service account %s: %w", sa, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	ca, err := os.ReadFile(filepath.Join(r.f.certs, "ca.crt"))
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{"token": []byte(tr.Status.Token), "ca.crt": ca, "namespace": []byte(r.f.namespace)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}
