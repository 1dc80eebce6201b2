/**
 * The nftables ruleset of the proxy (one `ip kube-proxy` table), as `nft -f` payloads. Pure.
 *
 * Layout (upstream pkg/proxy/nftables names where the concept is the same):
 * - `service-ips` (verdict map, `ip . proto . port`) and `service-nodeports` (`proto . port`)
 *   dispatch every service in one lookup.
 * - Services without ClientIP affinity share one chain and one endpoint map per endpoint count
 *   N: `dispatch-N` does `dnat` through `endpoints-N`, keyed by `ip . proto . port . numgen
 *   random mod N` (`nodeport-dispatch-N` / `nodeport-endpoints-N` for NodePorts). A service
 *   port with N endpoints costs N elements per destination IP, and nothing else.
 * - Services with ClientIP affinity get upstream's chains: `service-…` checks one
 *   `affinity-…` set (timeout = the affinity timeout) per endpoint before the random pick,
 *   `endpoint-…` records the client with `update @affinity-… { ip saddr }` and DNATs;
 *   NodePorts enter through `external-…`.
 * - `no-endpoint-services` / `no-endpoint-nodeports` sets are rejected from the filter hooks.
 */
import type { ProxiedServicePort } from '../iptables/render.ts';
import { usableEndpoints } from '../iptables/render.ts';
import { nftAffinitySet, nftEndpointChain, nftExternalChain, nftServiceChain } from './chain-names.ts';

/** The table every payload addresses. */
export const TABLE = 'ip kube-proxy';
const MARK = 'meta mark set meta mark | 0x4000';

/** A named map, set or chain in the table besides the fixed skeleton. */
export interface NftObject {
  kind: 'chain' | 'map' | 'set';
  name: string;
  /** Body of a map or set declaration (`type …; flags …;`); '' for chains. */
  spec: string;
  /** Rules of a chain, in order (empty for maps and sets). */
  rules: readonly string[];
  /**
   * Shared by all service ports with the same endpoint count (`dispatch-N`, `endpoints-N`, …):
   * created when first needed and kept until the next full sync. Otherwise the object belongs to
   * exactly one service port and goes away with it.
   */
  shared: boolean;
}

/**
 * One element: container (map or set name) and its text as written in a payload, `key : value`
 * in maps, `key` in sets. (One string per element, not two: a full sync builds ~10⁵ of them.)
 */
export type NftElement = readonly [container: string, text: string];

/** The key part of an element's text. */
export function elementKey(text: string): string {
  const i = text.indexOf(' : ');
  return i < 0 ? text : text.slice(0, i);
}

/** What one service port (or the NodePort address list) puts into the table. */
export interface NftPortRules {
  elements: NftElement[];
  objects: readonly NftObject[];
  /** Endpoints (`ip:port`) in random-bucket order, so the next change can keep their buckets. */
  slots?: readonly string[];
}

/** Options of the nftables renderer. */
export interface NftRenderOptions {
  /** --cluster-cidr; service traffic from outside it is masqueraded (all traffic when unset). */
  clusterCIDR?: string;
  /**
   * True (default) when NodePorts answer on every local address (`fib daddr type local`); false
   * when only on the addresses in the `nodeport-ips` set (--nodeport-addresses).
   */
  nodePortsOnAllAddresses?: boolean;
}

/**
 * Buckets in endpoint order: an endpoint that stays keeps its bucket and a new one takes a freed
 * bucket, so replacing one endpoint changes one element. When the count changes the service moves
 * to another `endpoints-N` map anyway, and the order is simply `current`'s. Pure.
 */
export function assignSlots<T extends { endpoint: string }>(previous: readonly string[] | undefined, current: readonly T[]): readonly T[] {
  if (!previous || previous.length !== current.length) return current;
  const byEndpoint = new Map(current.map((e) => [e.endpoint, e]));
  const kept = new Set(previous);
  const fresh = current.filter((e) => !kept.has(e.endpoint));
  let next = 0;
  return previous.map((s) => byEndpoint.get(s) ?? fresh[next++]!);
}

