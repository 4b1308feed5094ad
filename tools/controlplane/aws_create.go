// Creating and changing objects in the simulated AWS: how a managed resource finds its AWS object
// (by name, by assigned id, or by a unique key another claim already holds), what AWS decides at
// creation, the rules for changing an object in place (EKS one minor at a time, a node group never
// ahead of its cluster), and what it reports back as status.atProvider. aws_delete.go is the
// other half of the lifecycle.
package main

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// createOrUpdate finds the AWS object a managed resource stands for, creating or adopting it, and
// writes its parameters. Callers hold the inventory lock. A refusal is AWS's answer in words.
func (a *sim) createOrUpdate(mr *unstructured.Unstructured, kind string, m kindModel, fp map[string]any, account, region, me string) (*awsObject, string) {
	inv := a.inv
	ext := mr.GetAnnotations()[annotationExternal]
	var o *awsObject
	if m.idPrefix == "" {
		// The name is the identity: provider-upjet-aws looks the name up and adopts what it finds
		// (config/externalname.go), e.g. an EKS cluster or IAM role another claim created.
		if ext == "" {
			ext = mr.GetName()
		}
		o = inv.find(kind, account, region, ext)
	} else {
		// AWS assigns the id; ours is derived from the managed resource, so an id whose external
		// name annotation was lost to a write conflict is found again rather than made twice.
		if ext == "" || ext == mr.GetName() {
			ext = assignedID(kind, m, mr)
		}
		o = inv.find(kind, account, region, ext)
	}
	unique := ""
	if m.unique != nil {
		unique = m.unique(fp)
	}
	if o == nil && unique != "" {
		if existing := inv.findUnique(kind, account, region, unique); existing != nil {
			if m.refuseCode != "" && !hasString(existing.ManagedBy, me) {
				return nil, inv.refused("create", kind, me, "create failed: "+m.refuseCode)
			}
			o = existing
		}
	}
	if o == nil {
		for _, r := range relationsOf(m, fp) {
			if r.How == relEncrypted {
				continue
			}
			if inv.find(r.Kind, account, region, r.ID) == nil {
				return nil, fmt.Sprintf("create failed: %s %q does not exist", shortKind(r.Kind), r.ID)
			}
		}
		o = &awsObject{Kind: kind, Account: account, Region: region, ID: ext, State: "available", Unique: unique, Created: time.Now().UTC(), Version: 1}
		if m.global {
			o.Region = ""
		}
		if m.idPrefix != "" {
			o.ID = assignedID(kind, m, mr)
		}
		if msg := a.onCreate(o, fp); msg != "" {
			return nil, inv.refused("create", kind, me, msg)
		}
		o.Parameters = fp
		o.ARN = arnOf(m, o)
		inv.Objects = append(inv.Objects, o)
		inv.save()
		inv.event("created %s %s in %s %s for %s", shortKind(kind), o.ID, account, o.Region, me)
	} else if !reflect.DeepEqual(o.Parameters, fp) {
		if msg := a.onUpdate(o, fp); msg != "" {
			return nil, inv.refused("update", kind, me, "update failed: "+msg)
		}
		o.Parameters = fp
		o.Version++
		inv.save()
	}
	if !hasString(o.ManagedBy, me) {
		if len(o.ManagedBy) > 0 {
			inv.event("%s adopted %s %s, already managed by %s", me, shortKind(kind), o.ID, strings.Join(o.ManagedBy, ", "))
		}
		o.ManagedBy = append(o.ManagedBy, me)
		inv.save()
	}
	o.Relations = relationsOf(m, fp)
	return o, ""
}

func relationsOf(m kindModel, fp map[string]any) []relation {
	if m.relations == nil {
		return nil
	}
	return m.relations(fp)
}

// assignedID is the id AWS gives a new object of a kind whose id it assigns (vpc-..., a KMS key's
// UUID), derived from the managed resource's UID.
func assignedID(kind string, m kindModel, mr *unstructured.Unstructured) string {
	if kind == kKey {
		h := hexOf(string(mr.GetUID())+kind, 32)
		return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
	}
	return m.idPrefix + hexOf(string(mr.GetUID())+kind, 17)
}

