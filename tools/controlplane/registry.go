// The package registry, played locally: a package dist/ names by tag (e.g.
// xpkg.upbound.io/upbound/provider-aws-ec2:<version>) is built from what this machine has (the
// upstream CRDs in $CRDS_DIR, the function binaries in the tool cache), written into Crossplane's
// xpkg cache under the name Crossplane looks for, and an ImageConfig rewrites the tag to that
// digest. Crossplane resolves a digest reference without asking a registry and finds the package
// in its cache (crossplane (CONTROL_CLUSTER.crossplane) internal/xpkg/client.go, CachedClient.Get), so dist/ applies
// unchanged and nothing is pulled.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/dynamic"
)

type registry struct {
	dyn                       dynamic.Interface
	cacheDir, crds, toolCache string
	mu                        sync.Mutex
	served                    map[string]bool // package references already in the cache with their ImageConfig
}

// seedFile serves every package a YAML file declares, before anything applies it: Crossplane
// retries a package it could not resolve only after a growing backoff.
func (g *registry) seedFile(ctx context.Context, file string) error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	dec := yaml.NewYAMLOrJSONDecoder(bytes.NewReader(raw), 4096)
	for {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			break
		}
		u := &unstructured.Unstructured{Object: obj}
		if u.GetKind() != "Provider" && u.GetKind() != "Function" {
			continue
		}
		if err := g.serve(ctx, u); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}

// serve makes a Provider's or Function's package resolvable offline.
func (g *registry) serve(ctx context.Context, pkg *unstructured.Unstructured) error {
	ref, _, _ := unstructured.NestedString(pkg.Object, "spec", "package")
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.serveLocked(ctx, pkg.GetKind(), ref)
}

func (g *registry) serveLocked(ctx context.Context, kind, ref string) error {
	if g.served == nil {
		g.served = map[string]bool{}
	}
	if g.served[ref] || strings.Contains(ref, "@") {
		return nil
	}
	src, err := parseRef(ref)
	if err != nil {
		return err
	}
	content, err := g.build(kind, src)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(content)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	source := strings.TrimSuffix(ref, ":"+src.version)
	if err := writeGzip(filepath.Join(g.cacheDir, friendlyID(source, digest)+".gz"), content); err != nil {
		return err
	}
	ic := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "pkg.crossplane.io/v1beta1",
		"kind":       "ImageConfig",
		"metadata": map[string]any{
			"name":   toDNSLabel("local-" + src.tool + "-" + src.version),
			"labels": map[string]any{"drydock.dev/local-registry": "true"},
		},
		"spec": map[string]any{
			"matchImages":  []any{map[string]any{"type": "Prefix", "prefix": ref}},
			"rewriteImage": map[string]any{"prefix": source + "@" + digest},
		},
	}}
	if _, err := g.dyn.Resource(imageConfigs).Create(ctx, ic, metav1CreateOptions()); err != nil && !isAlreadyExists(err) {
		return err
	}
	if strings.HasPrefix(src.tool, "provider-aws-") {
		// Each AWS provider depends on its family provider, which owns the ProviderConfig CRDs.
		// Crossplane resolves that dependency by listing the registry's tags, which cannot work
		// offline: install the family provider as the resolver would have.
		family := strings.TrimSuffix(source, src.tool) + "provider-family-aws:" + src.version
		if err := g.ensureFamily(ctx, family); err != nil {
			return err
		}
	}
	g.served[ref] = true
	logf("serving %s as %s@%s", ref, source, digest[:19])
	return nil
}

func (g *registry) ensureFamily(ctx context.Context, ref string) error {
	p := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "pkg.crossplane.io/v1",
		"kind":       "Provider",
		"metadata": map[string]any{
			"name":        "upbound-provider-family-aws",
			"annotations": map[string]any{"drydock.dev/installed-by": "the local package registry, as Crossplane's dependency resolver would"},
		},
		"spec": map[string]any{"package": ref, "runtimeConfigRef": map[string]any{"name": "provider-aws"}},
	}}
	if _, err := g.dyn.Resource(providersGVR).Create(ctx, p, metav1CreateOptions()); err != nil && !isAlreadyExists(err) {
		return err
	}
	// Served now, not on the next pass, so the family is installable at once.
	return g.serveLocked(ctx, "Provider", ref)
}

