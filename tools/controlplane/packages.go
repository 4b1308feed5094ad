// The package runtime Crossplane leaves to someone else when it runs with
// --package-runtime=External: for every active FunctionRevision and ProviderRevision it starts the
// package's program (functions and provider-kubernetes from the tool cache; the AWS providers are
// served by `controlplane aws`), gives it its TLS Secret, and reports where it listens and that it
// is healthy, which is what Crossplane's own Deployment runtime would do in a cluster
// (crossplane (CONTROL_CLUSTER.crossplane) internal/controller/pkg/runtime). It also plays the package registry: each
// package dist/ names by tag is served from the local xpkg cache through an ImageConfig that
// rewrites the tag to a digest, so nothing is pulled.
//
// Past 300 lines on purpose: one loop over the revisions does both jobs for each package (its
// program and its registry entry), so the two halves read best beside each other; registry.go
// holds what the registry half needs of the xpkg cache.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

var (
	functionRevisions = schema.GroupVersionResource{Group: "pkg.crossplane.io", Version: "v1", Resource: "functionrevisions"}
	providerRevisions = schema.GroupVersionResource{Group: "pkg.crossplane.io", Version: "v1", Resource: "providerrevisions"}
	functionsGVR      = schema.GroupVersionResource{Group: "pkg.crossplane.io", Version: "v1", Resource: "functions"}
	providersGVR      = schema.GroupVersionResource{Group: "pkg.crossplane.io", Version: "v1", Resource: "providers"}
	imageConfigs      = schema.GroupVersionResource{Group: "pkg.crossplane.io", Version: "v1beta1", Resource: "imageconfigs"}
	runtimeConfigs    = schema.GroupVersionResource{Group: "pkg.crossplane.io", Version: "v1beta1", Resource: "deploymentruntimeconfigs"}
)

type packagesFlags struct {
	kubeconfig, namespace, toolCache, crds, certs, xpkgCache, logDir, runDir, apiserver string
	seed                                                                                multiFlag
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// child is one program the runtime started for a package revision.
type child struct {
	cmd      *exec.Cmd
	endpoint string // gRPC endpoint of a function, "" for providers
	done     chan struct{}
}

type packageRuntime struct {
	f        packagesFlags
	dyn      dynamic.Interface
	kube     kubernetes.Interface
	registry *registry
	mu       sync.Mutex
	children map[string]*child // by revision name
	// apiSocket reaches the API server from inside a provider's network namespace.
	apiSocket string
}

func runPackages(args []string) error {
	var f packagesFlags
	fs := flag.NewFlagSet("packages", flag.ExitOnError)
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "admin kubeconfig of the control cluster")
	fs.StringVar(&f.namespace, "namespace", "crossplane-system", "Crossplane's namespace")
	fs.StringVar(&f.toolCache, "tool-cache", "", "folder holding <tool>@<version>/<tool> binaries")
	fs.StringVar(&f.crds, "crds", "", "folder of upstream CRDs (provider-upjet-aws/, provider-kubernetes/)")
	fs.StringVar(&f.certs, "certs", "", "folder with ca.crt, tls.crt, tls.key: the loopback serving certificate")
	fs.StringVar(&f.xpkgCache, "xpkg-cache", "", "Crossplane's package cache folder (--xpkg-cache-dir)")
	fs.StringVar(&f.logDir, "log-dir", "", "folder for each started program's log")
	fs.StringVar(&f.runDir, "run-dir", "", "folder for per-program state (service-account tokens)")
	fs.StringVar(&f.apiserver, "apiserver", "", "host:port of the API server, for in-cluster identities")
	fs.Var(&f.seed, "seed", "YAML file of Providers/Functions whose packages to serve before they are applied (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", f.kubeconfig)
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 50, 100
	r := &packageRuntime{f: f, children: map[string]*child{}}
	if r.dyn, err = dynamic.NewForConfig(cfg); err != nil {
		return err
	}
	if r.kube, err = kubernetes.NewForConfig(cfg); err != nil {
		return err
	}
	r.registry = &registry{dyn: r.dyn, cacheDir: f.xpkgCache, crds: f.crds, toolCache: f.toolCache}
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()
	if err := os.MkdirAll(f.runDir, 0o755); err != nil {
		return err
	}
	r.apiSocket = filepath.Join(f.runDir, "apiserver.sock")
	if err := serveUnixToTCP(ctx, r.apiSocket, f.apiserver); err != nil {
		return err
	}
	for _, file := range f.seed {
		if err := r.registry.seedFile(ctx, file); err != nil {
			return err
		}
	}
	logf("package runtime ready")
	// Crossplane retries a revision with a growing backoff: answering within a second of a
	// revision's appearance is most of a fast start. A list every 500 ms is cheap at this size.
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			r.stopAll()
			return nil
		case <-tick.C:
			r.reconcileAll(ctx)
		}
	}
}