const EMPTY: NftPortRules = { elements: [], objects: [] };
const NO_OBJECTS: readonly NftObject[] = [];

/**
 * Data type of the endpoint maps, written as `typeof ip daddr . tcp dport` (ipv4_addr .
 * inet_service; it serves UDP and SCTP alike). nft 1.0.6 rejects later `add rule`s against a map
 * declared `: ip daddr . th dport` ("conflicting protocols specified: ip vs. th").
 */
const ENDPOINT_TYPE = 'ip daddr . tcp dport';

/** Shared dispatch objects per endpoint count, masquerade rule and NodePort use, built once. */
const sharedCache = new Map<string, readonly NftObject[]>();

function serviceDispatch(n: number, masqRule: string): NftObject[] {
  return [
    { kind: 'map', name: `endpoints-${n}`, spec: `typeof ip daddr . meta l4proto . th dport . numgen random mod ${n} : ${ENDPOINT_TYPE};`, rules: [], shared: true },
    { kind: 'chain', name: `dispatch-${n}`, spec: '', rules: [masqRule, `dnat ip to ip daddr . meta l4proto . th dport . numgen random mod ${n} map @endpoints-${n}`], shared: true },
  ];
}

function nodePortDispatch(n: number): NftObject[] {
  return [
    { kind: 'map', name: `nodeport-endpoints-${n}`, spec: `typeof meta l4proto . th dport . numgen random mod ${n} : ${ENDPOINT_TYPE};`, rules: [], shared: true },
    { kind: 'chain', name: `nodeport-dispatch-${n}`, spec: '', rules: [MARK, `dnat ip to meta l4proto . th dport . numgen random mod ${n} map @nodeport-endpoints-${n}`], shared: true },
  ];
}

/** The shared objects a service port with `n` endpoints needs (NodePort ones too when `nodePort`). */
function dispatchObjects(n: number, masqRule: string, nodePort: boolean): readonly NftObject[] {
  const cacheKey = `${nodePort ? 'np' : 'svc'}/${n}/${masqRule}`;
  let objs = sharedCache.get(cacheKey);
  if (!objs) {
    objs = nodePort ? [...serviceDispatch(n, masqRule), ...nodePortDispatch(n)] : serviceDispatch(n, masqRule);
    sharedCache.set(cacheKey, objs);
  }
  return objs;
}

/**
 * The shared dispatch objects for endpoint counts 1..`upTo`, services and NodePorts, so that a
 * later sync in which a service's endpoint count changes only moves elements: creating a chain
 * with its rules in that sync would make `nft` several times slower.
 */
export function nftPresetRules(upTo: number, options: NftRenderOptions = {}): NftPortRules {
  const objects: NftObject[] = [];
  for (let n = 1; n <= upTo; n++) objects.push(...dispatchObjects(n, masqueradeRule(options), true));
  return { elements: [], objects };
}

/** The rule marking service traffic for masquerade: from outside the cluster CIDR, or all. */
function masqueradeRule(options: NftRenderOptions): string {
  return options.clusterCIDR ? `ip saddr != ${options.clusterCIDR} ${MARK}` : MARK;
}

/**
 * What one service port contributes (IPv4 only): dispatch elements and objects when it has
 * usable endpoints, `no-endpoint-*` elements when it has none. `previous` (what the port had
 * before) keeps endpoints in their random buckets ({@link assignSlots}).
 */