// build makes a package's YAML stream: its meta object, then (for providers) its CRDs.
func (g *registry) build(kind string, src packageSource) ([]byte, error) {
	var docs []string
	switch {
	case kind == "Function":
		bin := filepath.Join(g.toolCache, src.tool+"@"+src.version, src.tool)
		if _, err := os.Stat(bin); err != nil {
			return nil, fmt.Errorf("function %s %s is not in the tool cache (expected %s)", src.tool, src.version, bin)
		}
		docs = append(docs, fmt.Sprintf("apiVersion: meta.pkg.crossplane.io/v1\nkind: Function\nmetadata:\n  name: %s\n", src.tool))
	case src.tool == "provider-kubernetes":
		crds, err := g.crdFiles("provider-kubernetes", src.version, func(string) bool { return true })
		if err != nil {
			return nil, err
		}
		docs = append(append(docs, fmt.Sprintf("apiVersion: meta.pkg.crossplane.io/v1\nkind: Provider\nmetadata:\n  name: %s\n", src.tool)), crds...)
	case strings.HasPrefix(src.tool, "provider-aws-") || src.tool == "provider-family-aws":
		// Family members hold their service's groups (<service>.aws[.m].upbound.io); the family
		// provider holds the provider configs (aws[.m].upbound.io).
		prefix := strings.TrimPrefix(src.tool, "provider-aws-") + ".aws."
		if src.tool == "provider-family-aws" {
			prefix = "aws."
		}
		crds, err := g.crdFiles("provider-upjet-aws", src.version, func(f string) bool { return strings.HasPrefix(f, prefix) })
		if err != nil {
			return nil, err
		}
		// SafeStart as upstream declares it (provider-upjet-aws package/crossplane.yaml.tmpl): its
		// ManagedResourceDefinitions start inactive until an activation policy names them.
		meta := fmt.Sprintf("apiVersion: meta.pkg.crossplane.io/v1\nkind: Provider\nmetadata:\n  name: %s\n  labels:\n    pkg.crossplane.io/provider-family: provider-family-aws\nspec:\n  capabilities: [SafeStart]\n", src.tool)
		docs = append(append(docs, meta), crds...)
	default:
		return nil, fmt.Errorf("no local package for %s: this control cluster serves the functions in the tool cache, provider-kubernetes and the provider-upjet-aws families whose CRDs are in %s", src.ref, g.crds)
	}
	return []byte(strings.Join(docs, "\n---\n")), nil
}

// crdFiles reads the CRDs of one upstream folder, refusing a version other than the one its
// SOURCE.md names: a package must not claim a version whose schemas it does not carry.
func (g *registry) crdFiles(folder, version string, keep func(string) bool) ([]string, error) {
	dir := filepath.Join(g.crds, folder)
	source, err := os.ReadFile(filepath.Join(dir, "SOURCE.md"))
	if err != nil {
		return nil, err
	}
	if !strings.Contains(string(source), version) {
		return nil, fmt.Errorf("%s holds CRDs of another release than %s (see its SOURCE.md): pin the version whose CRDs are there", dir, version)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") && keep(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		out = append(out, strings.TrimPrefix(strings.TrimSpace(string(b)), "---\n"))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no CRDs in %s for this package", dir)
	}
	return out, nil
}

func writeGzip(file string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(content); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return os.WriteFile(file, buf.Bytes(), 0o644)
}

// friendlyID and toDNSLabel name a cached package exactly as Crossplane does
// (crossplane (CONTROL_CLUSTER.crossplane) internal/xpkg/name.go FriendlyID, ToDNSLabel).
func friendlyID(name, hash string) string {
	return toDNSLabel(truncate(name, 50) + "-" + truncate(hash, 12))
}

func toDNSLabel(s string) string {
	var cut strings.Builder
	for i := range len(s) {
		b := s[i]
		if ('a' <= b && b <= 'z') || ('0' <= b && b <= '9') {
			cut.WriteByte(b)
		}
		if (b == '.' || b == '/' || b == ':' || b == '-') && (i != 0 && i != 62 && i != len(s)-1) {
			cut.WriteByte('-')
		}
		if i == 62 {
			break
		}
	}
	return strings.Trim(cut.String(), "-")
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
