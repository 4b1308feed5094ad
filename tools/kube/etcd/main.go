// etcd for the local control cluster: etcd's own entry point, built from go.etcd.io/etcd/server/v3
// at the version k8s.io/kubernetes pins in its go.mod (the release binary's main only calls this).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
