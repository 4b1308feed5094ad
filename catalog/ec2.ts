// Amazon EC2 naming facts. Source: "Amazon EC2 instance type naming conventions"
// (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html): the letters after
// the generation digit are attributes, and `g` there means an AWS Graviton (arm64) processor
// (t4g, m7g, c7gn, r8gd, im4gn, is4gen, g5g). The first Graviton family, a1, predates the convention.

/** A regular expression matching the instance types of arm64 (Graviton) families. */
export const GRAVITON_TYPE = '^([a-z]+[0-9]+g[a-z]*|a1)[.]';

/** The CPU architecture of an instance type, as EKS and Karpenter name it. */
export const architectureOf = (instanceType: string): 'arm64' | 'x86_64' => (new RegExp(GRAVITON_TYPE).test(instanceType) ? 'arm64' : 'x86_64');

/** The family of an instance type, or of a family name itself: `m7g` for m7g.large and for m7g. */
export const familyOf = (instanceTypeOrFamily: string): string => instanceTypeOrFamily.split('.')[0];
