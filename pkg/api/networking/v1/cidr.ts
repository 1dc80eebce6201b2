/**
 * CIDR arithmetic for NetworkPolicy `ipBlock.except`: whether one valid CIDR is a strict subset
 * of another (upstream: the outer network contains the inner's address and its prefix is shorter).
 * Pure; inputs are CIDRs that already passed `validateCIDR`.
 */
import { ipv4Bits, ipv6Bits } from '../../validation/ip-bits.ts';

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
