// Loopback across network namespaces: a program in a namespace of its own reaches the API server
// on the host's loopback through a Unix socket (sockets are files, which namespaces share).
package main

import (
	"context"
	"flag"
	"io"
	"net"
	"os"
	"time"
)

// serveUnixToTCP accepts on a Unix socket and connects each client to addr (host:port).
func serveUnixToTCP(ctx context.Context, socket, addr string) error {
	_ = os.Remove(socket)
	l, err := net.Listen("unix", socket)
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	go acceptAndPipe(l, func() (net.Conn, error) { return net.Dial("tcp", addr) })
	return nil
}

// runForward listens on a TCP address (inside a namespace) and connects each client to a Unix
// socket. It exits when its parent (the program it serves) is gone.
func runForward(args []string) error {
	fs := flag.NewFlagSet("forward", flag.ExitOnError)
	listen := fs.String("listen", "", "host:port to listen on")
	socket := fs.String("unix", "", "Unix socket to connect each client to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	parent := os.Getppid()
	go func() {
		for range time.Tick(time.Second) {
			if os.Getppid() != parent {
				os.Exit(0)
			}
		}
	}()
	acceptAndPipe(l, func() (net.Conn, error) { return net.Dial("unix", *socket) })
	return nil
}

func acceptAndPipe(l net.Listener, dial func() (net.Conn, error)) {
	for {
		in, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer in.Close()
			out, err := dial()
			if err != nil {
				return
			}
			defer out.Close()
			go func() { _, _ = io.Copy(out, in) }()
			_, _ = io.Copy(in, out)
		}()
	}
}
