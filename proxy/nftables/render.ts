import type { ProxiedServicePort } from '../iptables/render.ts';
import { usableEndpoints } from '../iptables/render.ts';

/** Number of random buckets per service; endpoint i gets buckets b with b mod n == i. */
export const BUCKETS = 16;

/** The contents of the table's maps and sets, as element text → value text ('' for sets). */
export interface NftElements {
  'service-endpoints': Map<string, string>;
  'nodeport-endpoints': Map<string, string>;
  'service-ips': Map<string, string>;
  'nodeport-ips': Map<string, string>;
  'no-endpoint-services': Map<string, string>;
  'no-endpoint-nodeports': Map<string, string>;
}

/** Options of the nftables renderer. */
export interface NftRenderOptions {
  /** --cluster-cidr; traffic from outside it to a cluster IP is masqueraded (all traffic when unset). */
  clusterCIDR?: string;
}

/**
 * The element sets for the given service ports (IPv4 only). Each service port with usable
 * endpoints gets 16 entries `ip . proto . port . bucket : endpointIP . endpointPort` in
 * service-endpoints (and `proto . nodePort . bucket` in nodeport-endpoints); ports without
 * endpoints land in the no-endpoint sets that the filter chains reject.
 */
export function nftElements(services: readonly ProxiedServicePort[]): NftElements {
  const out: NftElements = {
    'service-endpoints': new Map(),
    'nodeport-endpoints': new Map(),
    'service-ips': new Map(),
    'nodeport-ips': new Map(),
    'no-endpoint-services': new Map(),
    'no-endpoint-nodeports': new Map(),
  };
  for (const { info, endpoints } of services) {
    if (info.clusterIP.includes(':')) continue;
    const p = info.protocol.toLowerCase();
    const eps = usableEndpoints(endpoints).filter((e) => !e.ip.includes(':'));
    const dests = [info.clusterIP, ...info.externalIPs.filter((ip) => !ip.includes(':')), ...info.loadBalancerIPs];
    if (eps.length === 0) {
      for (const ip of dests) out['no-endpoint-services'].set(`${ip} . ${p} . ${info.port}`, '');
      if (info.nodePort > 0) out['no-endpoint-nodeports'].set(`${p} . ${info.nodePort}`, '');
      continue;
    }
    for (const ip of dests) {
      out['service-ips'].set(`${ip} . ${p} . ${info.port}`, '');
      for (let b = 0; b < BUCKETS; b++) {
        const e = eps[b % eps.length]!;
        out['service-endpoints'].set(`${ip} . ${p} . ${info.port} . ${b}`, `${e.ip} . ${e.port}`);
      }
    }
    if (info.nodePort > 0) {
      out['nodeport-ips'].set(`${p} . ${info.nodePort}`, '');
      for (let b = 0; b < BUCKETS; b++) {
        const e = eps[b % eps.length]!;
        out['nodeport-endpoints'].set(`${p} . ${info.nodePort} . ${b}`, `${e.ip} . ${e.port}`);
      }
    }
  }
  return out;
}

/** Union of several element collections (later entries win on equal keys). */
export function mergeElements(parts: Iterable<NftElements>): NftElements {
  const out = nftElements([]);
  for (const part of parts) {
    for (const name of Object.keys(out) as Array<keyof NftElements>) for (const [k, v] of part[name]) out[name].set(k, v);
  }
  return out;
}

const TABLE = 'ip kube-proxy';

