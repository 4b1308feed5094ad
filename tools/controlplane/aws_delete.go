// Deleting in the simulated AWS: what AWS refuses while something still depends on an object, and
// what it keeps on purpose (a final snapshot, a key in its waiting period).
package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
)

func (a *sim) delete(ctx context.Context, client dynamic.ResourceInterface, mr *unstructured.Unstructured, kind string, m kindModel) (bool, error) {
	if !hasString(mr.GetFinalizers(), finalizer) {
		return false, nil
	}
	me := mr.GetNamespace() + "/" + mr.GetName()
	if !m.notAWS {
		account, region, err := a.scope(ctx, mr)
		if err != nil {
			return true, a.setStatus(ctx, client, mr, nil, cond("Ready", "False", "Deleting", ""), cond("Synced", "False", "ReconcileError", err.Error()))
		}
		a.inv.mu.Lock()
		refusal := a.deleteObject(mr, kind, m, account, region, me)
		a.inv.save()
		a.inv.mu.Unlock()
		if refusal != "" {
			return true, a.setStatus(ctx, client, mr, nil, cond("Ready", "False", "Deleting", ""), cond("Synced", "False", "ReconcileError", "delete failed: "+refusal))
		}
	}
	var kept []string
	for _, f := range mr.GetFinalizers() {
		if f != finalizer {
			kept = append(kept, f)
		}
	}
	mr.SetFinalizers(kept)
	_, err := client.Update(ctx, mr, metav1.UpdateOptions{})
	if isNotFound(err) {
		return false, nil
	}
	return false, err
}

// deleteObject deletes (or leaves, by policy) the AWS object of a managed resource; the refusal is
// AWS's answer. Callers hold the inventory lock.
func (a *sim) deleteObject(mr *unstructured.Unstructured, kind string, m kindModel, account, region, me string) string {
	inv := a.inv
	ext := mr.GetAnnotations()[annotationExternal]
	if ext == "" {
		return "" // never created
	}
	o := inv.find(kind, account, region, ext)
	if o == nil {
		return "" // already gone: the provider treats "not found" as deleted
	}
	policies, found, _ := unstructured.NestedStringSlice(mr.Object, "spec", "managementPolicies")
	if found && !hasString(policies, "*") && !hasString(policies, "Delete") {
		o.ManagedBy = without(o.ManagedBy, me)
		o.KeptBecause = "orphaned: its managed resource's managementPolicies do not include Delete"
		inv.event("%s left %s %s in AWS (managementPolicies without Delete)", me, shortKind(kind), o.ID)
		return ""
	}
	if o.State == "pending-deletion" {
		return ""
	}
	if msg := a.refusal(o, m); msg != "" {
		inv.event("refused to delete %s %s for %s: %s", shortKind(kind), o.ID, me, msg)
		return msg
	}
	switch kind {
	case kKey:
		// KMS never deletes a key at once: it waits 7-30 days (deletionWindowInDays, default 30),
		// and until then the key is unusable: whatever it encrypts cannot be read.
		days := 30
		if v, ok := o.Parameters["deletionWindowInDays"].(int64); ok {
			days = int(v)
		} else if v, ok := o.Parameters["deletionWindowInDays"].(float64); ok {
			days = int(v)
		}
		o.State = "pending-deletion"
		o.KeptBecause = fmt.Sprintf("scheduled for deletion: KMS deletes it after its %d-day waiting period, %s", days, time.Now().UTC().AddDate(0, 0, days).Format("2006-01-02"))
		o.ManagedBy = without(o.ManagedBy, me)
		inv.event("scheduled key %s for deletion in %d days (for %s)", o.ID, days, me)
		return ""
	case kRDS:
		if skip, _ := o.Parameters["skipFinalSnapshot"].(bool); !skip {
			id := s(o.Parameters, "finalSnapshotIdentifier")
			if id == "" {
				return "InvalidParameterCombination: FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is set"
			}
			snap := &awsObject{
				Kind: kSnapshot, Account: o.Account, Region: o.Region, ID: id, State: "available", Created: time.Now().UTC(),
				Parameters:  map[string]any{"dbClusterIdentifier": o.ID, "kmsKeyId": s(o.Parameters, "kmsKeyId")},
				ARN:         fmt.Sprintf("arn:aws:rds:%s:%s:cluster-snapshot:%s", o.Region, o.Account, id),
				ManagedBy:   []string{},
				KeptBecause: "the final snapshot of DB cluster " + o.ID + ": kept until someone deletes it",
				Relations:   rel(kKey, relEncrypted, s(o.Parameters, "kmsKeyId")),
			}
			inv.Objects = append(inv.Objects, snap)
			inv.event("took final snapshot %s of %s", id, o.ID)
		}
	}
	inv.remove(o)
	inv.event("deleted %s %s for %s%s", shortKind(kind), o.ID, me, sharedNote(o, me))
	return ""
}

func sharedNote(o *awsObject, me string) string {
	others := without(o.ManagedBy, me)
	if len(others) == 0 {
		return ""
	}
	return " (it was shared with " + strings.Join(others, ", ") + ")"
}

// refusal is what AWS answers when asked to delete o now, or "".
func (a *sim) refusal(o *awsObject, m kindModel) string {
	switch o.Kind {
	case kRDS:
		if p, _ := o.Parameters["deletionProtection"].(bool); p {
			return "InvalidParameterCombination: Cannot delete protected Cluster, please disable deletion protection and try again."
		}
	case kIGW:
		// Detaching a gateway fails while the VPC has public addresses mapped (NAT gateways' EIPs).
		for _, x := range a.inv.Objects {
			if x.Kind == kNAT && x.Account == o.Account && x.Region == o.Region && a.natInVPC(x, s(o.Parameters, "vpcId")) {
				return fmt.Sprintf("DependencyViolation: Network %s has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.", s(o.Parameters, "vpcId"))
			}
		}
	}
	deps := a.inv.dependents(o)
	if len(deps) == 0 {
		return ""
	}
	var names []string
	for _, d := range deps {
		names = append(names, shortKind(d.Kind)+" "+d.ID)
	}
	what := strings.Join(names, ", ")
	switch o.Kind {
	case kEKS:
		return "ResourceInUseException: Cluster has nodegroups attached (" + what + ")"
	case kRole:
		return "DeleteConflict: Cannot delete entity, must detach all policies first (" + what + ")"
	case kRDS:
		return "InvalidDBClusterStateFault: Cluster cannot be deleted, it still contains DB instances in non-deleting state (" + what + ")"
	case kSubnetGrp:
		return "InvalidDBSubnetGroupStateFault: the subnet group is in use by " + what
	case kParamGrp:
		return "InvalidDBParameterGroupState: the parameter group is in use by " + what
	case kRule:
		return "ValidationException: Rule can't be deleted since it has targets (" + what + ")"
	case kEIP:
		return "InvalidIPAddress.InUse: the address is in use by " + what
	}
	return fmt.Sprintf("DependencyViolation: The %s '%s' has dependencies and cannot be deleted (%s)", m.resource, o.ID, what)
}

func (a *sim) natInVPC(nat *awsObject, vpc string) bool {
	sub := a.inv.find(kSubnet, nat.Account, nat.Region, s(nat.Parameters, "subnetId"))
	return sub != nil && s(sub.Parameters, "vpcId") == vpc
}

func without(list []string, v string) []string {
	out := []string{}
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
