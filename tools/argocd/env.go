// The offline Argo CD installation every operation runs against: its
// namespace holds argocd-cm (as given, or empty), argocd-secret and the given
// cluster Secrets, served by fake Kubernetes clients, and Argo CD's own
// settings manager and cluster database read them exactly as in a cluster.
package main

import (
	"context"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	k8sfake "k8s.io/client-go/kubernetes/fake"

	"github.com/argoproj/argo-cd/v3/common"
	"github.com/argoproj/argo-cd/v3/util/db"
	"github.com/argoproj/argo-cd/v3/util/settings"
	jsonpatch "gopkg.in/evanphx/json-patch.v4"
)

type argoEnv struct {
	ns       string
	kube     kubernetes.Interface
	settings *settings.SettingsManager
	db       db.ArgoDB
	secrets  []*corev1.Secret
}

// installation is what a request says of the installation it runs against (the fields sit at
// the top level of the request JSON): its namespace (default argocd) and the registered clusters.
type installation struct {
	Namespace      string          `json:"namespace"`
	ClusterSecrets []corev1.Secret `json:"clusterSecrets"`
}

// env is the installation with a stock (empty) argocd-cm.
func (i installation) env(ctx context.Context) *argoEnv {
	return newArgoEnv(ctx, i.Namespace, nil, i.ClusterSecrets)
}

// newArgoEnv builds the installation. argocdCm nil means an empty argocd-cm
// (what a stock install has before anyone configures it).
func newArgoEnv(ctx context.Context, ns string, argocdCm *corev1.ConfigMap, clusterSecrets []corev1.Secret) *argoEnv {
	if ns == "" {
		ns = argocdNamespace
	}
	partOf := map[string]string{"app.kubernetes.io/part-of": "argocd"}
	if argocdCm == nil {
		argocdCm = &corev1.ConfigMap{Data: map[string]string{}}
	}
	cm := argocdCm.DeepCopy()
	cm.Name, cm.Namespace = common.ArgoCDConfigMapName, ns
	if cm.Labels == nil {
		// The settings manager reads only ConfigMaps labelled part of Argo CD.
		cm.Labels = partOf
	}
	objs := []runtime.Object{
		cm,
		&corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Name: common.ArgoCDSecretName, Namespace: ns, Labels: partOf},
			Data:       map[string][]byte{"server.secretkey": []byte("offline")},
		},
	}
	env := &argoEnv{ns: ns}
	for i := range clusterSecrets {
		s := clusterSecrets[i].DeepCopy()
		if s.Namespace == "" {
			s.Namespace = ns
		}
		// The API server folds stringData into data; do the same.
		if len(s.StringData) > 0 {
			if s.Data == nil {
				s.Data = map[string][]byte{}
			}
			for k, v := range s.StringData {
				s.Data[k] = []byte(v)
			}
			s.StringData = nil
		}
		env.secrets = append(env.secrets, s)
		objs = append(objs, s.DeepCopy())
	}
	env.kube = k8sfake.NewClientset(objs...)
	env.settings = settings.NewSettingsManager(ctx, env.kube, ns)
	env.db = db.NewDB(ns, env.settings, env.kube)
	return env
}

// mergePatched applies a JSON merge patch (RFC 7386) to a ConfigMap with the
// library the API server uses for `kubectl patch --type merge`.
func mergePatched(base *corev1.ConfigMap, patch json.RawMessage) (*corev1.ConfigMap, error) {
	if base == nil {
		base = &corev1.ConfigMap{}
	}
	if len(patch) == 0 {
		return base.DeepCopy(), nil
	}
	doc, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	merged, err := jsonpatch.MergePatch(doc, patch)
	if err != nil {
		return nil, fmt.Errorf("merge patch refused: %w", err)
	}
	out := &corev1.ConfigMap{}
	if err := json.Unmarshal(merged, out); err != nil {
		return nil, fmt.Errorf("merge patch leaves no ConfigMap: %w", err)
	}
	return out, nil
}
