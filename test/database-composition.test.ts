// Structure of the Database composition as synthesized: what must hold even where the real
// renderer is not available (test/database-render.test.ts checks what it renders).
import { describe, expect, it } from 'vitest';
import { databaseApi, databaseComposition, MAX_READERS } from '../compositions/database';
import { crds } from './support';

const composition = databaseComposition(databaseApi('platform.drydock.dev'));
const pipeline = composition.spec().pipeline;
const resources: any[] = pipeline.find((s: any) => s.step === 'patch-and-transform').input.resources;
const resource = (name: string) => resources.find((r) => r.name === name);
const filters: { name: string; expression: string }[] = pipeline.find((s: any) => s.step === 'drop-unused-resources').input.filters;
const conditionOf = (name: string) => filters.find((f) => new RegExp(`^${f.name}$`).test(name))?.expression;

describe('Database composition', () => {
  it('passes the authoring checks (every path exists, every XRD field is used)', () => {
    expect(composition.problems(crds())).toEqual([]);
  });

  it('never makes an instance public, and composes readers only as asked', () => {
    const instances = resources.filter((r) => r.base.kind === 'ClusterInstance');
    expect(instances).toHaveLength(1 + MAX_READERS);
    for (const i of instances) expect(i.base.spec.forProvider).toMatchObject({ publiclyAccessible: false, instanceClass: 'db.serverless' });
    expect(conditionOf('instance-writer')).toBeUndefined();
    expect(conditionOf('instance-reader-2')).toBe(
      'has(observed.composite.resource.spec) && has(observed.composite.resource.spec.readers) && observed.composite.resource.spec.readers >= 2',
    );
  });

  it('encrypts storage with its own key and keeps the master password in Secrets Manager', () => {
    expect(resource('cluster').base.spec.forProvider).toMatchObject({
      storageEncrypted: true,
      kmsKeyIdSelector: { matchControllerRef: true },
      manageMasterUserPassword: true,
    });
    expect(resource('kms-key').base.spec.forProvider).toMatchObject({ enableKeyRotation: true });
  });

  it('opens only the PostgreSQL port, only from the sources the XR names', () => {
    const rules = resources.filter((r) => r.base.kind === 'SecurityGroupIngressRule');
    for (const r of rules) expect(r.base.spec.forProvider).toMatchObject({ ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 });
    expect(rules.every((r) => conditionOf(r.name))).toBe(true);
    expect(JSON.stringify(rules)).not.toContain('0.0.0.0/0');
  });

  it('always enforces TLS in the parameter group', () => {
    expect(resource('parameter-group').base.spec.forProvider.parameter).toEqual([
      { name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' },
    ]);
  });
});