func (r *packageRuntime) reconcileAll(ctx context.Context) {
	for _, gvr := range []schema.GroupVersionResource{providersGVR, functionsGVR} {
		pkgs, err := r.dyn.Resource(gvr).List(ctx, metav1ListOptions())
		if err != nil {
			continue // the CRDs may not be there yet
		}
		for i := range pkgs.Items {
			if err := r.registry.serve(ctx, &pkgs.Items[i]); err != nil {
				logf("package %s: %v", pkgs.Items[i].GetName(), err)
			}
		}
	}
	active := map[string]bool{}
	for _, gvr := range []schema.GroupVersionResource{providerRevisions, functionRevisions} {
		revs, err := r.dyn.Resource(gvr).List(ctx, metav1ListOptions())
		if err != nil {
			continue
		}
		for i := range revs.Items {
			rev := &revs.Items[i]
			state, _, _ := unstructured.NestedString(rev.Object, "spec", "desiredState")
			if state != "Active" || rev.GetDeletionTimestamp() != nil {
				continue
			}
			active[rev.GetName()] = true
			if err := r.reconcileRevision(ctx, gvr, rev); err != nil {
				logf("revision %s: %v", rev.GetName(), err)
			}
		}
	}
	// A revision that is no longer active loses its program, as its Deployment would be removed.
	r.mu.Lock()
	for name, c := range r.children {
		if !active[name] {
			logf("revision %s is no longer active: stopping pid %d", name, c.cmd.Process.Pid)
			stopChild(c)
			delete(r.children, name)
		}
	}
	r.mu.Unlock()
}

func (r *packageRuntime) reconcileRevision(ctx context.Context, gvr schema.GroupVersionResource, rev *unstructured.Unstructured) error {
	pkgName := rev.GetLabels()["pkg.crossplane.io/package"]
	if pkgName == "" {
		return nil
	}
	source, err := r.packageSource(ctx, gvr, pkgName)
	if err != nil {
		return err
	}
	secretName := pkgName + "-tls-server"
	if err := r.ensureTLSSecret(ctx, secretName); err != nil {
		return err
	}
	var endpoint string
	switch {
	case gvr == functionRevisions:
		c, err := r.ensureFunction(rev.GetName(), source)
		if err != nil {
			return err
		}
		endpoint = c.endpoint
	case source.tool == "provider-kubernetes":
		// Crossplane establishes the package's objects (a conversion webhook among them) only
		// once the revision names its TLS Secret; the provider's role is made from those objects.
		if err := r.reportTLS(ctx, gvr, rev.GetName(), secretName); err != nil {
			return err
		}
		if started, err := r.ensureProviderKubernetes(ctx, rev, source); err != nil || !started {
			return err
		}
	case strings.HasPrefix(source.tool, "provider-aws-") || source.tool == "provider-family-aws":
		// Served by `controlplane aws`: no program of its own.
	default:
		return fmt.Errorf("no runtime for package %s: this control cluster runs functions from the tool cache, provider-kubernetes and the simulated AWS providers", source.ref)
	}
	return r.reportHealthy(ctx, gvr, rev.GetName(), secretName, endpoint)
}

// reportHealthy writes what the Deployment runtime would: the TLS Secret's name, a function's
// endpoint and RuntimeHealthy=True. Crossplane rewrites status on its own reconciles, so this is
// checked again on every pass and written only when something is missing.
func (r *packageRuntime) reportHealthy(ctx context.Context, gvr schema.GroupVersionResource, name, secretName, endpoint string) error {
	for attempt := 0; attempt < 5; attempt++ {
		rev, err := r.dyn.Resource(gvr).Get(ctx, name, metav1GetOptions())
		if err != nil {
			return err
		}
		changed := setNested(rev.Object, secretName, "status", "tlsServerSecretName")
		if endpoint != "" {
			changed = setNested(rev.Object, endpoint, "status", "endpoint") || changed
		}
		changed = setCondition(rev, condition{Type: "RuntimeHealthy", Status: "True", Reason: "HealthyPackageRevision"}) || changed
		if !changed {
			return nil
		}
		if _, err := r.dyn.Resource(gvr).UpdateStatus(ctx, rev, metav1UpdateOptions()); err == nil {
			logf("revision %s: runtime healthy%s", name, map[bool]string{true: " at " + endpoint, false: ""}[endpoint != ""])
			return nil
		} else if !isConflict(err) {
			return err
		}
	}
	return fmt.Errorf("status of %s kept changing under us", name)
}