// onCreate applies what AWS decides at creation.
func (a *sim) onCreate(o *awsObject, fp map[string]any) string {
	switch o.Kind {
	case kEKS:
		// Without a version EKS picks its default; the platform always sets one.
		o.Attributes = map[string]any{"version": s(fp, "version")}
		// EKS creates the cluster security group itself, and deletes it with the cluster.
		vpc, _ := fp["vpcConfig"].(map[string]any)
		var vpcID string
		if subnets := strs(vpc, "subnetIds"); len(subnets) > 0 {
			if sub := a.inv.find(kSubnet, o.Account, o.Region, subnets[0]); sub != nil {
				vpcID = s(sub.Parameters, "vpcId")
			}
		}
		a.inv.Objects = append(a.inv.Objects, &awsObject{
			Kind: kSG, Account: o.Account, Region: o.Region, ID: eksClusterSecurityGroup(o.ID), State: "available", Created: o.Created,
			Parameters:  map[string]any{"vpcId": vpcID, "description": "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes"},
			ARN:         fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", o.Region, o.Account, eksClusterSecurityGroup(o.ID)),
			ManagedBy:   []string{},
			KeptBecause: "made by EKS for cluster " + o.ID + ": goes with it",
			Relations:   append(rel(kEKS, relPart, o.ID), rel(kVPC, relIn, vpcID)...),
		})
	case kNodeGroup:
		// Without a version a node group gets its cluster's version, and keeps it.
		v := s(fp, "version")
		if v == "" {
			if c := a.inv.find(kEKS, o.Account, o.Region, s(fp, "clusterName")); c != nil {
				v = s(c.Attributes, "version")
			}
		}
		if msg := a.nodeGroupVersionFits(o, fp, v); msg != "" {
			return "create failed: " + msg
		}
		o.Attributes = map[string]any{"version": v}
	}
	return ""
}

// onUpdate applies the AWS rules for changing an object in place. Each version change of an EKS
// cluster, node group or add-on is an event naming the version the cluster ran then, so that an
// upgrade's order can be read afterwards.
func (a *sim) onUpdate(o *awsObject, fp map[string]any) string {
	switch o.Kind {
	case kEKS:
		from, to := s(o.Attributes, "version"), s(fp, "version")
		if to != "" && to != from {
			// EKS moves a control plane one minor version at a time, never down
			// (UpdateClusterVersion: "Unsupported Kubernetes minor version update").
			if minor(to) != minor(from)+1 {
				return fmt.Sprintf("InvalidParameterException: Unsupported Kubernetes minor version update from %s to %s", from, to)
			}
			o.Attributes["version"] = to
			a.inv.event("updated eks/Cluster %s version %s to %s", o.ID, from, to)
		}
	case kNodeGroup:
		from, to := s(o.Attributes, "version"), s(fp, "version")
		if to != "" && to != from {
			if msg := a.nodeGroupVersionFits(o, fp, to); msg != "" {
				return msg
			}
			o.Attributes["version"] = to
			a.inv.event("updated eks/NodeGroup %s version %s to %s (cluster %s at %s)", o.ID, from, to, s(fp, "clusterName"), a.clusterVersion(o, fp))
		}
	case kAddon:
		if from, to := s(o.Parameters, "addonVersion"), s(fp, "addonVersion"); to != from {
			a.inv.event("updated eks/Addon %s version %s to %s (cluster %s at %s)", o.ID, from, to, s(fp, "clusterName"), a.clusterVersion(o, fp))
		}
	case kRDS:
		if s(o.Parameters, "engine") != s(fp, "engine") && s(o.Parameters, "engine") != "" {
			return "InvalidParameterCombination: the engine of a DB cluster cannot be changed"
		}
	}
	return ""
}

// clusterVersion is the Kubernetes version the EKS cluster a part (node group, add-on) belongs to runs.
func (a *sim) clusterVersion(o *awsObject, fp map[string]any) string {
	if c := a.inv.find(kEKS, o.Account, o.Region, s(fp, "clusterName")); c != nil {
		return s(c.Attributes, "version")
	}
	return "unknown"
}

func (a *sim) nodeGroupVersionFits(o *awsObject, fp map[string]any, v string) string {
	c := a.inv.find(kEKS, o.Account, o.Region, s(fp, "clusterName"))
	if c == nil || v == "" {
		return ""
	}
	if cv := s(c.Attributes, "version"); minor(v) > minor(cv) {
		return fmt.Sprintf("InvalidParameterException: Nodegroup Kubernetes version %s should be equal or less than the cluster's version %s", v, cv)
	}
	return ""
}

func minor(v string) int {
	var major, m int
	fmt.Sscanf(v, "%d.%d", &major, &m)
	return major*1000 + m
}

// unreadableBecause says why an existing object cannot be read: its KMS key is pending deletion.
func (a *sim) unreadableBecause(o *awsObject, m kindModel) string {
	for _, r := range o.Relations {
		if r.How != relEncrypted {
			continue
		}
		if k := a.inv.find(r.Kind, o.Account, o.Region, r.ID); k != nil && k.State == "pending-deletion" {
			return fmt.Sprintf("KMSKeyNotAccessibleFault: the KMS key %s that encrypts this %s is pending deletion: its data cannot be read", k.ID, m.resource)
		}
	}
	return ""
}

// observedStatus is status.atProvider: the parameters as AWS holds them plus what AWS reports.
func observedStatus(o *awsObject, m kindModel) map[string]any {
	out, _ := deepCopy(o.Parameters).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	out["id"] = o.atID()
	if o.ARN != "" {
		out["arn"] = o.ARN
	}
	if m.observed != nil {
		for k, v := range m.observed(o) {
			if old, ok := out[k].(map[string]any); ok {
				if add, ok := v.(map[string]any); ok {
					for kk, vv := range add {
						old[kk] = vv
					}
					continue
				}
			}
			out[k] = v
		}
	}
	return out
}
