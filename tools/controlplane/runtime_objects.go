package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	authv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
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

// ensureProviderRBAC does for a provider what Crossplane's Deployment runtime would have the RBAC
// manager do in a cluster: the RBAC manager (running beside Crossplane here) makes the provider's
// "system" ClusterRole from the package's objects, and binds it to the service accounts of the
// Deployments the revision owns (crossplane (CONTROL_CLUSTER.crossplane) internal/controller/rbac/provider/
// binding). An external runtime has no Deployment, so it binds its own service account itself,
// in a binding of its own (the RBAC manager's has no subjects here and is rewritten to none).
// Not ready until the RBAC manager has made the role.
func (r *packageRuntime) ensureProviderRBAC(ctx context.Context, rev *unstructured.Unstructured, sa string) (bool, error) {
	name := "crossplane:provider:" + rev.GetName() + ":system"
	role, err := r.kube.RbacV1().ClusterRoles().Get(ctx, name, metav1.GetOptions{})
	if isNotFound(err) || (err == nil && len(role.Rules) == 0) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	ns := r.f.namespace
	_, err = r.kube.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: sa, Namespace: ns}}, metav1.CreateOptions{})
	if err != nil && !isAlreadyExists(err) {
		return false, err
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{
			Name: name + ":external-runtime",
			// Goes with the revision, as the RBAC manager's own binding does.
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "pkg.crossplane.io/v1", Kind: "ProviderRevision", Name: rev.GetName(), UID: rev.GetUID(),
			}},
		},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: name},
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Namespace: ns, Name: sa}},
	}
	if _, err := r.kube.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil && !isAlreadyExists(err) {
		return false, err
	}
	return true, nil
}

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
