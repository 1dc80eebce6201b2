/**
 * `--nodeport-addresses`: which local addresses NodePorts answer on. Pure functions; the proxiers
 * feed them the host's addresses at every sync, as upstream's NodePortAddresses.GetNodeIPs does.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The flag value that stands for "the node's primary IP" (upstream NodePortAddressesPrimary). */
export const NODE_PORT_ADDRESSES_PRIMARY = 'primary';

/**
 * Upstream validateKubeProxyNodePortAddress: every entry is a CIDR (IPv4 or IPv6), or the list is
 * exactly `["primary"]`. Returns one message per bad entry, with its index.
 */
export function validateNodePortAddresses(values: readonly string[]): Array<{ index: number; message: string }> {
  const problems: Array<{ index: number; message: string }> = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === NODE_PORT_ADDRESSES_PRIMARY) {
      if (i !== 0 || values.length !== 1) problems.push({ index: i, message: `"${v}": can't use both 'primary' and CIDRs` });
      break;
    }
    if (!parseCIDR(v)) problems.push({ index: i, message: `"${v}": must be a valid CIDR` });
  }
  return problems;
}

/** An IPv4 CIDR as a 32-bit network and prefix length. */
interface Cidr4 {
  network: number;
  bits: number;
}

/** `a.b.c.d/n` → network and prefix (host bits masked off); IPv6 CIDRs → 'ipv6'; invalid → undefined. */
export function parseCIDR(text: string): Cidr4 | 'ipv6' | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return undefined;
  const bits = Number(prefix);
  if (isIPv6(addr)) return bits <= 128 ? 'ipv6' : undefined;
  const ip = ipv4ToNumber(addr);
  if (ip === undefined || bits > 32) return undefined;
  return { network: bits === 0 ? 0 : (ip & maskOf(bits)) >>> 0, bits };
}

function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** Dotted IPv4 → unsigned 32-bit number; undefined when not an IPv4 address. */
export function ipv4ToNumber(ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  return ip.split('.').reduce((n, octet) => ((n << 8) | Number(octet)) >>> 0, 0);
}

/** Whether IPv4 `ip` lies inside IPv4 `cidr` (false for anything that is not IPv4). */
export function cidrContains(cidr: string, ip: string): boolean {
  const c = parseCIDR(cidr);
  const n = ipv4ToNumber(ip);
  if (!c || c === 'ipv6' || n === undefined) return false;
  return ((n & maskOf(c.bits)) >>> 0) === c.network;
}

/**
 * The `--nodeport-addresses` value with `primary` resolved (upstream server.go): `["primary"]`
 * becomes `[nodeIP/32]`, or `[]` when there is no node IP or it is a loopback address.
 */
export function resolvePrimary(values: readonly string[], nodeIP: string | undefined): string[] {
  if (values.length !== 1 || values[0] !== NODE_PORT_ADDRESSES_PRIMARY) return [...values];
  return nodeIP && isIPv4(nodeIP) && !nodeIP.startsWith('127.') ? [`${nodeIP}/32`] : [];
}

/**
 * The IPv4 addresses NodePorts answer on, upstream NewNodePortAddresses(IPv4) + GetNodeIPs:
 * `undefined` means every local address (no IPv4 CIDR given, or one of them is 0.0.0.0/0);
 * otherwise the local IPv4 addresses inside any of the CIDRs, deduplicated and sorted.
 */
export function selectNodePortIPs(cidrs: readonly string[], localIPs: readonly string[]): string[] | undefined {
  const v4 = cidrs.filter((c) => {
    const parsed = parseCIDR(c);
    return parsed !== undefined && parsed !== 'ipv6';
  });
  if (v4.length === 0 || v4.some((c) => (parseCIDR(c) as Cidr4).bits === 0)) return undefined;
  const out = new Set<string>();
  for (const ip of localIPs) if (v4.some((c) => cidrContains(c, ip))) out.add(ip);
  return [...out].sort((a, b) => ipv4ToNumber(a)! - ipv4ToNumber(b)!);
}

/** Whether the CIDRs match every local address (so no per-address work is needed). */
export function matchesAllAddresses(cidrs: readonly string[]): boolean {
  return selectNodePortIPs(cidrs, []) === undefined;
}

/** IPv4 addresses from `ip -j addr show` output (JSON list of links with addr_info). */
export function addressesFromIpJson(json: string): string[] {
  const links = JSON.parse(json) as Array<{ addr_info?: Array<{ family?: string; local?: string }> }>;
  const out: string[] = [];
  for (const link of links) for (const a of link.addr_info ?? []) if (a.family === 'inet' && a.local) out.push(a.local);
  return out;
}
