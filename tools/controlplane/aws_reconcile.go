// One managed resource's reconcile, as provider-upjet-aws runs it: finalizer, references resolved
// and persisted first, the account and region from its provider config, then the AWS object
// (aws_create.go) and the status the provider would write. ClusterAuth, which is not an AWS
// object but a kubeconfig, is answered here too.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/utils/ptr"
)

// reconcile handles one managed resource; retry asks to be called again after a backoff. It
// reads from the informer's cache and writes at most twice (object, then status).
func (a *sim) reconcile(ctx context.Context, q queued) (retry bool, err error) {
	client := a.dyn.Resource(q.gvr).Namespace(q.namespace)
	cached, exists, err := a.factory.ForResource(q.gvr).Informer().GetIndexer().GetByKey(q.namespace + "/" + q.name)
	if err != nil || !exists {
		return false, err
	}
	mr := cached.(*unstructured.Unstructured).DeepCopy()
	model, known := models[q.kind]
	if !known {
		return false, a.setStatus(ctx, client, mr, nil, cond("Synced", "False", "ReconcileError",
			fmt.Sprintf("the simulated AWS does not model %s: add it to tools/controlplane/aws_model.go", q.kind)))
	}
	if mr.GetDeletionTimestamp() != nil {
		return a.delete(ctx, client, mr, q.kind, model)
	}
	mutated := false
	if !hasString(mr.GetFinalizers(), finalizer) {
		mr.SetFinalizers(append(mr.GetFinalizers(), finalizer))
		mutated = true
	}
	// The provider persists resolved references before it acts on them.
	resolved, refErr := a.resolveReferences(ctx, mr, q.kind)
	mutated = mutated || resolved
	var failure string
	var account, region string
	if refErr != nil {
		failure = "cannot resolve references: " + refErr.Error()
	} else if account, region, err = a.scope(ctx, mr); err != nil {
		failure = err.Error()
	}
	if failure != "" {
		if mr, err = a.update(ctx, client, mr, mutated); err != nil {
			return false, err
		}
		return true, a.setStatus(ctx, client, mr, nil, cond("Synced", "False", "ReconcileError", failure))
	}
	if model.notAWS {
		if mr, err = a.update(ctx, client, mr, mutated); err != nil {
			return false, err
		}
		return a.clusterAuth(ctx, client, mr, account, region)
	}
	fp, _, _ := unstructured.NestedMap(mr.Object, "spec", "forProvider")
	me := mr.GetNamespace() + "/" + mr.GetName()

	a.inv.mu.Lock()
	o, refusal := a.createOrUpdate(mr, q.kind, model, fp, account, region, me)
	var atProvider map[string]any
	var unreadable string
	if o != nil {
		atProvider = observedStatus(o, model)
		unreadable = a.unreadableBecause(o, model)
	}
	a.inv.mu.Unlock()
	if refusal == "" && mr.GetAnnotations()[annotationExternal] != o.ID {
		ann := mr.GetAnnotations()
		if ann == nil {
			ann = map[string]string{}
		}
		ann[annotationExternal] = o.ID
		mr.SetAnnotations(ann)
		mutated = true
	}
	if mr, err = a.update(ctx, client, mr, mutated); err != nil {
		return false, err
	}
	if refusal != "" {
		return true, a.setStatus(ctx, client, mr, nil, cond("Synced", "False", "ReconcileError", refusal))
	}
	ready := cond("Ready", "True", "Available", "")
	if unreadable != "" {
		ready = cond("Ready", "False", "Unavailable", unreadable)
	}
	return false, a.setStatus(ctx, client, mr, atProvider, ready, cond("Synced", "True", "ReconcileSuccess", ""))
}

func (a *sim) update(ctx context.Context, client dynamic.ResourceInterface, mr *unstructured.Unstructured, mutated bool) (*unstructured.Unstructured, error) {
	if !mutated {
		return mr, nil
	}
	return client.Update(ctx, mr, metav1.UpdateOptions{})
}