// reportTLS names the revision's TLS Secret in its status.
func (r *packageRuntime) reportTLS(ctx context.Context, gvr schema.GroupVersionResource, name, secretName string) error {
	rev, err := r.dyn.Resource(gvr).Get(ctx, name, metav1GetOptions())
	if err != nil || !setNested(rev.Object, secretName, "status", "tlsServerSecretName") {
		return err
	}
	_, err = r.dyn.Resource(gvr).UpdateStatus(ctx, rev, metav1UpdateOptions())
	if isConflict(err) {
		return nil // next pass
	}
	return err
}

type packageSource struct {
	ref, tool, version string
}

// packageSource reads the parent package's reference (e.g. xpkg.crossplane.io/crossplane-contrib/
// function-auto-ready:<tag>): its last path element names the tool and its tag the version.
func (r *packageRuntime) packageSource(ctx context.Context, gvr schema.GroupVersionResource, pkgName string) (packageSource, error) {
	parent := providersGVR
	if gvr == functionRevisions {
		parent = functionsGVR
	}
	p, err := r.dyn.Resource(parent).Get(ctx, pkgName, metav1GetOptions())
	if err != nil {
		return packageSource{}, err
	}
	ref, _, _ := unstructured.NestedString(p.Object, "spec", "package")
	return parseRef(ref)
}

func parseRef(ref string) (packageSource, error) {
	at := strings.LastIndex(ref, ":")
	slash := strings.LastIndex(ref, "/")
	if at < slash || strings.Contains(ref, "@") {
		return packageSource{}, fmt.Errorf("package %q is not a tagged reference: dist/ names packages as <registry>/<org>/<name>:<version>", ref)
	}
	return packageSource{ref: ref, tool: ref[slash+1 : at], version: ref[at+1:]}, nil
}

func (r *packageRuntime) ensureFunction(revision string, src packageSource) (*child, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.children[revision]; ok && !exited(c) {
		return c, nil
	}
	bin := filepath.Join(r.f.toolCache, src.tool+"@"+src.version, src.tool)
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("function %s %s is not in the tool cache: expected %s (see lib/tools.ts)", src.tool, src.version, bin)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	c, err := r.start(revision, src.tool, bin, []string{"--address=" + addr, "--tls-certs-dir=" + r.f.certs}, nil)
	if err != nil {
		return nil, err
	}
	if err := waitListening(addr, c, 20*time.Second); err != nil {
		return nil, fmt.Errorf("function %s: %w (log: %s)", src.tool, err, r.logPath(src.tool))
	}
	c.endpoint = "dns:///" + addr
	return c, nil
}

// ensureProviderKubernetes runs provider-kubernetes as its pod would: under its own service account
// (the package runtime's job in a cluster), with that account's token where in-cluster clients
// read it, so dist/'s `control-cluster` ClusterProviderConfig (InjectedIdentity) works unchanged
// and what the provider may do is decided by RBAC: the RBAC manager's role for the package plus
// dist/'s RoleBinding in argocd.
func (r *packageRuntime) ensureProviderKubernetes(ctx context.Context, rev *unstructured.Unstructured, src packageSource) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.children[rev.GetName()]; ok && !exited(c) {
		return true, nil
	}
	bin := filepath.Join(r.f.toolCache, src.tool+"@"+src.version, src.tool)
	if _, err := os.Stat(bin); err != nil {
		return false, fmt.Errorf("%s %s is not in the tool cache: expected %s", src.tool, src.version, bin)
	}
	runtime, err := r.runtimeFor(ctx, rev)
	if err != nil {
		return false, err
	}
	sa := runtime.serviceAccount
	if ready, err := r.ensureProviderRBAC(ctx, rev, sa); err != nil || !ready {
		return false, err
	}
	tokenDir := filepath.Join(r.f.runDir, "serviceaccount-"+sa)
	if err := r.writeServiceAccountToken(ctx, sa, tokenDir); err != nil {
		return false, err
	}
	// Its own network namespace (isolate.go), and a mount namespace that shows it (and only it)
	// its service account's token where rest.InClusterConfig reads it, as the kubelet's
	// projected volume would.
	_, port, _ := net.SplitHostPort(r.f.apiserver)
	iso := isolation{apiserver: r.f.apiserver, socket: r.apiSocket, binds: map[string]string{"/var/run/secrets/kubernetes.io/serviceaccount": tokenDir}}
	name, args, err := iso.command(bin, runtime.args)
	if err != nil {
		return false, err
	}
	env := []string{"KUBERNETES_SERVICE_HOST=127.0.0.1", "KUBERNETES_SERVICE_PORT=" + port, "TLS_SERVER_CERTS_DIR=" + r.f.certs, "POD_NAMESPACE=" + r.f.namespace}
	c, err := r.start(rev.GetName(), src.tool, name, args, env)
	if err != nil {
		return false, err
	}
	// Its health endpoint is inside its namespace: probe it from there, as a kubelet would.
	probe := func() bool { return probeInside(c.cmd.Process.Pid, "http://127.0.0.1:8081/readyz") }
	if err := waitFunc(probe, c, 90*time.Second); err != nil {
		return false, fmt.Errorf("%s: %w (log: %s)", src.tool, err, r.logPath(src.tool))
	}
	return true, nil
}

