// What exists in the simulated AWS, kept as a JSON file so a test (or `controlplane inventory`)
// can ask, after a teardown, what is left and why.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

type awsObject struct {
	Kind    string `json:"kind"`
	Account string `json:"account"`
	Region  string `json:"region,omitempty"`
	// ID is the external name: the AWS-assigned id, or the name when the name is the identity.
	ID  string `json:"id"`
	ARN string `json:"arn,omitempty"`
	// Parameters as the provider last wrote them (spec.forProvider, references resolved).
	Parameters map[string]any `json:"parameters"`
	// Attributes AWS keeps that are not parameters (a node group's version at creation).
	Attributes map[string]any `json:"attributes,omitempty"`
	// Version counts changes (a launch template's latestVersion).
	Version int `json:"version"`
	// State is "available", or "pending-deletion" for a KMS key scheduled for deletion.
	State string `json:"state"`
	// Unique is the value AWS allows only once for this kind, if any.
	Unique string `json:"unique,omitempty"`
	// ManagedBy lists the managed resources ("<namespace>/<name>") that created or adopted it:
	// more than one means two claims share one AWS object.
	ManagedBy []string   `json:"managedBy"`
	Relations []relation `json:"relations,omitempty"`
	// KeptBecause says why an object outlives what made it (a final snapshot, a key's waiting period).
	KeptBecause string    `json:"keptBecause,omitempty"`
	Created     time.Time `json:"created"`
}

type inventory struct {
	mu      sync.Mutex
	file    string
	dirty   bool
	Objects []*awsObject `json:"objects"`
	// Events is every refusal and deletion, in order: what a teardown waited for.
	Events []string `json:"events"`
	// lastRefusal is the latest refusal event per managed resource and kind (see refused).
	lastRefusal map[string]string
}

// atID is what status.atProvider.id reports and what references to the object hold.
func (o *awsObject) atID() string {
	if m := models[o.Kind]; m.id != nil {
		return m.id(o)
	}
	return o.ID
}

func (inv *inventory) scopeMatches(o *awsObject, kind, account, region string) bool {
	if o.Kind != kind || o.Account != account {
		return false
	}
	return models[kind].global || o.Region == region
}

// find returns the object of kind that a field value names: its id, its ARN or its atProvider id.
func (inv *inventory) find(kind, account, region, ref string) *awsObject {
	for _, o := range inv.Objects {
		if inv.scopeMatches(o, kind, account, region) && (o.ID == ref || o.ARN == ref || o.atID() == ref) {
			return o
		}
	}
	return nil
}

func (inv *inventory) findUnique(kind, account, region, unique string) *awsObject {
	for _, o := range inv.Objects {
		if inv.scopeMatches(o, kind, account, region) && o.Unique == unique {
			return o
		}
	}
	return nil
}

// seedEKS records an EKS cluster made outside the platform (the control cluster, which the
// bootstrap's Pod Identity associations attach to), given as REGION/NAME. No managed resource
// manages it, so no teardown deletes it.
func (inv *inventory) seedEKS(account, regionName string) error {
	region, name, ok := strings.Cut(regionName, "/")
	if !ok || region == "" || name == "" {
		return fmt.Errorf("--existing-eks %q: want REGION/NAME, e.g. eu-west-1/drydock-control", regionName)
	}
	o := &awsObject{
		Kind: kEKS, Account: account, Region: region, ID: name, State: "available", Version: 1, Created: time.Now().UTC(),
		Parameters: map[string]any{}, Attributes: map[string]any{}, ManagedBy: []string{}, KeptBecause: "made outside the platform (the control cluster)",
	}
	o.ARN = arnOf(models[kEKS], o)
	inv.Objects = append(inv.Objects, o)
	inv.event("exists before the platform: %s %s in %s %s", shortKind(kEKS), name, account, region)
	return nil
}

// dependents are the objects that stand in o (relation "in"), which AWS would not let o go before.
func (inv *inventory) dependents(o *awsObject) []*awsObject {
	var out []*awsObject
	for _, x := range inv.Objects {
		if x == o {
			continue
		}
		for _, r := range x.Relations {
			if r.How == relIn && r.Kind == o.Kind && x.Account == o.Account && (o.ID == r.ID || o.ARN == r.ID || o.atID() == r.ID) {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

func (inv *inventory) remove(o *awsObject) {
	for i, x := range inv.Objects {
		if x == o {
			inv.Objects = append(inv.Objects[:i], inv.Objects[i+1:]...)
			break
		}
	}
	// Parts go with their whole (an EKS add-on with its cluster, a route with its table).
	for _, x := range append([]*awsObject(nil), inv.Objects...) {
		for _, r := range x.Relations {
			if r.How == relPart && r.Kind == o.Kind && x.Account == o.Account && (o.ID == r.ID || o.ARN == r.ID || o.atID() == r.ID) {
				inv.remove(x)
				break
			}
		}
	}
}

func (inv *inventory) event(format string, args ...any) {
	msg := time.Now().UTC().Format("15:04:05.000") + " " + fmt.Sprintf(format, args...)
	inv.Events = append(inv.Events, msg)
	inv.dirty = true
	logf("%s", fmt.Sprintf(format, args...))
}

// save marks the inventory for writing; callers hold mu. flushLoop writes it at most twice a second.
// refused records AWS's refusal of a create or update as an event and returns it: what a
// scenario reads afterwards to tell an order the platform got wrong (e.g. a node group asked to run
// ahead of its control plane, which the provider would retry until it fits) from one it got right.
// A refusal repeated on every retry is recorded once, while it stays the latest for that resource.
func (inv *inventory) refused(action, kind, me, msg string) string {
	line := fmt.Sprintf("refused to %s %s for %s: %s", action, shortKind(kind), me, msg)
	if inv.lastRefusal == nil {
		inv.lastRefusal = map[string]string{}
	}
	if inv.lastRefusal[me+" "+kind] != line {
		inv.lastRefusal[me+" "+kind] = line
		inv.event("%s", line)
	}
	return msg
}

func (inv *inventory) save() { inv.dirty = true }

func (inv *inventory) flushLoop() {
	for range time.Tick(300 * time.Millisecond) {
		inv.mu.Lock()
		if inv.dirty {
			inv.write()
			inv.dirty = false
		}
		inv.mu.Unlock()
	}
}

// write writes the inventory atomically; callers hold mu.
func (inv *inventory) write() {
	sort.SliceStable(inv.Objects, func(i, j int) bool {
		a, b := inv.Objects[i], inv.Objects[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.ID < b.ID
	})
	b, err := json.MarshalIndent(inv, "", " ")
	if err != nil {
		logf("inventory: %v", err)
		return
	}
	tmp := inv.file + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err == nil {
		_ = os.Rename(tmp, inv.file)
	}
}

// runInventory prints what the simulated AWS holds, one object a line.
func runInventory(args []string) error {
	fs := flag.NewFlagSet("inventory", flag.ExitOnError)
	file := fs.String("state", "", "the simulated AWS's state file (aws --state)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	var inv inventory
	if err := json.Unmarshal(b, &inv); err != nil {
		return err
	}
	for _, o := range inv.Objects {
		extra := ""
		if o.KeptBecause != "" {
			extra = "  kept: " + o.KeptBecause
		}
		if len(o.ManagedBy) > 1 {
			extra += "  SHARED by " + strings.Join(o.ManagedBy, ", ")
		}
		fmt.Printf("%-48s %-14s %-12s %-40s %s%s\n", o.Kind, o.Account, o.Region, o.ID, o.State, extra)
	}
	fmt.Printf("%d objects\n", len(inv.Objects))
	return nil
}