/** The table skeleton: maps, sets, hooked chains and the few rules that consult the maps. */
export function nftSkeleton(options: NftRenderOptions = {}): string {
  const notFromPods = options.clusterCIDR ? ` ip saddr != ${options.clusterCIDR}` : '';
  return [
    `add table ${TABLE}`,
    `delete table ${TABLE}`,
    `table ${TABLE} {`,
    `  comment "rules for kube-proxy"`,
    `  map service-endpoints { typeof ip daddr . meta l4proto . th dport . numgen random mod ${BUCKETS} : ip daddr . th dport; }`,
    `  map nodeport-endpoints { typeof meta l4proto . th dport . numgen random mod ${BUCKETS} : ip daddr . th dport; }`,
    `  set service-ips { type ipv4_addr . inet_proto . inet_service; }`,
    `  set nodeport-ips { type inet_proto . inet_service; }`,
    `  set no-endpoint-services { type ipv4_addr . inet_proto . inet_service; }`,
    `  set no-endpoint-nodeports { type inet_proto . inet_service; }`,
    `  chain nat-prerouting { type nat hook prerouting priority dstnat; policy accept; jump services; }`,
    `  chain nat-output { type nat hook output priority -100; policy accept; jump services; }`,
    `  chain nat-postrouting { type nat hook postrouting priority srcnat; policy accept; jump masquerading; }`,
    `  chain filter-input { type filter hook input priority -110; policy accept; ct state new jump reject-chain; }`,
    `  chain filter-forward { type filter hook forward priority -110; policy accept; ct state new jump reject-chain; }`,
    `  chain filter-output { type filter hook output priority -110; policy accept; ct state new jump reject-chain; }`,
    `  chain services {`,
    `    ip daddr . meta l4proto . th dport @service-ips${notFromPods} meta mark set meta mark | 0x4000`,
    `    ip daddr . meta l4proto . th dport @service-ips dnat ip to ip daddr . meta l4proto . th dport . numgen random mod ${BUCKETS} map @service-endpoints`,
    `    fib daddr type local meta l4proto . th dport @nodeport-ips meta mark set meta mark | 0x4000`,
    `    fib daddr type local meta l4proto . th dport @nodeport-ips dnat ip to meta l4proto . th dport . numgen random mod ${BUCKETS} map @nodeport-endpoints`,
    `  }`,
    `  chain masquerading {`,
    `    meta mark & 0x4000 == 0 return`,
    `    meta mark set meta mark ^ 0x4000`,
    `    masquerade fully-random`,
    `  }`,
    `  chain reject-chain {`,
    `    ip daddr . meta l4proto . th dport @no-endpoint-services reject`,
    `    fib daddr type local meta l4proto . th dport @no-endpoint-nodeports reject`,
    `  }`,
    `}`,
  ].join('\n') + '\n';
}

function elementLines(verb: 'add' | 'delete', name: string, entries: Array<[string, string]>, withValues: boolean): string[] {
  const lines: string[] = [];
  for (let i = 0; i < entries.length; i += 1000) {
    const chunk = entries.slice(i, i + 1000).map(([k, v]) => (withValues && v !== '' ? `${k} : ${v}` : k));
    lines.push(`${verb} element ${TABLE} ${name} { ${chunk.join(', ')} }`);
  }
  return lines;
}

/** A full `nft -f` payload: the table recreated atomically with all elements. */
export function renderNftFull(elements: NftElements, options: NftRenderOptions = {}): string {
  const lines: string[] = [];
  for (const [name, m] of Object.entries(elements) as Array<[string, Map<string, string>]>) {
    lines.push(...elementLines('add', name, [...m.entries()], true));
  }
  return nftSkeleton(options) + lines.map((l) => l + '\n').join('');
}

/** A delta `nft -f` payload turning `prev` into `next` (empty string when nothing changed). */
export function renderNftDelta(prev: NftElements, next: NftElements): string {
  const lines: string[] = [];
  for (const name of Object.keys(next) as Array<keyof NftElements>) {
    const before = prev[name];
    const after = next[name];
    const removed = [...before].filter(([k, v]) => after.get(k) !== v);
    const added = [...after].filter(([k, v]) => before.get(k) !== v);
    lines.push(...elementLines('delete', name, removed, false));
    lines.push(...elementLines('add', name, added, true));
  }
  return lines.map((l) => l + '\n').join('');
}