export function nftPortRules(port: ProxiedServicePort, options: NftRenderOptions = {}, previous?: NftPortRules): NftPortRules {
  const { info, endpoints } = port;
  if (info.clusterIP.includes(':')) return EMPTY;
  const p = info.protocol.toLowerCase();
  const usable = usableEndpoints(endpoints);
  const eps = usable.some((e) => e.ip.includes(':')) ? usable.filter((e) => !e.ip.includes(':')) : usable;
  const dests = info.externalIPs.length + info.loadBalancerIPs.length === 0 ? [info.clusterIP] : [info.clusterIP, ...info.externalIPs, ...info.loadBalancerIPs].filter((ip) => !ip.includes(':'));
  const elements: NftElement[] = [];
  if (eps.length === 0) {
    for (const ip of dests) elements.push(['no-endpoint-services', `${ip} . ${p} . ${info.port}`]);
    if (info.nodePort > 0) elements.push(['no-endpoint-nodeports', `${p} . ${info.nodePort}`]);
    return { elements, objects: NO_OBJECTS };
  }
  const masq = masqueradeRule(options);
  if (info.stickyMaxAgeSeconds > 0) return stickyPortRules(port, p, eps, dests, masq);
  const slotted = assignSlots(previous?.slots, eps);
  const n = slotted.length;
  const targets = slotted.map((e) => ` : ${e.ip} . ${e.port}`);
  for (const ip of dests) {
    const key = `${ip} . ${p} . ${info.port}`;
    elements.push(['service-ips', `${key} : goto dispatch-${n}`]);
    for (let i = 0; i < n; i++) elements.push([`endpoints-${n}`, `${key} . ${i}${targets[i]}`]);
  }
  if (info.nodePort > 0) {
    const key = `${p} . ${info.nodePort}`;
    elements.push(['service-nodeports', `${key} : goto nodeport-dispatch-${n}`]);
    for (let i = 0; i < n; i++) elements.push([`nodeport-endpoints-${n}`, `${key} . ${i}${targets[i]}`]);
  }
  return { elements, objects: dispatchObjects(n, masq, info.nodePort > 0), slots: slotted.map((e) => e.endpoint) };
}

/** Upstream's per-service and per-endpoint chains with one affinity set per endpoint. */
function stickyPortRules(
  { info }: ProxiedServicePort,
  p: string,
  eps: ReturnType<typeof usableEndpoints>,
  dests: string[],
  masq: string,
): NftPortRules {
  const id = { namespace: info.namespace, name: info.name, protocol: p, portName: info.portName };
  const svcChain = nftServiceChain(id);
  const elements: NftElement[] = dests.map((ip) => ['service-ips', `${ip} . ${p} . ${info.port} : goto ${svcChain}`]);
  const objects: NftObject[] = [];
  const epChains = eps.map((e) => nftEndpointChain(id, e.ip, e.port));
  const sets = eps.map((e) => nftAffinitySet(id, e.ip, e.port));
  eps.forEach((e, i) => {
    objects.push({ kind: 'set', name: sets[i]!, spec: `type ipv4_addr; flags dynamic,timeout; timeout ${info.stickyMaxAgeSeconds}s;`, rules: [], shared: false });
    objects.push({
      kind: 'chain',
      name: epChains[i]!,
      spec: '',
      rules: [`ip saddr ${e.ip} ${MARK}`, `update @${sets[i]} { ip saddr }`, `meta l4proto ${p} dnat to ${e.ip}:${e.port}`],
      shared: false,
    });
  });
  objects.push({
    kind: 'chain',
    name: svcChain,
    spec: '',
    rules: [
      masq,
      ...eps.map((_, i) => `ip saddr @${sets[i]} goto ${epChains[i]}`),
      `numgen random mod ${eps.length} vmap { ${epChains.map((c, i) => `${i} : goto ${c}`).join(', ')} }`,
    ],
    shared: false,
  });
  if (info.nodePort > 0) {
    const extChain = nftExternalChain(id);
    objects.push({ kind: 'chain', name: extChain, spec: '', rules: [MARK, `goto ${svcChain}`], shared: false });
    elements.push(['service-nodeports', `${p} . ${info.nodePort} : goto ${extChain}`]);
  }
  return { elements, objects };
}

/** The `nodeport-ips` set contents for --nodeport-addresses (nothing when every address matches). */
export function nodePortIPsRules(ips: readonly string[] | undefined): NftPortRules {
  return { elements: (ips ?? []).map((ip) => ['nodeport-ips', ip] as const), objects: NO_OBJECTS };
}

