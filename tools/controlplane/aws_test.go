package main

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
)

// The AWS rules of the simulated AWS, one by one, on its inventory alone (no API server): what
// the lifecycle scenarios rely on when they delete, adopt and upgrade.

type world struct {
	t *testing.T
	a *sim
}

func newWorld(t *testing.T) *world {
	return &world{t: t, a: &sim{inv: &inventory{file: t.TempDir() + "/inventory.json"}}}
}

func mr(ns, name, externalName string, params map[string]any) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{"forProvider": params}}}
	u.SetNamespace(ns)
	u.SetName(name)
	u.SetUID(types.UID(ns + "/" + name))
	if externalName != "" {
		u.SetAnnotations(map[string]string{annotationExternal: externalName})
	}
	return u
}

// create makes the AWS object of a managed resource in account 111122223333, eu-west-1, and
// returns it with the managed resource (its external name set, as the controller would).
func (w *world) create(kind, ns, name, externalName string, params map[string]any) (*awsObject, *unstructured.Unstructured) {
	w.t.Helper()
	return w.createIn("111122223333", kind, ns, name, externalName, params)
}

func (w *world) createIn(account, kind, ns, name, externalName string, params map[string]any) (*awsObject, *unstructured.Unstructured) {
	w.t.Helper()
	m := mr(ns, name, externalName, params)
	o, refusal := w.a.createOrUpdate(m, kind, models[kind], params, account, "eu-west-1", ns+"/"+name)
	if refusal != "" {
		w.t.Fatalf("create %s %s: %s", kind, name, refusal)
	}
	m.SetAnnotations(map[string]string{annotationExternal: o.ID})
	return o, m
}

func (w *world) delete(kind string, m *unstructured.Unstructured) string {
	return w.a.deleteObject(m, kind, models[kind], "111122223333", "eu-west-1", m.GetNamespace()+"/"+m.GetName())
}

// deleted deletes and fails the test if AWS refuses.
func (w *world) deleted(kind string, m *unstructured.Unstructured) {
	w.t.Helper()
	if got := w.delete(kind, m); got != "" {
		w.t.Fatalf("delete %s %s: %s", kind, m.GetName(), got)
	}
}

func expectRefusal(t *testing.T, got, code string) {
	t.Helper()
	if !strings.HasPrefix(got, code) {
		t.Fatalf("want a refusal starting %q, got %q", code, got)
	}
}

func TestAVPCWithASubnetCannotBeDeletedUntilTheSubnetIsGone(t *testing.T) {
	w := newWorld(t)
	vpc, vpcMR := w.create(kVPC, "team", "vpc", "", map[string]any{"cidrBlock": "10.0.0.0/16"})
	_, subnetMR := w.create(kSubnet, "team", "subnet", "", map[string]any{"vpcId": vpc.ID})
	expectRefusal(t, w.delete(kVPC, vpcMR), "DependencyViolation")
	w.deleted(kSubnet, subnetMR)
	w.deleted(kVPC, vpcMR)
	if n := len(w.a.inv.Objects); n != 0 {
		t.Fatalf("%d objects left", n)
	}
}

func TestAGatewayStaysAttachedWhileNATGatewaysMapPublicAddresses(t *testing.T) {
	w := newWorld(t)
	vpc, _ := w.create(kVPC, "team", "vpc", "", nil)
	_, igwMR := w.create(kIGW, "team", "igw", "", map[string]any{"vpcId": vpc.ID})
	subnet, _ := w.create(kSubnet, "team", "subnet", "", map[string]any{"vpcId": vpc.ID})
	eip, eipMR := w.create(kEIP, "team", "eip", "", nil)
	_, natMR := w.create(kNAT, "team", "nat", "", map[string]any{"subnetId": subnet.ID, "allocationId": eip.ID})
	expectRefusal(t, w.delete(kIGW, igwMR), "DependencyViolation: Network")
	expectRefusal(t, w.delete(kEIP, eipMR), "InvalidIPAddress.InUse")
	w.deleted(kNAT, natMR)
	w.deleted(kIGW, igwMR)
}

