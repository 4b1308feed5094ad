// The AWS facts in catalog/ agree with each other and with the naming rules they encode.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { architectureOf } from '../catalog/ec2';
import { EKS_REFUSED_ZONE_IDS, PRIVATE_CLUSTER_ENDPOINTS } from '../catalog/eks-network';
import { interfaceEndpointsMonthly, natGatewaysMonthly, PRICES } from '../catalog/prices';
import { AWS_REGION_CODES, isAwsRegion, zoneIdPrefix } from '../catalog/regions';
import { costsTable, withCostsTable } from '../lib/costs-doc';
import { repoRoot } from '../lib/paths';

describe('catalog/regions.ts', () => {
  it('lists the commercial regions only, and no made-up one', () => {
    expect(AWS_REGION_CODES).toContain('eu-west-1');
    expect(AWS_REGION_CODES).toContain('mx-central-1');
    for (const r of ['xx-mars-1', 'cn-north-1', 'us-gov-west-1', 'aws-global', 'eu-west1']) expect(isAwsRegion(r), r).toBe(false);
    for (const r of AWS_REGION_CODES) expect(r).toMatch(/^[a-z]{2}-[a-z]+-[0-9]$/);
  });

  it('derives the zone ID prefix from the region code', () => {
    expect(['us-east-1', 'us-west-1', 'ca-central-1', 'ap-northeast-1', 'eu-central-1', 'ap-southeast-7'].map((r) => zoneIdPrefix(r as any))).toEqual(
      ['use1', 'usw1', 'cac1', 'apne1', 'euc1', 'apse7'],
    );
    for (const r of AWS_REGION_CODES) expect(zoneIdPrefix(r), r).toMatch(/^[a-z]{2}[a-z]{1,2}[0-9]$/);
  });
});

describe('catalog/eks-network.ts', () => {
  it('names refused zone IDs of real regions, each in its own region', () => {
    for (const [region, ids] of Object.entries(EKS_REFUSED_ZONE_IDS)) {
      expect(isAwsRegion(region), region).toBe(true);
      for (const id of ids) expect(id.startsWith(`${zoneIdPrefix(region as any)}-az`), id).toBe(true);
    }
  });

  it('lists the endpoints a cluster without NAT needs, S3 as the only free gateway one', () => {
    expect(PRIVATE_CLUSTER_ENDPOINTS.map((e) => e.service)).toEqual(
      expect.arrayContaining(['s3', 'ecr.api', 'ecr.dkr', 'sts', 'ec2', 'sqs', 'eks-auth', 'logs']),
    );
    expect(PRIVATE_CLUSTER_ENDPOINTS.filter((e) => e.type === 'Gateway').map((e) => e.service)).toEqual(['s3']);
  });
});

describe('catalog/prices.ts', () => {
  it('turns hourly list prices into fixed monthly costs', () => {
    // 730 hours of a NAT gateway ($0.045) and its public IPv4 address ($0.005)
    expect(natGatewaysMonthly(1)).toBe(36.5);
    expect(natGatewaysMonthly(3)).toBe(109.5);
    // one interface endpoint in three zones at $0.01 per zone-hour
    expect(interfaceEndpointsMonthly(1, 3)).toBe(21.9);
    expect(PRICES.gatewayEndpointHour).toBe(0);
  });

  it("is what the README's cost table says (synth writes it; a hand edit fails here)", () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(withCostsTable(readme)).toBe(readme);
    expect(costsTable()).toContain('| `nat: Single` (one NAT gateway and its public IPv4 address) | $36.50 | $0.045 per GB through it |');
  });
});

describe('catalog/ec2.ts', () => {
  it('tells Graviton instance types from x86 ones', () => {
    for (const t of ['t4g.large', 'm7g.xlarge', 'c7gn.large', 'r8gd.2xlarge', 'im4gn.large', 'is4gen.large', 'g5g.xlarge', 'a1.large'])
      expect(architectureOf(t), t).toBe('arm64');
    for (const t of ['m7i.large', 't3.medium', 'c6in.large', 'g4dn.xlarge', 'm7a.large', 'inf2.xlarge']) expect(architectureOf(t), t).toBe('x86_64');
  });
});