/** The fixed part of the table: top-level maps and sets, hooked chains and their few rules. */
export function nftSkeleton(options: NftRenderOptions = {}): string[] {
  const all = options.nodePortsOnAllAddresses !== false;
  const nodeDest = all ? 'fib daddr type local' : 'ip daddr @nodeport-ips';
  return [
    `add table ${TABLE}`,
    `delete table ${TABLE}`,
    `table ${TABLE} {`,
    `  comment "rules for kube-proxy"`,
    `  map service-ips { type ipv4_addr . inet_proto . inet_service : verdict; }`,
    `  map service-nodeports { type inet_proto . inet_service : verdict; }`,
    ...(all ? [] : [`  set nodeport-ips { type ipv4_addr; }`]),
    `  set no-endpoint-services { type ipv4_addr . inet_proto . inet_service; }`,
    `  set no-endpoint-nodeports { type inet_proto . inet_service; }`,
    `  chain nat-prerouting { type nat hook prerouting priority dstnat; policy accept; jump services; }`,
    `  chain nat-output { type nat hook output priority -100; policy accept; jump services; }`,
    `  chain nat-postrouting { type nat hook postrouting priority srcnat; policy accept; jump masquerading; }`,
    `  chain filter-input { type filter hook input priority -110; policy accept; ct state new jump endpoints-check; }`,
    `  chain filter-forward { type filter hook forward priority -110; policy accept; ct state new jump endpoints-check; }`,
    `  chain filter-output { type filter hook output priority -110; policy accept; ct state new jump endpoints-check; }`,
    `  chain services {`,
    `    ip daddr . meta l4proto . th dport vmap @service-ips`,
    `    ${nodeDest} meta l4proto . th dport vmap @service-nodeports`,
    `  }`,
    `  chain masquerading {`,
    `    meta mark & 0x4000 == 0 return`,
    `    meta mark set meta mark ^ 0x4000`,
    `    masquerade fully-random`,
    `  }`,
    `  chain endpoints-check {`,
    `    ip daddr . meta l4proto . th dport @no-endpoint-services reject`,
    `    ${nodeDest} meta l4proto . th dport @no-endpoint-nodeports reject`,
    `  }`,
  ];
}

/** Elements per payload line: large enough to keep nft's per-command overhead low. */
const CHUNK = 2000;

function elementLines(out: string[], verb: 'add' | 'delete', byContainer: Map<string, string[]>): void {
  for (const [name, items] of byContainer) {
    for (let i = 0; i < items.length; i += CHUNK) out.push(`${verb} element ${TABLE} ${name} { ${items.slice(i, i + CHUNK).join(', ')} }`);
  }
}

function push(m: Map<string, string[]>, container: string, item: string): void {
  const list = m.get(container);
  if (list) list.push(item);
  else m.set(container, [item]);
}

/** A full `nft -f` payload: the table recreated atomically with every object and element. */
export function renderNftFull(parts: Iterable<NftPortRules>, options: NftRenderOptions = {}): string {
  const lines = nftSkeleton(options);
  const seen = new Set<string>();
  const adds = new Map<string, string[]>();
  for (const part of parts) {
    for (const o of part.objects) {
      if (seen.has(o.name)) continue;
      seen.add(o.name);
      if (o.kind === 'chain') {
        lines.push(`  chain ${o.name} {`);
        for (const r of o.rules) lines.push(`    ${r}`);
        lines.push('  }');
      } else lines.push(`  ${o.kind} ${o.name} { ${o.spec} }`);
    }
    for (const [container, text] of part.elements) push(adds, container, text);
  }
  lines.push('}');
  elementLines(lines, 'add', adds);
  return lines.join('\n') + '\n';
}

/** One service port's (or the address list's) rules before and after a change. */
export interface NftChange {
  before?: NftPortRules;
  after?: NftPortRules;
}

