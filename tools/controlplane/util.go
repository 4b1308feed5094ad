package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s %s\n", time.Now().UTC().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

func metav1ListOptions() metav1.ListOptions     { return metav1.ListOptions{} }
func metav1GetOptions() metav1.GetOptions       { return metav1.GetOptions{} }
func metav1UpdateOptions() metav1.UpdateOptions { return metav1.UpdateOptions{} }
func metav1CreateOptions() metav1.CreateOptions { return metav1.CreateOptions{} }

func isConflict(err error) bool      { return apierrors.IsConflict(err) }
func isNotFound(err error) bool      { return apierrors.IsNotFound(err) }
func isAlreadyExists(err error) bool { return apierrors.IsAlreadyExists(err) }

// freePort finds a port free on every address below the kernel's ephemeral range (32768 and up),
// which outgoing connections may take between choosing a port and binding it.
func freePort() (int, error) {
	for range 50 {
		port := 20000 + rand.IntN(12000)
		l, err := net.Listen("tcp", fmt.Sprintf(":%d", port))
		if err == nil {
			l.Close()
			return port, nil
		}
	}
	return 0, fmt.Errorf("no free port between 20000 and 32000")
}

// waitListening returns once addr accepts connections, or fails when the program exits first.
func waitListening(addr string, c *child, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if exited(c) {
			return fmt.Errorf("exited before listening on %s", addr)
		}
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("did not listen on %s within %s", addr, timeout)
}

// waitHTTP returns once url answers 200, or fails when the program exits first.
func waitHTTP(url string, c *child, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		if exited(c) {
			return fmt.Errorf("exited before %s answered", url)
		}
		if res, err := client.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer 200 within %s", url, timeout)
}

// setNested sets a string field and says whether it changed.
func setNested(obj map[string]any, value string, path ...string) bool {
	if cur, ok, _ := unstructured.NestedString(obj, path...); ok && cur == value {
		return false
	}
	_ = unstructured.SetNestedField(obj, value, path...)
	return true
}

type condition struct {
	Type, Status, Reason, Message string
}

// setCondition sets a condition in status.conditions the way crossplane-runtime does (one per
// type, lastTransitionTime kept unless the status changes) and says whether anything changed.
func setCondition(u *unstructured.Unstructured, c condition) bool {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	now := time.Now().UTC().Format(time.RFC3339)
	for i, raw := range conds {
		m, _ := raw.(map[string]any)
		if m["type"] != c.Type {
			continue
		}
		if m["status"] == c.Status && m["reason"] == c.Reason && str(m["message"]) == c.Message {
			return false
		}
		if m["status"] != c.Status {
			m["lastTransitionTime"] = now
		}
		m["status"], m["reason"] = c.Status, c.Reason
		if c.Message != "" {
			m["message"] = c.Message
		} else {
			delete(m, "message")
		}
		conds[i] = m
		_ = unstructured.SetNestedSlice(u.Object, conds, "status", "conditions")
		return true
	}
	m := map[string]any{"type": c.Type, "status": c.Status, "reason": c.Reason, "lastTransitionTime": now}
	if c.Message != "" {
		m["message"] = c.Message
	}
	_ = unstructured.SetNestedSlice(u.Object, append(conds, m), "status", "conditions")
	return true
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// waitFunc returns once ready() does, or fails when the program exits first.
func waitFunc(ready func() bool, c *child, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if exited(c) {
			return fmt.Errorf("exited before it was ready")
		}
		if ready() {
			return nil
		}
		time.Sleep(300 * time.Millisecond)
	}
	return fmt.Errorf("not ready within %s", timeout)
}

// runProbe exits 0 when url answers 200 (run inside another network namespace by nsenter).
func runProbe(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: controlplane probe URL")
	}
	res, err := (&http.Client{Timeout: 2 * time.Second}).Get(args[0])
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d", args[0], res.StatusCode)
	}
	return nil
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