func TestTwoClaimsWithOneIAMRoleNameShareOneRoleInAnAccountButNotAcrossAccounts(t *testing.T) {
	w := newWorld(t)
	first, _ := w.create(kRole, "team-a", "orders-nodes-1", "orders-nodes", map[string]any{"assumeRolePolicy": "{}"})
	second, _ := w.create(kRole, "team-b", "orders-nodes-2", "orders-nodes", map[string]any{"assumeRolePolicy": "{}"})
	if first != second || len(first.ManagedBy) != 2 {
		t.Fatalf("the second claim must adopt the first's role: %+v %+v", first, second)
	}
	other, _ := w.createIn("444455556666", kRole, "team-c", "orders-nodes-3", "orders-nodes", nil)
	if other == first {
		t.Fatal("an IAM role in another account is another role")
	}
}

func TestARouteToADestinationAlreadyInItsTableIsRefused(t *testing.T) {
	w := newWorld(t)
	vpc, _ := w.create(kVPC, "team", "vpc", "", nil)
	rtb, _ := w.create(kRouteTable, "team", "rtb", "", map[string]any{"vpcId": vpc.ID})
	route := map[string]any{"routeTableId": rtb.ID, "destinationCidrBlock": "0.0.0.0/0"}
	w.create("ec2.aws.m.upbound.io/Route", "team", "route-1", "", route)
	_, refusal := w.a.createOrUpdate(mr("team", "route-2", "", route), "ec2.aws.m.upbound.io/Route", models["ec2.aws.m.upbound.io/Route"], route, "111122223333", "eu-west-1", "team/route-2")
	expectRefusal(t, refusal, "create failed: RouteAlreadyExists")
}

func TestAProtectedDatabaseRefusesDeletionAndAnUnprotectedOneLeavesItsFinalSnapshot(t *testing.T) {
	w := newWorld(t)
	key, _ := w.create(kKey, "team", "key", "", nil)
	_, protected := w.create(kRDS, "team", "db-1", "db-1", map[string]any{"deletionProtection": true, "kmsKeyId": key.ARN})
	expectRefusal(t, w.delete(kRDS, protected), "InvalidParameterCombination: Cannot delete protected Cluster")
	_, unprotected := w.create(kRDS, "team", "db-2", "db-2", map[string]any{"kmsKeyId": key.ARN, "finalSnapshotIdentifier": "db-2-final"})
	w.deleted(kRDS, unprotected)
	snap := w.a.inv.find(kSnapshot, "111122223333", "eu-west-1", "db-2-final")
	if snap == nil || snap.KeptBecause == "" {
		t.Fatalf("the final snapshot is kept, with why: %+v", snap)
	}
}

func TestADatabaseWithInstancesWaitsForThemAndAKeyPendingDeletionMakesItUnreadable(t *testing.T) {
	w := newWorld(t)
	key, keyMR := w.create(kKey, "team", "key", "", nil)
	db, dbMR := w.create(kRDS, "team", "db", "db", map[string]any{"kmsKeyId": key.ARN, "skipFinalSnapshot": true})
	_, instMR := w.create(kRDSInst, "team", "writer", "writer", map[string]any{"clusterIdentifier": db.ID})
	expectRefusal(t, w.delete(kRDS, dbMR), "InvalidDBClusterStateFault")
	w.deleted(kKey, keyMR)
	if key.State != "pending-deletion" || w.a.inv.find(kKey, "111122223333", "eu-west-1", key.ID) == nil {
		t.Fatalf("a deleted key waits out its deletion period: %+v", key)
	}
	if why := w.a.unreadableBecause(db, models[kRDS]); !strings.HasPrefix(why, "KMSKeyNotAccessibleFault") {
		t.Fatalf("a database whose key is pending deletion cannot be read, got %q", why)
	}
	w.deleted(kRDSInst, instMR)
	w.deleted(kRDS, dbMR)
}