// providerRuntime is what a provider's pod would get from its DeploymentRuntimeConfig: the
// service account (serviceAccountTemplate, else the revision's name) and the arguments of the
// `package-runtime` container (crossplane internal/controller/pkg/runtime/runtime.go ContainerName).
type providerRuntime struct {
	serviceAccount string
	args           []string
}

// runtimeFor reads the provider's DeploymentRuntimeConfig. The config is the package's (the
// revision's copy may lag behind it).
func (r *packageRuntime) runtimeFor(ctx context.Context, rev *unstructured.Unstructured) (providerRuntime, error) {
	name, _, _ := unstructured.NestedString(rev.Object, "spec", "runtimeConfigRef", "name")
	if p, err := r.dyn.Resource(providersGVR).Get(ctx, rev.GetLabels()["pkg.crossplane.io/package"], metav1GetOptions()); err == nil {
		if n, _, _ := unstructured.NestedString(p.Object, "spec", "runtimeConfigRef", "name"); n != "" {
			name = n
		}
	}
	out := providerRuntime{serviceAccount: rev.GetName()}
	if name == "" {
		return out, nil
	}
	rc, err := r.dyn.Resource(runtimeConfigs).Get(ctx, name, metav1GetOptions())
	if err != nil {
		return out, fmt.Errorf("runtime config %s: %w", name, err)
	}
	if sa, _, _ := unstructured.NestedString(rc.Object, "spec", "serviceAccountTemplate", "metadata", "name"); sa != "" {
		out.serviceAccount = sa
	}
	containers, _, _ := unstructured.NestedSlice(rc.Object, "spec", "deploymentTemplate", "spec", "template", "spec", "containers")
	for _, c := range containers {
		if c, ok := c.(map[string]interface{}); ok && c["name"] == "package-runtime" {
			args, _, _ := unstructured.NestedStringSlice(c, "args")
			out.args = args
		}
	}
	return out, nil
}

func (r *packageRuntime) start(revision, name, bin string, args, env []string) (*child, error) {
	if err := os.MkdirAll(r.f.logDir, 0o755); err != nil {
		return nil, err
	}
	log, err := os.OpenFile(r.logPath(name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	if env != nil {
		cmd.Env = append(filterEnv(os.Environ(), "KUBECONFIG"), env...)
	}
	cmd.Stdout, cmd.Stderr = log, log
	// If this runtime dies, its programs die with it instead of holding ports.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	go func() {
		err := cmd.Wait()
		log.Close()
		logf("%s (pid %d) exited: %v", name, cmd.Process.Pid, err)
		close(c.done)
	}()
	r.children[revision] = c
	logf("started %s for revision %s: pid %d, log %s", name, revision, cmd.Process.Pid, r.logPath(name))
	return c, nil
}

func (r *packageRuntime) logPath(name string) string { return filepath.Join(r.f.logDir, name+".log") }

func (r *packageRuntime) stopAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, c := range r.children {
		logf("stopping %s (pid %d)", name, c.cmd.Process.Pid)
		stopChild(c)
	}
}

// stopChild stops one program by its own pid: SIGTERM, then SIGKILL after 10 s.
func stopChild(c *child) {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

func exited(c *child) bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

func filterEnv(env []string, drop string) []string {
	out := env[:0:0]
	for _, e := range env {
		if !strings.HasPrefix(e, drop+"=") {
			out = append(out, e)
		}
	}
	return out
}
