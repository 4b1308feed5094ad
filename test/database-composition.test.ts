// What each Database example composes, as data: instances, ingress rules and the parameter group,
// rendered by the real renderer (test/composition-cases.ts); test/database-render.test.ts checks
// sizes, protection, status and the connection Secret.
import { databaseApi, databaseComposition, POSTGRES_PORT } from '../compositions/database';
import { type CompositionCase, describeCases } from './composition-cases';
import { renderSetup } from './support';

const PRIVATE_INSTANCE = { spec: { forProvider: { instanceClass: 'db.serverless', publiclyAccessible: false } } };
const POSTGRES_ONLY = { spec: { forProvider: { ipProtocol: 'tcp', fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT } } };
const TLS_ONLY = { spec: { forProvider: { parameter: [{ name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' }] } } };

const CASES: CompositionCase[] = [
  {
    says: 'dev: one private writer, open to the cluster security group only, TLS only, encrypted with its own key',
    xr: 'dev-minimal.yaml',
    observed: 'default.yaml',
    composes: {
      ClusterInstance: ['instance-writer'],
      SecurityGroupIngressRule: ['ingress-from-security-group'],
      Key: ['kms-key'],
    },
    resources: {
      'instance-writer': PRIVATE_INSTANCE,
      'ingress-from-security-group': {
        spec: { forProvider: { ...POSTGRES_ONLY.spec.forProvider, referencedSecurityGroupId: 'sg-0c1d2e3f4a5b60001' } },
      },
      'parameter-group': TLS_ONLY,
      'kms-key': { spec: { forProvider: { enableKeyRotation: true } } },
      cluster: { spec: { forProvider: { storageEncrypted: true, kmsKeyIdSelector: { matchControllerRef: true }, manageMasterUserPassword: true } } },
    },
    everyResource: { spec: { forProvider: { region: 'eu-west-1' }, providerConfigRef: { kind: 'ClusterProviderConfig', name: 'dev' } } },
  },
  {
    says: 'production: a writer and two readers, one per zone, failing over in order; PostgreSQL from the security group and three CIDRs',
    xr: 'production-two-readers.yaml',
    observed: 'production-two-readers.yaml',
    composes: {
      ClusterInstance: ['instance-writer', 'instance-reader-1', 'instance-reader-2'],
      SecurityGroupIngressRule: ['ingress-from-security-group', 'ingress-from-cidr-0', 'ingress-from-cidr-1', 'ingress-from-cidr-2'],
    },
    resources: {
      'instance-writer': { spec: { forProvider: { ...PRIVATE_INSTANCE.spec.forProvider, availabilityZone: 'us-east-1a', promotionTier: 0 } } },
      'instance-reader-2': { spec: { forProvider: { ...PRIVATE_INSTANCE.spec.forProvider, availabilityZone: 'us-east-1c', promotionTier: 2 } } },
      'ingress-from-cidr-2': { spec: { forProvider: { ...POSTGRES_ONLY.spec.forProvider, cidrIpv4: '10.20.12.0/24' } } },
      // The platform's parameters follow the TLS one; none replaces it.
      'parameter-group': {
        spec: {
          forProvider: {
            family: 'aurora-postgresql16',
            parameter: [...TLS_ONLY.spec.forProvider.parameter, { name: 'log_min_duration_statement', value: '500', applyMethod: 'immediate' }],
          },
        },
      },
    },
  },
  {
    says: 'reached from CIDRs only: no security-group rule, one rule per CIDR, no readers',
    xr: 'seed-like.yaml',
    observed: 'default.yaml',
    composes: { ClusterInstance: ['instance-writer'], SecurityGroupIngressRule: ['ingress-from-cidr-0', 'ingress-from-cidr-1'] },
    resources: { 'ingress-from-cidr-1': { spec: { forProvider: { ...POSTGRES_ONLY.spec.forProvider, cidrIpv4: '10.30.128.0/18' } } } },
  },
];

describeCases('Database', CASES, renderSetup({ functions: databaseComposition(databaseApi()).functions() }));