// Versions here are made up: the rules hold for any (real ones live in catalog/).
func TestEKSMovesOneMinorAtATimeAndANodeGroupNeverRunsAhead(t *testing.T) {
	w := newWorld(t)
	cluster, clusterMR := w.create(kEKS, "team", "cluster", "orders", map[string]any{"version": "1.40"})
	ng, ngMR := w.create(kNodeGroup, "team", "nodes", "system", map[string]any{"clusterName": "orders"})
	if ng.Attributes["version"] != "1.40" {
		t.Fatalf("a node group created without a version gets its cluster's: %v", ng.Attributes)
	}
	skip := map[string]any{"version": "1.42"}
	if _, refusal := w.a.createOrUpdate(clusterMR, kEKS, models[kEKS], skip, "111122223333", "eu-west-1", "team/cluster"); !strings.Contains(refusal, "Unsupported Kubernetes minor version update from 1.40 to 1.42") {
		t.Fatalf("a skipped minor is refused, got %q", refusal)
	}
	ahead := map[string]any{"clusterName": "orders", "version": "1.41"}
	if _, refusal := w.a.createOrUpdate(ngMR, kNodeGroup, models[kNodeGroup], ahead, "111122223333", "eu-west-1", "team/nodes"); !strings.Contains(refusal, "should be equal or less") {
		t.Fatalf("a node group may not run ahead of its cluster, got %q", refusal)
	}
	// The refusal is an event (the upgrade scenario reads events to tell whether the platform
	// ever asked for a node group ahead of its control plane), recorded once however often the
	// provider retries it.
	_, _ = w.a.createOrUpdate(ngMR, kNodeGroup, models[kNodeGroup], ahead, "111122223333", "eu-west-1", "team/nodes")
	var refusals []string
	for _, e := range w.a.inv.Events {
		if strings.Contains(e, "refused to update eks/NodeGroup for team/nodes") && strings.Contains(e, "Nodegroup Kubernetes version 1.41") {
			refusals = append(refusals, e)
		}
	}
	if len(refusals) != 1 {
		t.Fatalf("want the node group's refusal recorded once as an event, got %q", w.a.inv.Events)
	}
	if _, refusal := w.a.createOrUpdate(clusterMR, kEKS, models[kEKS], map[string]any{"version": "1.41"}, "111122223333", "eu-west-1", "team/cluster"); refusal != "" {
		t.Fatal(refusal)
	}
	if _, refusal := w.a.createOrUpdate(ngMR, kNodeGroup, models[kNodeGroup], ahead, "111122223333", "eu-west-1", "team/nodes"); refusal != "" {
		t.Fatal(refusal)
	}
	expectRefusal(t, w.delete(kEKS, clusterMR), "ResourceInUseException")
	_ = cluster
}

func TestAnEKSClusterTakesItsAddOnsAndSecurityGroupWithIt(t *testing.T) {
	w := newWorld(t)
	_, clusterMR := w.create(kEKS, "team", "cluster", "orders", map[string]any{"version": "1.41"})
	w.create("eks.aws.m.upbound.io/Addon", "team", "coredns", "", map[string]any{"clusterName": "orders", "addonName": "coredns"})
	if w.a.inv.find(kSG, "111122223333", "eu-west-1", eksClusterSecurityGroup("orders")) == nil {
		t.Fatal("EKS makes the cluster security group")
	}
	w.deleted(kEKS, clusterMR)
	if n := len(w.a.inv.Objects); n != 0 {
		t.Fatalf("the add-on and the security group go with the cluster; left %d", n)
	}
}

func TestManagementPoliciesWithoutDeleteLeaveTheObjectInAWS(t *testing.T) {
	w := newWorld(t)
	_, m := w.create(kRole, "team", "role", "kept", nil)
	m.Object["spec"].(map[string]any)["managementPolicies"] = []any{"Observe", "Create", "Update", "LateInitialize"}
	w.deleted(kRole, m)
	o := w.a.inv.find(kRole, "111122223333", "", "kept")
	if o == nil || !strings.HasPrefix(o.KeptBecause, "orphaned") {
		t.Fatalf("the role stays, saying why: %+v", o)
	}
}

