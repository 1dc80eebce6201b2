/**
 * CIDR blocks (`10.96.0.0/12`, `fd00:10:96::/112`): parse, membership, and the mapping between
 * an address and its index inside the block. Pure.
 */
import { FAMILY_BITS, formatIP, parseIP, type IpAddress, type IpFamily } from './ip.ts';

/** A parsed block. `base` is the network address (host bits cleared). */
export interface Cidr {
  readonly family: IpFamily;
  readonly base: bigint;
  readonly prefixLength: number;
}

/**
 * Parses `a.b.c.d/n` or `v6/n`. Like Go's `net.ParseCIDR`, host bits in the address are allowed
 * and cleared. Undefined if malformed.
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIP(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  const bits = FAMILY_BITS[address.family];
  if (prefixLength > bits) return undefined;
  const hostBits = BigInt(bits - prefixLength);
  const base = (address.value >> hostBits) << hostBits;
  return { family: address.family, base, prefixLength };
}

/** `10.96.0.0/12`: canonical text of a block. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIP({ family: cidr.family, value: cidr.base })}/${cidr.prefixLength}`;
}

/** Number of addresses in the block (network and broadcast included). */
export function cidrSize(cidr: Cidr): bigint {
  return 1n << BigInt(FAMILY_BITS[cidr.family] - cidr.prefixLength);
}

/** Whether the address is inside the block (same family and network bits). */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  return address.family === cidr.family && address.value >= cidr.base && address.value < cidr.base + cidrSize(cidr);
}

/** The address at `index` (0 = network address); undefined when outside the block. */
export function addressAt(cidr: Cidr, index: bigint | number): IpAddress | undefined {
  const i = BigInt(index);
  if (i < 0n || i >= cidrSize(cidr)) return undefined;
  return { family: cidr.family, value: cidr.base + i };
}

/** The index of an address inside the block (0 = network address); undefined when outside. */
export function indexOf(cidr: Cidr, address: IpAddress): bigint | undefined {
  return cidrContains(cidr, address) ? address.value - cidr.base : undefined;
}
