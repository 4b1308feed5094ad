// controlplane: the two controllers of ours that make a local control cluster whole (see
// lib/controlplane/ and the README's "Trying a change on a local control cluster").
//
//	controlplane packages  the package runtime Crossplane leaves to us with --package-runtime=External
//	controlplane aws       a simulated AWS at the provider boundary, playing provider-upjet-aws
//	controlplane inventory what exists in the simulated AWS (reads the state file `aws` writes)
//	controlplane probe     exit 0 when a URL answers 200 (readiness inside a namespace)
//	controlplane isolate   run a program in a network namespace of its own (fixed ports), API server reachable
//	controlplane forward   TCP-to-Unix-socket relay, run inside such a namespace
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: controlplane packages|aws|inventory [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "packages":
		err = runPackages(os.Args[2:])
	case "aws":
		err = runAWS(os.Args[2:])
	case "isolate":
		err = runIsolate(os.Args[2:])
	case "forward":
		err = runForward(os.Args[2:])
	case "probe":
		err = runProbe(os.Args[2:])
	case "inventory":
		err = runInventory(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: use packages, aws or inventory", os.Args[1])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "controlplane %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