func TestTheCachedPackageIsNamedAsCrossplaneNamesIt(t *testing.T) {
	// Crossplane's FriendlyID of a package source and digest (internal/xpkg/name.go).
	got := friendlyID("xpkg.upbound.io/upbound/provider-aws-ec2", "sha256:0123456789abcdef")
	if want := "xpkg-upbound-io-upbound-provider-aws-ec2-sha256-01234"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestAPodIdentityAssociationNeedsItsClusterWhichTheControlClusterIsBeforeAnythingIsComposed(t *testing.T) {
	w := newWorld(t)
	params := map[string]any{"clusterName": "drydock-control", "namespace": "argocd", "serviceAccount": "argocd-server", "roleArn": "arn:aws:iam::111122223333:role/argocd"}
	m := mr("crossplane-system", "argocd-server", "", params)
	kind := "eks.aws.m.upbound.io/PodIdentityAssociation"
	_, refusal := w.a.createOrUpdate(m, kind, models[kind], params, "111122223333", "eu-west-1", "crossplane-system/argocd-server")
	expectRefusal(t, refusal, `create failed: eks/Cluster "drydock-control" does not exist`)
	if err := w.a.inv.seedEKS("111122223333", "eu-west-1/drydock-control"); err != nil {
		t.Fatal(err)
	}
	w.create(kind, "crossplane-system", "argocd-server", "", params)
	// Readers of the inventory file take managedBy as a list: none manages the control cluster.
	if seeded := w.a.inv.find(kEKS, "111122223333", "eu-west-1", "drydock-control"); seeded.ManagedBy == nil {
		t.Fatal("the control cluster's managedBy is null, not an empty list")
	}
	if err := w.a.inv.seedEKS("111122223333", "drydock-control"); err == nil {
		t.Fatal("a cluster without its region is accepted")
	}
}

// A subnet created by zone ID reports the zone's name too, as AWS does (the Network composition
// reads the letter from it), and one created by name reports the ID; the letter of an ID differs
// between accounts, and a round trip by name gives the same ID back.
func TestSubnetReportsZoneNameAndID(t *testing.T) {
	w := newWorld(t)
	vpc, _ := w.create(kVPC, "team", "vpc", "", map[string]any{"cidrBlock": "10.0.0.0/16"})
	byID, _ := w.create(kSubnet, "team", "by-id", "", map[string]any{"vpcId": vpc.ID, "availabilityZoneId": "euw1-az2"})
	got := models[kSubnet].observed(byID)
	name, _ := got["availabilityZone"].(string)
	if len(name) != len("eu-west-1a") || !strings.HasPrefix(name, "eu-west-1") || name[len(name)-1] < 'a' || name[len(name)-1] > 'c' {
		t.Fatalf("want a zone name in eu-west-1 (a to c), got %v", got)
	}
	byName, _ := w.create(kSubnet, "team", "by-name", "", map[string]any{"vpcId": vpc.ID, "availabilityZone": name})
	if back := models[kSubnet].observed(byName)["availabilityZoneId"]; back != "euw1-az2" {
		t.Fatalf("%s should be euw1-az2 in this account, got %v", name, back)
	}
	letters := map[string]bool{}
	for _, account := range []string{"111122223333", "444455556666", "777788889999", "999988887777"} {
		v, _ := w.createIn(account, kVPC, "team", "vpc-"+account, "", map[string]any{"cidrBlock": "10.0.0.0/16"})
		o, _ := w.createIn(account, kSubnet, "team", "in-"+account, "", map[string]any{"vpcId": v.ID, "availabilityZoneId": "euw1-az1"})
		letters[models[kSubnet].observed(o)["availabilityZone"].(string)] = true
	}
	if len(letters) < 2 {
		t.Fatalf("the letters of one zone ID should differ between accounts, got %v", letters)
	}
}

// Two zone IDs are two zones, in every account: their letters differ. Some regions number their
// zone IDs past 3 (ca-central-1 has cac1-az1, -az2 and -az4, the zones catalog/eks-network.ts
// suggests there; us-west-2 has usw2-az1 to -az4), and a model with three letters there put
// cac1-az1 and cac1-az4 at the same letter, so a Network over them reported one zone twice.
func TestSubnetZoneLettersAreDistinctForDistinctZoneIDs(t *testing.T) {
	cases := map[string][]string{
		"ca-central-1":   {"cac1-az1", "cac1-az2", "cac1-az4"},
		"us-west-2":      {"usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"},
		"ap-northeast-1": {"apne1-az1", "apne1-az2", "apne1-az4"},
		"us-east-1":      {"use1-az1", "use1-az2", "use1-az4", "use1-az6"},
		"eu-west-1":      {"euw1-az1", "euw1-az2", "euw1-az3"},
	}
	for region, ids := range cases {
		for _, account := range []string{"111122223333", "444455556666", "777788889999", "999988887777"} {
			seen := map[string]string{}
			for _, id := range ids {
				got := subnetZone(&awsObject{Account: account, Region: region, Parameters: map[string]any{"availabilityZoneId": id}})
				name, _ := got["availabilityZone"].(string)
				if !strings.HasPrefix(name, region) || len(name) != len(region)+1 {
					t.Fatalf("%s in %s (%s): want a zone name of the region, got %v", id, region, account, got)
				}
				if other, dup := seen[name]; dup {
					t.Fatalf("%s and %s both reported as %s in account %s", other, id, name, account)
				}
				seen[name] = id
				back := subnetZone(&awsObject{Account: account, Region: region, Parameters: map[string]any{"availabilityZone": name}})
				if back["availabilityZoneId"] != id {
					t.Fatalf("%s in account %s is %s, but %s is reported as %v", id, account, name, name, back["availabilityZoneId"])
				}
			}
		}
	}
}
