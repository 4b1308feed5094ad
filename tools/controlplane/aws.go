// A simulated AWS at the provider boundary: it plays provider-upjet-aws for the *.aws.m.upbound.io
// kinds the platform composes. For each managed resource it resolves references as the provider
// does, creates or adopts the AWS object, reports what AWS would (external name, id, ARN,
// endpoints) with Ready and Synced, and on deletion deletes the object while enforcing the AWS
// rules lifecycles depend on. What it models, and what it does not, is listed in the README
// ("What the simulated AWS models").
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os/signal"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
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
	"k8s.io/utils/ptr"
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

// createOrUpdate finds the AWS object a managed resource stands for, creating or adopting it, and
// writes its parameters. Callers hold the inventory lock. A refusal is AWS's answer in words.
func (a *sim) createOrUpdate(mr *unstructured.Unstructured, kind string, m kindModel, fp map[string]any, account, region, me string) (*awsObject, string) {
	inv := a.inv
	ext := mr.GetAnnotations()[annotationExternal]
	var o *awsObject
	if m.idPrefix == "" {
		// The name is the identity: provider-upjet-aws looks the name up and adopts what it finds
		// (config/externalname.go), e.g. an EKS cluster or IAM role another claim created.
		if ext == "" {
			ext = mr.GetName()
		}
		o = inv.find(kind, account, region, ext)
	} else {
		// AWS assigns the id; ours is derived from the managed resource, so an id whose external
		// name annotation was lost to a write conflict is found again rather than made twice.
		if ext == "" || ext == mr.GetName() {
			ext = assignedID(kind, m, mr)
		}
		o = inv.find(kind, account, region, ext)
	}
	unique := ""
	if m.unique != nil {
		unique = m.unique(fp)
	}
	if o == nil && unique != "" {
		if existing := inv.findUnique(kind, account, region, unique); existing != nil {
			if m.refuseCode != "" && !hasString(existing.ManagedBy, me) {
				return nil, inv.refused("create", kind, me, "create failed: "+m.refuseCode)
			}
			o = existing
		}
	}
	if o == nil {
		for _, r := range relationsOf(m, fp) {
			if r.How == relEncrypted {
				continue
			}
			if inv.find(r.Kind, account, region, r.ID) == nil {
				return nil, fmt.Sprintf("create failed: %s %q does not exist", shortKind(r.Kind), r.ID)
			}
		}
		o = &awsObject{Kind: kind, Account: account, Region: region, ID: ext, State: "available", Unique: unique, Created: time.Now().UTC(), Version: 1}
		if m.global {
			o.Region = ""
		}
		if m.idPrefix != "" {
			o.ID = assignedID(kind, m, mr)
		}
		if msg := a.onCreate(o, fp); msg != "" {
			return nil, inv.refused("create", kind, me, msg)
		}
		o.Parameters = fp
		o.ARN = arnOf(m, o)
		inv.Objects = append(inv.Objects, o)
		inv.save()
		inv.event("created %s %s in %s %s for %s", shortKind(kind), o.ID, account, o.Region, me)
	} else if !reflect.DeepEqual(o.Parameters, fp) {
		if msg := a.onUpdate(o, fp); msg != "" {
			return nil, inv.refused("update", kind, me, "update failed: "+msg)
		}
		o.Parameters = fp
		o.Version++
		inv.save()
	}
	if !hasString(o.ManagedBy, me) {
		if len(o.ManagedBy) > 0 {
			inv.event("%s adopted %s %s, already managed by %s", me, shortKind(kind), o.ID, strings.Join(o.ManagedBy, ", "))
		}
		o.ManagedBy = append(o.ManagedBy, me)
		inv.save()
	}
	o.Relations = relationsOf(m, fp)
	return o, ""
}

func relationsOf(m kindModel, fp map[string]any) []relation {
	if m.relations == nil {
		return nil
	}
	return m.relations(fp)
}

// assignedID is the id AWS gives a new object of a kind whose id it assigns (vpc-..., a KMS key's
// UUID), derived from the managed resource's UID.
func assignedID(kind string, m kindModel, mr *unstructured.Unstructured) string {
	if kind == kKey {
		h := hexOf(string(mr.GetUID())+kind, 32)
		return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
	}
	return m.idPrefix + hexOf(string(mr.GetUID())+kind, 17)
}

