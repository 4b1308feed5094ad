// IPv4 CIDR arithmetic for synth-time checks across XRs (the XRD's CEL rules see one XR at a time).

/** The first and last address of an IPv4 CIDR, as numbers; undefined when it is not one. */
export function cidrRange(cidr: string): { first: number; last: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const ip = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = ip - (ip % size);
  return { first, last: first + size - 1 };
}

/** Whether two IPv4 CIDRs share an address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = cidrRange(a);
  const y = cidrRange(b);
  return !!x && !!y && x.first <= y.last && y.first <= x.last;
}
