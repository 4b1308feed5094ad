// A network namespace of its own for a program that binds fixed ports (provider-kubernetes binds
// :8080, :9443 and :8081 whatever it is told; Crossplane's RBAC manager binds :8080), so that
// another program on a shared machine holding them does not matter. Inside, loopback reaches the
// API server at the same address through a Unix socket (sockets are files, which namespaces
// share), and a readiness probe is run from inside, as a kubelet would.
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
	"syscall"
	"time"
)

// isolation says how to start a program in its own network (and, with binds, mount) namespace.
type isolation struct {
	apiserver string            // host:port of the API server on the host's loopback
	socket    string            // Unix socket relaying to it (serveUnixToTCP)
	binds     map[string]string // folder inside -> folder outside, bind-mounted in a mount namespace of its own
}

// command returns the unshare invocation that runs bin with args inside the namespace.
func (iso isolation) command(bin string, args []string) (string, []string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	_, port, err := net.SplitHostPort(iso.apiserver)
	if err != nil {
		return "", nil, err
	}
	setup := []string{"ip link set lo up"}
	unshare := []string{"--net"}
	for inside, outside := range iso.binds {
		setup = append(setup, fmt.Sprintf("mkdir -p %s && mount --bind %s %s", inside, outside, inside))
	}
	if len(iso.binds) > 0 {
		unshare = append(unshare, "--mount", "--propagation", "private")
	}
	// "$0" "$@" keep the program's own arguments as they are.
	script := fmt.Sprintf(`%s || exit 1; %s forward --listen=127.0.0.1:%s --unix=%s & exec "$0" "$@"`,
		strings.Join(setup, " && "), self, port, iso.socket)
	out := append(unshare, "sh", "-c", script, bin)
	out = append(out, args...)
	if os.Geteuid() != 0 {
		out = append([]string{"--map-root-user"}, out...)
	}
	return "unshare", out, nil
}

// probeInside reports whether url answers 200 from inside the network namespace of pid.
func probeInside(pid int, url string) bool {
	self, err := os.Executable()
	if err != nil {
		return false
	}
	return exec.Command("nsenter", fmt.Sprintf("--net=/proc/%d/ns/net", pid), self, "probe", url).Run() == nil
}

// runIsolate runs one program isolated until it exits or this process is told to stop, which it
// passes on. It logs "isolated program ready" once --probe answers from inside.
func runIsolate(args []string) error {
	fs := flag.NewFlagSet("isolate", flag.ExitOnError)
	apiserver := fs.String("apiserver", "", "host:port of the API server, reached at the same address inside")
	probe := fs.String("probe", "", "URL answered 200 inside the namespace once the program is ready")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("usage: controlplane isolate --apiserver=HOST:PORT [--probe=URL] -- PROGRAM [ARGS]")
	}
	dir, err := os.MkdirTemp("", "controlplane-isolate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	iso := isolation{apiserver: *apiserver, socket: filepath.Join(dir, "apiserver.sock")}
	if err := serveUnixToTCP(ctx, iso.socket, iso.apiserver); err != nil {
		return err
	}
	name, cargs, err := iso.command(fs.Arg(0), fs.Args()[1:])
	if err != nil {
		return err
	}
	cmd := exec.Command(name, cargs...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	ready := *probe == ""
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return err
		case s := <-signals:
			_ = cmd.Process.Signal(s)
		case <-tick.C:
			if !ready && probeInside(cmd.Process.Pid, *probe) {
				ready = true
				logf("isolated program ready")
			}
		}
	}
}