function sameObject(a: NftObject, b: NftObject): boolean {
  return a.spec === b.spec && a.rules.length === b.rules.length && a.rules.every((r, i) => r === b.rules[i]);
}

/**
 * A delta `nft -f` payload applying `changes` to a table that holds every `before` and the
 * shared objects named in `present` ('' when nothing changed). Only elements that differ are
 * deleted or added; a port's own chains are flushed and rewritten only when their rules changed
 * (all of them when one of its affinity sets is recreated), its vanished chains and sets are
 * deleted, and shared objects not yet in the table are created.
 */
export function renderNftDelta(changes: readonly NftChange[], present: ReadonlySet<string>): string {
  const declare: string[] = [];
  const flush: string[] = [];
  const dropSets: string[] = [];
  const rules: string[] = [];
  const dropChains: string[] = [];
  const created = new Set<string>();
  // container → key → element text
  const oldEls = new Map<string, Map<string, string>>();
  const newEls = new Map<string, Map<string, string>>();
  const declareObject = (o: NftObject) => {
    declare.push(o.kind === 'chain' ? `add chain ${TABLE} ${o.name}` : `add ${o.kind} ${TABLE} ${o.name} { ${o.spec} }`);
    for (const r of o.rules) rules.push(`add rule ${TABLE} ${o.name} ${r}`);
  };
  for (const { before, after } of changes) {
    for (const [c, text] of before?.elements ?? []) (oldEls.get(c) ?? oldEls.set(c, new Map()).get(c)!).set(elementKey(text), text);
    for (const [c, text] of after?.elements ?? []) (newEls.get(c) ?? newEls.set(c, new Map()).get(c)!).set(elementKey(text), text);
    const oldOwned = new Map((before?.objects ?? []).filter((o) => !o.shared).map((o) => [o.name, o]));
    const newOwned = new Map((after?.objects ?? []).filter((o) => !o.shared).map((o) => [o.name, o]));
    for (const o of after?.objects ?? []) {
      if (o.shared && !present.has(o.name) && !created.has(o.name)) {
        created.add(o.name);
        declareObject(o);
      }
    }
    // A set whose spec changed is deleted and re-added, so every chain using it is flushed first.
    let setRecreated = false;
    for (const [name, o] of newOwned) {
      const old = oldOwned.get(name);
      if (o.kind !== 'chain' && old && !sameObject(old, o)) {
        setRecreated = true;
        dropSets.push(`delete ${old.kind} ${TABLE} ${name}`);
        dropSets.push(`add ${o.kind} ${TABLE} ${name} { ${o.spec} }`);
      }
    }
    for (const [name, o] of newOwned) {
      const old = oldOwned.get(name);
      if (!old) declareObject(o);
      else if (o.kind === 'chain' && (setRecreated || !sameObject(old, o))) {
        flush.push(`flush chain ${TABLE} ${name}`);
        for (const r of o.rules) rules.push(`add rule ${TABLE} ${name} ${r}`);
      }
    }
    for (const [name, old] of oldOwned) {
      if (newOwned.has(name)) continue;
      if (old.kind === 'chain') {
        flush.push(`flush chain ${TABLE} ${name}`);
        dropChains.push(`delete chain ${TABLE} ${name}`);
      } else dropSets.push(`delete ${old.kind} ${TABLE} ${name}`);
    }
  }
  const removed = new Map<string, string[]>();
  const added = new Map<string, string[]>();
  for (const [c, m] of oldEls) {
    const next = newEls.get(c);
    for (const [k, text] of m) if (next?.get(k) !== text) push(removed, c, k);
  }
  for (const [c, m] of newEls) {
    const prev = oldEls.get(c);
    for (const [k, text] of m) if (prev?.get(k) !== text) push(added, c, text);
  }
  const lines = [...declare, ...flush];
  elementLines(lines, 'delete', removed);
  lines.push(...dropSets, ...rules);
  elementLines(lines, 'add', added);
  lines.push(...dropChains);
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
