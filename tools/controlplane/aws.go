// A simulated AWS at the provider boundary: it plays provider-upjet-aws for the *.aws.m.upbound.io
// kinds the platform composes. For each managed resource it resolves references as the provider
// does, creates or adopts the AWS object, reports what AWS would (external name, id, ARN,
// endpoints) with Ready and Synced, and on deletion deletes the object while enforcing the AWS
// rules lifecycles depend on. What it models, and what it does not, is listed in the README
// ("What the simulated AWS models").
//
// This file is the controller: it finds the managed kinds as their CRDs appear, watches them and
// queues each change. The rest, in the order a resource meets it:
//   - aws_reconcile.go: one managed resource's reconcile (finalizer, references, scope, status);
//   - aws_references.go (and the generated table references.go): references resolved as the provider does;
//   - aws_create.go: finding, creating and changing the AWS object, and what AWS reports;
//   - aws_delete.go: deletion and what AWS refuses or keeps;
//   - aws_model.go: what AWS knows of each kind; aws_inventory.go: what exists, as a JSON file;
//   - aws_crd.go: what is read from the provider's CRDs.
package main

import (
	"context"
	"flag"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/workqueue"
)

const (
	finalizer          = "finalizer.managedresource.crossplane.io"
	annotationExternal = "crossplane.io/external-name"
)

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
var clusterProviderConfigs = schema.GroupVersionResource{Group: "aws.m.upbound.io", Version: "v1beta1", Resource: "clusterproviderconfigs"}
var providerConfigs = schema.GroupVersionResource{Group: "aws.m.upbound.io", Version: "v1beta1", Resource: "providerconfigs"}

type queued struct {
	gvr       schema.GroupVersionResource
	kind      string // "<group>/<Kind>"
	namespace string
	name      string
}

type sim struct {
	dyn         dynamic.Interface
	kube        kubernetes.Interface
	inv         *inventory
	homeAccount string
	queue       workqueue.TypedRateLimitingInterface[queued]
	factory     dynamicinformer.DynamicSharedInformerFactory
	mu          sync.Mutex
	watching    map[schema.GroupVersionResource]bool
	kinds       map[schema.GroupVersionResource]string // "<group>/<Kind>" of each watched resource
	// atProvider schema of each kind: the API server prunes what it does not declare, so status
	// is built to it (else every write would differ from what was read, and loop).
	atSchemas map[string]map[string]any
}

func runAWS(args []string) error {
	fs := flag.NewFlagSet("aws", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "admin kubeconfig of the control cluster")
	state := fs.String("state", "", "file the inventory is written to")
	home := fs.String("home-account", "000000000000", "the control cluster's own account: where a provider config without an assumed role lands")
	var existing []string
	fs.Func("existing-eks", "REGION/NAME of an EKS cluster that exists in the home account before anything is composed (the control cluster itself); repeatable", func(v string) error {
		existing = append(existing, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 200, 400
	cfg.WarningHandler = rest.NoWarnings{}
	a := &sim{homeAccount: *home, watching: map[schema.GroupVersionResource]bool{}, kinds: map[schema.GroupVersionResource]string{}, atSchemas: map[string]map[string]any{}, inv: &inventory{file: *state}}
	if a.dyn, err = dynamic.NewForConfig(cfg); err != nil {
		return err
	}
	if a.kube, err = kubernetes.NewForConfig(cfg); err != nil {
		return err
	}
	// A refused deletion is retried as the provider does: soon at first, then less often.
	a.queue = workqueue.NewTypedRateLimitingQueue(workqueue.NewTypedItemExponentialFailureRateLimiter[queued](500*time.Millisecond, 15*time.Second))
	a.factory = dynamicinformer.NewDynamicSharedInformerFactory(a.dyn, 30*time.Second)
	a.inv.mu.Lock()
	for _, e := range existing {
		if err := a.inv.seedEKS(*home, e); err != nil {
			a.inv.mu.Unlock()
			return err
		}
	}
	a.inv.write()
	a.inv.mu.Unlock()
	go a.inv.flushLoop()

	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()
	go a.discover(ctx)
	go a.watchProviderConfigs(ctx)
	for range 8 {
		go func() {
			for a.work(ctx) {
			}
		}()
	}
	logf("simulated AWS ready, inventory in %s", *state)
	<-ctx.Done()
	a.queue.ShutDown()
	a.inv.mu.Lock()
	a.inv.write()
	a.inv.mu.Unlock()
	return nil
}

// watchProviderConfigs caches the provider configs (which account each names) once their CRDs exist.
func (a *sim) watchProviderConfigs(ctx context.Context) {
	for _, gvr := range []schema.GroupVersionResource{clusterProviderConfigs, providerConfigs} {
		for {
			if _, err := a.dyn.Resource(gvr).List(ctx, metav1.ListOptions{Limit: 1}); err == nil {
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(2 * time.Second):
			}
		}
		inf := a.factory.ForResource(gvr).Informer()
		go inf.Run(ctx.Done())
	}
}

// discover starts watching each managed kind once its CRD is established (the activation policy
// decides which appear, and when).
func (a *sim) discover(ctx context.Context) {
	for {
		crds, err := a.dyn.Resource(crdGVR).List(ctx, metav1.ListOptions{})
		if err == nil {
			for _, crd := range crds.Items {
				group, _, _ := unstructured.NestedString(crd.Object, "spec", "group")
				if !strings.HasSuffix(group, ".aws.m.upbound.io") || !established(&crd) {
					continue
				}
				kind, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "kind")
				plural, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "plural")
				gvr := schema.GroupVersionResource{Group: group, Version: storageVersion(&crd), Resource: plural}
				a.mu.Lock()
				a.atSchemas[group+"/"+kind] = atProviderSchema(&crd)
				a.mu.Unlock()
				a.watch(ctx, gvr, group+"/"+kind)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

func (a *sim) watch(ctx context.Context, gvr schema.GroupVersionResource, kind string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.watching[gvr] {
		return
	}
	a.watching[gvr] = true
	a.kinds[gvr] = kind
	inf := a.factory.ForResource(gvr).Informer()
	enqueue := func(obj any) {
		if u, ok := obj.(*unstructured.Unstructured); ok {
			a.queue.Add(queued{gvr: gvr, kind: kind, namespace: u.GetNamespace(), name: u.GetName()})
		}
	}
	_, _ = inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    enqueue,
		UpdateFunc: func(_, n any) { enqueue(n) },
	})
	go inf.Run(ctx.Done())
	logf("watching %s", kind)
}

func (a *sim) work(ctx context.Context) bool {
	item, quit := a.queue.Get()
	if quit {
		return false
	}
	defer a.queue.Done(item)
	retry, err := a.reconcile(ctx, item)
	switch {
	case err != nil:
		logf("%s %s/%s: %v", item.kind, item.namespace, item.name, err)
		a.queue.AddRateLimited(item)
	case retry:
		a.queue.AddRateLimited(item)
	default:
		a.queue.Forget(item)
	}
	return true
}
