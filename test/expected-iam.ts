// IAM statements as AWS must receive them, written out by hand rather than by the code under test,
// for the render tests to compare what the real renderer composed with.

/**
 * The trust statements of a role EKS Pod Identity assumes for one service account of one cluster:
 * held by the session tags EKS sets (EKS User Guide, "List of session tags added by EKS Pod
 * Identity"), so no other cluster, namespace or service account can be handed the role.
 */
export const expectedPodIdentityTrust = (clusterArn: string, to: { readonly namespace: string; readonly serviceAccount: string }) => [
  {
    Sid: 'OnlyThisServiceAccountOfThisCluster',
    Effect: 'Allow',
    Principal: { Service: 'pods.eks.amazonaws.com' },
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Condition: {
      StringEquals: {
        'aws:RequestTag/eks-cluster-arn': clusterArn,
        'aws:RequestTag/kubernetes-namespace': to.namespace,
        'aws:RequestTag/kubernetes-service-account': to.serviceAccount,
      },
    },
  },
];
