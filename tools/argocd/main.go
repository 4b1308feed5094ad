// Command argocd evaluates Argo CD behaviour offline, using Argo CD's own code
// (github.com/argoproj/argo-cd/v3, pinned in go.mod) as a library.
//
// Protocol: one JSON request on stdin, one JSON response on stdout. The exit
// status is 0 whenever a response was written (per-item failures are reported
// in that item's "error" field) and 2 when the request cannot be read.
//
// Operations (one file each):
//
//   - "health" (health.go): one health Lua script per object, as Argo CD runs
//     resource.customizations.health.<group_kind>.
//   - "assess" (health.go): the health Argo CD decides for each object given an
//     argocd-cm, with Argo CD's precedence: the ConfigMap's customizations, then
//     the built-in Lua scripts, then gitops-engine's built-in checks.
//   - "applicationset" (appset.go): ApplicationSets rendered into Applications
//     by the ApplicationSet controller's own template code.
//   - "validate" (validate.go): what the application controller makes of an
//     Application: its normalized spec and the conditions its project raises.
//   - "rollingsync" (rollingsync.go): the ApplicationSet controller's reconcile
//     loop with progressive syncs on, against simulated Application outcomes.
//
// The header comment of each file gives its request and response.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	log "github.com/sirupsen/logrus"
)

// argocdNamespace is where the offline Argo CD keeps its ConfigMaps and
// cluster Secrets unless a request says otherwise.
const argocdNamespace = "argocd"

func main() {
	// Argo CD logs through logrus; keep stdout/stderr clean unless debugging.
	log.SetOutput(io.Discard)
	if os.Getenv("ARGOCD_TOOL_DEBUG") != "" {
		log.SetOutput(os.Stderr)
		log.SetLevel(log.DebugLevel)
	}

	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("unreadable request: %v", err)
	}
	var head struct {
		Op string `json:"op"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		fail("unreadable request: %v", err)
	}
	ops := map[string]func([]byte) (any, error){
		"health":         runHealth,
		"assess":         runAssess,
		"applicationset": runAppSets,
		"validate":       runValidate,
		"rollingsync":    runRollingSync,
	}
	op, ok := ops[head.Op]
	if !ok {
		fail("unknown op %q (want health, assess, applicationset, validate or rollingsync)", head.Op)
	}
	results, err := op(raw)
	if err != nil {
		fail("%s: %v", head.Op, err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"results": results}); err != nil {
		fail("writing response: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "argocd-tool: "+format+"\n", args...)
	os.Exit(2)
}

// decode reads the operation's own request shape.
func decode[T any](raw []byte) (T, error) {
	var req T
	err := json.Unmarshal(raw, &req)
	return req, err
}
