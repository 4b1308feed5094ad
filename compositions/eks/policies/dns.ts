// The Route53 IAM documents of ExternalDNS and cert-manager (POLICY_SOURCES.externalDns and
// .certManager in catalog/versions.ts), narrowed to the hosted zones the XR names: one variant
// per zone count, the zones patched in as {{zone0}}, {{zone1}}...
import { type PolicyDocument, policy } from '../../authoring';

/** Hosted zone ARNs of the first `n` zones the XR names. */
const zones = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:route53:::hostedzone/{{zone${i}}}`);

/** ExternalDNS: change and list records only in the cluster's zones. */
export const externalDns = (n: number): PolicyDocument =>
  policy(
    {
      Sid: 'ChangeRecordsInTheClusterZones',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
      Resource: zones(n),
    },
    { Sid: 'FindZones', Effect: 'Allow', Action: ['route53:ListHostedZones'], Resource: '*' },
  );

/** cert-manager DNS-01: only TXT records for ACME challenges, only in the cluster's zones. */
export const certManager = (n: number): PolicyDocument =>
  policy(
    { Sid: 'ReadChangeStatus', Effect: 'Allow', Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' },
    {
      Sid: 'AcmeChallengeRecordsOnly',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
      Resource: zones(n),
      Condition: {
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
        'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'] },
      },
    },
    { Sid: 'FindZones', Effect: 'Allow', Action: 'route53:ListHostedZonesByName', Resource: '*' },
  );
