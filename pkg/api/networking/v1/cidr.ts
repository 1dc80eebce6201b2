/**
 * CIDR arithmetic for NetworkPolicy `ipBlock.except`: whether one valid CIDR is a strict subset
 * of another (upstream: the outer network contains the inner's address and its prefix is shorter).
 * Pure; inputs are CIDRs that already passed `validateCIDR`.
 */

function ipv4Bits(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Bits(ip: string): bigint {
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4Bits(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const missing = text.includes('::') ? 8 - headGroups.length - restGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...restGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function parse(cidr: string): { v6: boolean; addr: bigint; prefix: number; width: number } {
  const [ip, bits] = cidr.split('/');
  const v6 = ip.includes(':');
  return { v6, addr: v6 ? ipv6Bits(ip) : ipv4Bits(ip), prefix: Number(bits), width: v6 ? 128 : 32 };
}

/** Whether `inner` lies within `outer` and has a longer prefix. */
export function cidrStrictlyContains(outer: string, inner: string): boolean {
  const o = parse(outer);
  const i = parse(inner);
  if (o.v6 !== i.v6) return false;
  const shift = BigInt(o.width - o.prefix);
  return (o.addr >> shift) === (i.addr >> shift) && o.prefix < i.prefix;
}