// scope is the account (from the provider config's assumed role) and region of a managed resource.
func (a *sim) scope(ctx context.Context, mr *unstructured.Unstructured) (string, string, error) {
	kind, _, _ := unstructured.NestedString(mr.Object, "spec", "providerConfigRef", "kind")
	name, _, _ := unstructured.NestedString(mr.Object, "spec", "providerConfigRef", "name")
	gvr, key := clusterProviderConfigs, name
	if kind == "ProviderConfig" {
		gvr, key = providerConfigs, mr.GetNamespace()+"/"+name
	}
	obj, found, err := a.factory.ForResource(gvr).Informer().GetIndexer().GetByKey(key)
	if err == nil && !found {
		err = fmt.Errorf("not found")
	}
	var pc *unstructured.Unstructured
	if err == nil {
		pc = obj.(*unstructured.Unstructured)
	}
	if err != nil {
		// The provider's own words when the config is missing.
		return "", "", fmt.Errorf("cannot get referenced ProviderConfig: %s.aws.m.upbound.io %q not found", strings.ToLower(kind), name)
	}
	account := a.homeAccount
	chain, _, _ := unstructured.NestedSlice(pc.Object, "spec", "assumeRoleChain")
	if len(chain) > 0 {
		last, _ := chain[len(chain)-1].(map[string]any)
		if parts := strings.Split(s(last, "roleARN"), ":"); len(parts) > 4 {
			account = parts[4]
		}
	}
	region, _, _ := unstructured.NestedString(mr.Object, "spec", "forProvider", "region")
	return account, region, nil
}

func (a *sim) setStatus(ctx context.Context, client dynamic.ResourceInterface, mr *unstructured.Unstructured, atProvider map[string]any, conds ...condition) error {
	before, _ := json.Marshal(mr.Object)
	if atProvider != nil {
		a.mu.Lock()
		sch := a.atSchemas[mr.GroupVersionKind().Group+"/"+mr.GetKind()]
		a.mu.Unlock()
		_ = unstructured.SetNestedField(mr.Object, prune(atProvider, sch), "status", "atProvider")
	}
	for _, c := range conds {
		setCondition(mr, c)
	}
	// Compared as JSON: numbers decoded from the API (int64) and built here (float64) are equal.
	if after, _ := json.Marshal(mr.Object); string(after) == string(before) {
		return nil
	}
	_, err := client.UpdateStatus(ctx, mr, metav1.UpdateOptions{})
	if isConflict(err) {
		return fmt.Errorf("status changed meanwhile: %w", err)
	}
	return err
}

// clusterAuth plays the provider's ClusterAuth: not an AWS object, a kubeconfig for the cluster
// (keys kubeconfig, endpoint, clusterCA) in the connection Secret, refreshed by the provider.
func (a *sim) clusterAuth(ctx context.Context, client dynamic.ResourceInterface, mr *unstructured.Unstructured, account, region string) (bool, error) {
	name, _, _ := unstructured.NestedString(mr.Object, "spec", "forProvider", "clusterName")
	a.inv.mu.Lock()
	c := a.inv.find(kEKS, account, region, name)
	var at map[string]any
	if c != nil {
		at = observedStatus(c, models[kEKS])
	}
	a.inv.mu.Unlock()
	if c == nil {
		return true, a.setStatus(ctx, client, mr, nil, cond("Synced", "False", "ReconcileError", fmt.Sprintf("cannot get cluster %q: ResourceNotFoundException: No cluster found for name: %s.", name, name)))
	}
	endpoint := s(at, "endpoint")
	ca, _ := at["certificateAuthority"].([]any)
	caData := s(ca[0].(map[string]any), "data")
	if secret, _, _ := unstructured.NestedString(mr.Object, "spec", "writeConnectionSecretToRef", "name"); secret != "" {
		kubeconfig := fmt.Sprintf("apiVersion: v1\nkind: Config\nclusters:\n- name: %s\n  cluster:\n    server: %s\n    certificate-authority-data: %s\ncontexts:\n- name: %s\n  context: {cluster: %s, user: %s}\ncurrent-context: %s\nusers:\n- name: %s\n  user:\n    token: k8s-aws-v1.simulated\n", name, endpoint, caData, name, name, name, name, name)
		sec := &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Name: secret, Namespace: mr.GetNamespace(), OwnerReferences: []metav1.OwnerReference{{
				APIVersion: mr.GetAPIVersion(), Kind: mr.GetKind(), Name: mr.GetName(), UID: mr.GetUID(), Controller: ptr.To(true),
			}}},
			Type:       "connection.crossplane.io/v1alpha1",
			StringData: map[string]string{"kubeconfig": kubeconfig, "endpoint": endpoint, "clusterCA": caData},
		}
		if _, err := a.kube.CoreV1().Secrets(mr.GetNamespace()).Create(ctx, sec, metav1.CreateOptions{}); err != nil && !isAlreadyExists(err) {
			return false, err
		}
	}
	return false, a.setStatus(ctx, client, mr, map[string]any{"id": name}, cond("Ready", "True", "Available", ""), cond("Synced", "True", "ReconcileSuccess", ""))
}

func cond(t, status, reason, msg string) condition {
	return condition{Type: t, Status: status, Reason: reason, Message: msg}
}