// onCreate applies what AWS decides at creation.
func (a *sim) onCreate(o *awsObject, fp map[string]any) string {
	switch o.Kind {
	case kEKS:
		// Without a version EKS picks its default; the platform always sets one.
		o.Attributes = map[string]any{"version": s(fp, "version")}
		// EKS creates the cluster security group itself, and deletes it with the cluster.
		vpc, _ := fp["vpcConfig"].(map[string]any)
		var vpcID string
		if subnets := strs(vpc, "subnetIds"); len(subnets) > 0 {
			if sub := a.inv.find(kSubnet, o.Account, o.Region, subnets[0]); sub != nil {
				vpcID = s(sub.Parameters, "vpcId")
			}
		}
		a.inv.Objects = append(a.inv.Objects, &awsObject{
			Kind: kSG, Account: o.Account, Region: o.Region, ID: eksClusterSecurityGroup(o.ID), State: "available", Created: o.Created,
			Parameters:  map[string]any{"vpcId": vpcID, "description": "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes"},
			ARN:         fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", o.Region, o.Account, eksClusterSecurityGroup(o.ID)),
			ManagedBy:   []string{},
			KeptBecause: "made by EKS for cluster " + o.ID + ": goes with it",
			Relations:   append(rel(kEKS, relPart, o.ID), rel(kVPC, relIn, vpcID)...),
		})
	case kNodeGroup:
		// Without a version a node group gets its cluster's version, and keeps it.
		v := s(fp, "version")
		if v == "" {
			if c := a.inv.find(kEKS, o.Account, o.Region, s(fp, "clusterName")); c != nil {
				v = s(c.Attributes, "version")
			}
		}
		if msg := a.nodeGroupVersionFits(o, fp, v); msg != "" {
			return "create failed: " + msg
		}
		o.Attributes = map[string]any{"version": v}
	}
	return ""
}

// onUpdate applies the AWS rules for changing an object in place. Each version change of an EKS
// cluster, node group or add-on is an event naming the version the cluster ran then, so that an
// upgrade's order can be read afterwards.
func (a *sim) onUpdate(o *awsObject, fp map[string]any) string {
	switch o.Kind {
	case kEKS:
		from, to := s(o.Attributes, "version"), s(fp, "version")
		if to != "" && to != from {
			// EKS moves a control plane one minor version at a time, never down
			// (UpdateClusterVersion: "Unsupported Kubernetes minor version update").
			if minor(to) != minor(from)+1 {
				return fmt.Sprintf("InvalidParameterException: Unsupported Kubernetes minor version update from %s to %s", from, to)
			}
			o.Attributes["version"] = to
			a.inv.event("updated eks/Cluster %s version %s to %s", o.ID, from, to)
		}
	case kNodeGroup:
		from, to := s(o.Attributes, "version"), s(fp, "version")
		if to != "" && to != from {
			if msg := a.nodeGroupVersionFits(o, fp, to); msg != "" {
				return msg
			}
			o.Attributes["version"] = to
			a.inv.event("updated eks/NodeGroup %s version %s to %s (cluster %s at %s)", o.ID, from, to, s(fp, "clusterName"), a.clusterVersion(o, fp))
		}
	case kAddon:
		if from, to := s(o.Parameters, "addonVersion"), s(fp, "addonVersion"); to != from {
			a.inv.event("updated eks/Addon %s version %s to %s (cluster %s at %s)", o.ID, from, to, s(fp, "clusterName"), a.clusterVersion(o, fp))
		}
	case kRDS:
		if s(o.Parameters, "engine") != s(fp, "engine") && s(o.Parameters, "engine") != "" {
			return "InvalidParameterCombination: the engine of a DB cluster cannot be changed"
		}
	}
	return ""
}

// clusterVersion is the Kubernetes version the EKS cluster a part (node group, add-on) belongs to runs.
func (a *sim) clusterVersion(o *awsObject, fp map[string]any) string {
	if c := a.inv.find(kEKS, o.Account, o.Region, s(fp, "clusterName")); c != nil {
		return s(c.Attributes, "version")
	}
	return "unknown"
}

func (a *sim) nodeGroupVersionFits(o *awsObject, fp map[string]any, v string) string {
	c := a.inv.find(kEKS, o.Account, o.Region, s(fp, "clusterName"))
	if c == nil || v == "" {
		return ""
	}
	if cv := s(c.Attributes, "version"); minor(v) > minor(cv) {
		return fmt.Sprintf("InvalidParameterException: Nodegroup Kubernetes version %s should be equal or less than the cluster's version %s", v, cv)
	}
	return ""
}

func minor(v string) int {
	var major, m int
	fmt.Sscanf(v, "%d.%d", &major, &m)
	return major*1000 + m
}

// unreadableBecause says why an existing object cannot be read: its KMS key is pending deletion.
func (a *sim) unreadableBecause(o *awsObject, m kindModel) string {
	for _, r := range o.Relations {
		if r.How != relEncrypted {
			continue
		}
		if k := a.inv.find(r.Kind, o.Account, o.Region, r.ID); k != nil && k.State == "pending-deletion" {
			return fmt.Sprintf("KMSKeyNotAccessibleFault: the KMS key %s that encrypts this %s is pending deletion: its data cannot be read", k.ID, m.resource)
		}
	}
	return ""
}

// observedStatus is status.atProvider: the parameters as AWS holds them plus what AWS reports.
func observedStatus(o *awsObject, m kindModel) map[string]any {
	out, _ := deepCopy(o.Parameters).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	out["id"] = o.atID()
	if o.ARN != "" {
		out["arn"] = o.ARN
	}
	if m.observed != nil {
		for k, v := range m.observed(o) {
			if old, ok := out[k].(map[string]any); ok {
				if add, ok := v.(map[string]any); ok {
					for kk, vv := range add {
						old[kk] = vv
					}
					continue
				}
			}
			out[k] = v
		}
	}
	return out
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

func hasString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func shortKind(kind string) string {
	group, k, _ := strings.Cut(kind, "/")
	return strings.Split(group, ".")[0] + "/" + k
}

func deepCopy(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
