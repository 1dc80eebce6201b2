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
 * - loadBalancerSourceRanges: `firewall-ips` maps a load-balancer IP . proto . port to the
 *   port's `firewall-…` chain, which drops sources outside the ranges; `firewall-check` looks it
 *   up for new connections before DNAT (prerouting and output), as upstream.
 */
import type { ProxiedServicePort } from '../iptables/render.ts';
import { usableEndpoints } from '../categorize-endpoints.ts';
import { cidrContains } from '../node-port-addresses.ts';
import { nftAffinitySet, nftEndpointChain, nftExternalChain, nftFirewallChain, nftLocalChain, nftServiceChain } from './chain-names.ts';

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
  /** The same for the local endpoints of a service with a Local traffic policy. */
  localSlots?: readonly string[];
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
  /** The node's IP: a loadBalancerSourceRanges CIDR containing it also admits the LB IPs as sources (upstream allowFromNode). */
  nodeIP?: string;
  /** The node's `topology.kubernetes.io/zone`: cluster traffic prefers endpoints hinted for it (upstream topology hints). */
  zone?: string;
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

/** Shared dispatch objects per family, endpoint count and masquerade rule, built once. */
const sharedCache = new Map<string, readonly NftObject[]>();

function cached(key: string, build: () => NftObject[]): readonly NftObject[] {
  let objs = sharedCache.get(key);
  if (!objs) {
    objs = build();
    sharedCache.set(key, objs);
  }
  return objs;
}

/** `endpoints-N` + `dispatch-N`: cluster IPs, external IPs and LB IPs; marks traffic for masquerade per `masqRule`. */
function serviceDispatch(n: number, masqRule: string): readonly NftObject[] {
  return cached(`svc ${n} ${masqRule}`, () => [
    { kind: 'map', name: `endpoints-${n}`, spec: `typeof ip daddr . meta l4proto . th dport . numgen random mod ${n} : ${ENDPOINT_TYPE};`, rules: [], shared: true },
    { kind: 'chain', name: `dispatch-${n}`, spec: '', rules: [masqRule, `dnat ip to ip daddr . meta l4proto . th dport . numgen random mod ${n} map @endpoints-${n}`], shared: true },
  ]);
}

/** `nodeport-endpoints-N` + `nodeport-dispatch-N`: NodePorts, always masqueraded. */
function nodePortDispatch(n: number): readonly NftObject[] {
  return cached(`np ${n}`, () => [
    { kind: 'map', name: `nodeport-endpoints-${n}`, spec: `typeof meta l4proto . th dport . numgen random mod ${n} : ${ENDPOINT_TYPE};`, rules: [], shared: true },
    { kind: 'chain', name: `nodeport-dispatch-${n}`, spec: '', rules: [MARK, `dnat ip to meta l4proto . th dport . numgen random mod ${n} map @nodeport-endpoints-${n}`], shared: true },
  ]);
}

/**
 * `local-endpoints-N` + `local-dispatch-N`: external IPs and LB IPs of externalTrafficPolicy
 * Local services, for traffic from outside the cluster and the node. No masquerade: the client
 * address is kept.
 */
function localDispatch(n: number): readonly NftObject[] {
  return cached(`local ${n}`, () => [
    { kind: 'map', name: `local-endpoints-${n}`, spec: `typeof ip daddr . meta l4proto . th dport . numgen random mod ${n} : ${ENDPOINT_TYPE};`, rules: [], shared: true },
    { kind: 'chain', name: `local-dispatch-${n}`, spec: '', rules: [`dnat ip to ip daddr . meta l4proto . th dport . numgen random mod ${n} map @local-endpoints-${n}`], shared: true },
  ]);
}

/** `nodeport-local-endpoints-N` + `nodeport-local-dispatch-N`: the same for NodePorts. */
function nodePortLocalDispatch(n: number): readonly NftObject[] {
  return cached(`nplocal ${n}`, () => [
    { kind: 'map', name: `nodeport-local-endpoints-${n}`, spec: `typeof meta l4proto . th dport . numgen random mod ${n} : ${ENDPOINT_TYPE};`, rules: [], shared: true },
    { kind: 'chain', name: `nodeport-local-dispatch-${n}`, spec: '', rules: [`dnat ip to meta l4proto . th dport . numgen random mod ${n} map @nodeport-local-endpoints-${n}`], shared: true },
  ]);
}

function dispatchObjects(n: number, masqRule: string, nodePort: boolean): readonly NftObject[] {
  return nodePort ? cached(`both ${n} ${masqRule}`, () => [...serviceDispatch(n, masqRule), ...nodePortDispatch(n)]) : serviceDispatch(n, masqRule);
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

/** Verdicts of the `no-endpoint-*` maps (upstream): no endpoints at all, or none for this traffic. */
const REJECT = 'goto reject-chain';
const DROP = 'drop';

/**
 * loadBalancerSourceRanges of a port (upstream, whether or not it has endpoints): one
 * `firewall-…` chain dropping sources outside the ranges (plus the LB IPs themselves when the
 * node is inside a range: a VIP bound on the node loops its own requests back from the VIP), and
 * one `firewall-ips` element per load-balancer IP pointing at it. Nothing without both.
 */
function firewallRules({ info }: ProxiedServicePort, p: string, options: NftRenderOptions): { elements: NftElement[]; objects: NftObject[] } | undefined {
  const lbIPs = info.loadBalancerIPs.filter((ip) => !ip.includes(':'));
  const ranges = info.loadBalancerSourceRanges.map((c) => c.trim()).filter((c) => c !== '' && !c.includes(':'));
  if (lbIPs.length === 0 || ranges.length === 0) return undefined;
  const chain = nftFirewallChain({ namespace: info.namespace, name: info.name, protocol: p, portName: info.portName });
  const allowFromNode = options.nodeIP !== undefined && ranges.some((c) => cidrContains(c, options.nodeIP!));
  const sources = [...ranges, ...(allowFromNode ? lbIPs : [])];
  return {
    elements: lbIPs.map((ip): NftElement => ['firewall-ips', `${ip} . ${p} . ${info.port} : goto ${chain}`]),
    objects: [{ kind: 'chain', name: chain, spec: '', rules: [`ip saddr != { ${sources.join(', ')} } drop`], shared: false }],
  };
}

/** `rules` plus the port's firewall pieces, if any. */
function withFirewall(rules: NftPortRules, port: ProxiedServicePort, p: string, options: NftRenderOptions): NftPortRules {
  const fw = firewallRules(port, p, options);
  if (!fw) return rules;
  return { ...rules, elements: [...rules.elements, ...fw.elements], objects: [...rules.objects, ...fw.objects] };
}

/**
 * What one service port contributes (IPv4 only): dispatch elements and objects when it has
 * usable endpoints, `no-endpoint-*` elements when it has none. `previous` (what the port had
 * before) keeps endpoints in their random buckets ({@link assignSlots}).
 *
 * Traffic policies (upstream semantics):
 * - internalTrafficPolicy Local: the cluster IP goes to the local endpoints only (`dispatch-L`
 *   keyed by the cluster IP); with none, cluster IP traffic is dropped.
 * - externalTrafficPolicy Local: traffic to external IPs, LB IPs and the NodePort from outside
 *   the cluster CIDR and not from this node is looked up first in `external-local-ips` /
 *   `external-local-nodeports` and DNATed to local endpoints without masquerade
 *   (`local-dispatch-L`); with none it returns undispatched and the filter drops it. Pod and
 *   node traffic to those destinations skips that lookup and goes to every endpoint, as upstream
 *   short-circuits it (node traffic masqueraded).
 */
export function nftPortRules(port: ProxiedServicePort, options: NftRenderOptions = {}, previous?: NftPortRules): NftPortRules {
  if (port.info.clusterIP.includes(':')) return EMPTY;
  const p = port.info.protocol.toLowerCase();
  return withFirewall(dispatchRules(port, p, options, previous), port, p, options);
}

/** {@link nftPortRules} without the loadBalancerSourceRanges firewall. */
function dispatchRules(port: ProxiedServicePort, p: string, options: NftRenderOptions, previous: NftPortRules | undefined): NftPortRules {
  const { info, endpoints } = port;
  const eps = ipv4Only(usableEndpoints(endpoints, options.zone));
  const externals = info.externalIPs.length + info.loadBalancerIPs.length === 0 ? NO_IPS : [...info.externalIPs, ...info.loadBalancerIPs].filter((ip) => !ip.includes(':'));
  const elements: NftElement[] = [];
  if (eps.length === 0) {
    for (const ip of [info.clusterIP, ...externals]) elements.push(['no-endpoint-services', `${ip} . ${p} . ${info.port} : ${REJECT}`]);
    if (info.nodePort > 0) elements.push(['no-endpoint-nodeports', `${p} . ${info.nodePort} : ${REJECT}`]);
    return { elements, objects: NO_OBJECTS };
  }
  const masq = masqueradeRule(options);
  const policyLocal = info.internalPolicyLocal || info.externalPolicyLocal;
  const local = policyLocal ? ipv4Only(usableEndpoints(endpoints.filter((e) => e.isLocal))) : NO_ENDPOINTS;
  if (info.stickyMaxAgeSeconds > 0) return stickyPortRules(port, p, eps, local, externals, masq, options);
  const slotted = assignSlots(previous?.slots, eps);
  const n = slotted.length;
  const targets = slotted.map((e) => ` : ${e.ip} . ${e.port}`);
  const localSlotted = local.length > 0 ? assignSlots(previous?.localSlots, local) : NO_ENDPOINTS;
  const l = localSlotted.length;
  const localTargets = localSlotted.map((e) => ` : ${e.ip} . ${e.port}`);
  const objects: Array<readonly NftObject[]> = [];
  const clusterDispatch = !info.internalPolicyLocal || externals.length > 0;
  const toAll = (ip: string) => {
    const key = `${ip} . ${p} . ${info.port}`;
    elements.push(['service-ips', `${key} : goto dispatch-${n}`]);
    for (let i = 0; i < n; i++) elements.push([`endpoints-${n}`, `${key} . ${i}${targets[i]}`]);
  };
  // Cluster IP.
  if (!info.internalPolicyLocal) toAll(info.clusterIP);
  else if (l === 0) elements.push(['no-endpoint-services', `${info.clusterIP} . ${p} . ${info.port} : ${DROP}`]);
  else {
    const key = `${info.clusterIP} . ${p} . ${info.port}`;
    elements.push(['service-ips', `${key} : goto dispatch-${l}`]);
    for (let i = 0; i < l; i++) elements.push([`endpoints-${l}`, `${key} . ${i}${localTargets[i]}`]);
    objects.push(serviceDispatch(l, masq));
  }
  const externalLocal = info.externalPolicyLocal && l > 0;
  // External and LB IPs: every endpoint for pod and node traffic (all traffic when Cluster).
  for (const ip of externals) {
    toAll(ip);
    if (!info.externalPolicyLocal) continue;
    const key = `${ip} . ${p} . ${info.port}`;
    if (l === 0) {
      elements.push(['external-local-ips', `${key} : return`]);
      elements.push(['no-endpoint-services', `${key} : ${DROP}`]);
    } else {
      elements.push(['external-local-ips', `${key} : goto local-dispatch-${l}`]);
      for (let i = 0; i < l; i++) elements.push([`local-endpoints-${l}`, `${key} . ${i}${localTargets[i]}`]);
    }
  }
  if (clusterDispatch && info.nodePort === 0) objects.push(serviceDispatch(n, masq));
  if (externals.length > 0 && externalLocal) objects.push(localDispatch(l));
  // NodePort.
  if (info.nodePort > 0) {
    const key = `${p} . ${info.nodePort}`;
    elements.push(['service-nodeports', `${key} : goto nodeport-dispatch-${n}`]);
    for (let i = 0; i < n; i++) elements.push([`nodeport-endpoints-${n}`, `${key} . ${i}${targets[i]}`]);
    objects.push(clusterDispatch ? dispatchObjects(n, masq, true) : nodePortDispatch(n));
    if (externalLocal) objects.push(nodePortLocalDispatch(l));
    if (info.externalPolicyLocal) {
      if (l === 0) {
        elements.push(['external-local-nodeports', `${key} : return`]);
        elements.push(['no-endpoint-nodeports', `${key} : ${DROP}`]);
      } else {
        elements.push(['external-local-nodeports', `${key} : goto nodeport-local-dispatch-${l}`]);
        for (let i = 0; i < l; i++) elements.push([`nodeport-local-endpoints-${l}`, `${key} . ${i}${localTargets[i]}`]);
      }
    }
  }
  const flat = objects.length === 1 ? objects[0]! : dedupe(objects);
  return {
    elements,
    objects: flat,
    slots: slotted.map((e) => e.endpoint),
    ...(l > 0 ? { localSlots: localSlotted.map((e) => e.endpoint) } : {}),
  };
}

const NO_IPS: readonly string[] = [];
const NO_ENDPOINTS: ReturnType<typeof usableEndpoints> = [];

/** IPv4 endpoints; all of them when none is IPv6. */
function ipv4Only(eps: ReturnType<typeof usableEndpoints>): ReturnType<typeof usableEndpoints> {
  return eps.some((e) => e.ip.includes(':')) ? eps.filter((e) => !e.ip.includes(':')) : eps;
}

/** The objects of several lists, each name once, in first-seen order. */
function dedupe(lists: ReadonlyArray<readonly NftObject[]>): NftObject[] {
  const seen = new Set<string>();
  const out: NftObject[] = [];
  for (const list of lists) for (const o of list) if (!seen.has(o.name)) (seen.add(o.name), out.push(o));
  return out;
}

/**
 * Upstream's per-service and per-endpoint chains with one affinity set per endpoint: `service-…`
 * picks among every endpoint, `local-…` among the local ones (a Local traffic policy),
 * `external-…` is where external IPs, LB IPs and the NodePort enter when there is a NodePort or
 * externalTrafficPolicy is Local.
 */
function stickyPortRules(
  { info }: ProxiedServicePort,
  p: string,
  eps: ReturnType<typeof usableEndpoints>,
  local: ReturnType<typeof usableEndpoints>,
  externals: readonly string[],
  masq: string,
  options: NftRenderOptions,
): NftPortRules {
  const id = { namespace: info.namespace, name: info.name, protocol: p, portName: info.portName };
  const svcChain = nftServiceChain(id);
  const localChain = nftLocalChain(id);
  const usesLocal = local.length > 0;
  const elements: NftElement[] = [];
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
  const balance = (picked: ReturnType<typeof usableEndpoints>): string[] => {
    const idx = picked.map((e) => eps.indexOf(e));
    return [
      ...idx.map((i) => `ip saddr @${sets[i]} goto ${epChains[i]}`),
      `numgen random mod ${picked.length} vmap { ${idx.map((i, k) => `${k} : goto ${epChains[i]}`).join(', ')} }`,
    ];
  };
  objects.push({ kind: 'chain', name: svcChain, spec: '', rules: [masq, ...balance(eps)], shared: false });
  if (usesLocal) {
    // Only cluster IP traffic is masqueraded here: external traffic keeps its client address.
    const rules = [...(info.internalPolicyLocal ? [`ip daddr ${info.clusterIP} ${masq}`] : []), ...balance(local)];
    objects.push({ kind: 'chain', name: localChain, spec: '', rules, shared: false });
  }
  const clusterKey = `${info.clusterIP} . ${p} . ${info.port}`;
  if (!info.internalPolicyLocal) elements.push(['service-ips', `${clusterKey} : goto ${svcChain}`]);
  else if (usesLocal) elements.push(['service-ips', `${clusterKey} : goto ${localChain}`]);
  else elements.push(['no-endpoint-services', `${clusterKey} : ${DROP}`]);
  const extChain = nftExternalChain(id);
  const usesExt = info.nodePort > 0 || (info.externalPolicyLocal && externals.length > 0);
  if (usesExt) {
    const rules = info.externalPolicyLocal
      ? [
          ...(options.clusterCIDR ? [`ip saddr ${options.clusterCIDR} goto ${svcChain}`] : []),
          `fib saddr type local ${MARK}`,
          `fib saddr type local goto ${svcChain}`,
          ...(usesLocal ? [`goto ${localChain}`] : []),
        ]
      : [MARK, `goto ${svcChain}`];
    objects.push({ kind: 'chain', name: extChain, spec: '', rules, shared: false });
  }
  const externalTarget = usesExt ? extChain : svcChain;
  for (const ip of externals) {
    elements.push(['service-ips', `${ip} . ${p} . ${info.port} : goto ${externalTarget}`]);
    if (info.externalPolicyLocal && !usesLocal) elements.push(['no-endpoint-services', `${ip} . ${p} . ${info.port} : ${DROP}`]);
  }
  if (info.nodePort > 0) {
    elements.push(['service-nodeports', `${p} . ${info.nodePort} : goto ${extChain}`]);
    if (info.externalPolicyLocal && !usesLocal) elements.push(['no-endpoint-nodeports', `${p} . ${info.nodePort} : ${DROP}`]);
  }
  return { elements, objects };
}

/**
 * The `nodeport-ips` set contents for --nodeport-addresses (nothing when every address matches).
 * Loopback addresses are left out: NodePorts on localhost are not supported in nftables mode.
 */
export function nodePortIPsRules(ips: readonly string[] | undefined): NftPortRules {
  return { elements: (ips ?? []).filter((ip) => !ip.startsWith('127.')).map((ip) => ['nodeport-ips', ip] as const), objects: NO_OBJECTS };
}

/**
 * The fixed part of the table: top-level maps and sets, hooked chains and their few rules.
 * NodePorts never answer on 127.0.0.0/8 (upstream: localhost NodePorts are iptables-only).
 */
export function nftSkeleton(options: NftRenderOptions = {}): string[] {
  const all = options.nodePortsOnAllAddresses !== false;
  const nodeDest = all ? 'fib daddr type local ip daddr != 127.0.0.0/8' : 'ip daddr @nodeport-ips';
  // Traffic that externalTrafficPolicy Local keeps on this node: neither from a pod nor from the node.
  const external = `${options.clusterCIDR ? `ip saddr != ${options.clusterCIDR} ` : ''}fib saddr type != local`;
  return [
    `add table ${TABLE}`,
    `delete table ${TABLE}`,
    `table ${TABLE} {`,
    `  comment "rules for kube-proxy"`,
    `  map service-ips { type ipv4_addr . inet_proto . inet_service : verdict; }`,
    `  map service-nodeports { type inet_proto . inet_service : verdict; }`,
    `  map external-local-ips { type ipv4_addr . inet_proto . inet_service : verdict; }`,
    `  map external-local-nodeports { type inet_proto . inet_service : verdict; }`,
    ...(all ? [] : [`  set nodeport-ips { type ipv4_addr; }`]),
    `  map no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict; }`,
    `  map no-endpoint-nodeports { type inet_proto . inet_service : verdict; }`,
    `  map firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict; }`,
    `  chain filter-prerouting { type filter hook prerouting priority -110; policy accept; ct state new jump firewall-check; }`,
    `  chain nat-prerouting { type nat hook prerouting priority dstnat; policy accept; jump services; }`,
    `  chain nat-output { type nat hook output priority -100; policy accept; jump services; }`,
    `  chain nat-postrouting { type nat hook postrouting priority srcnat; policy accept; jump masquerading; }`,
    `  chain filter-input { type filter hook input priority -110; policy accept; ct state new jump endpoints-check; }`,
    `  chain filter-forward { type filter hook forward priority -110; policy accept; ct state new jump endpoints-check; }`,
    `  chain filter-output { type filter hook output priority -110; policy accept; ct state new jump endpoints-check; ct state new jump firewall-check; }`,
    `  chain services {`,
    `    ${external} ip daddr . meta l4proto . th dport vmap @external-local-ips`,
    `    ip daddr . meta l4proto . th dport vmap @service-ips`,
    `    ${external} ${nodeDest} meta l4proto . th dport vmap @external-local-nodeports`,
    `    ${nodeDest} meta l4proto . th dport vmap @service-nodeports`,
    `  }`,
    `  chain masquerading {`,
    `    meta mark & 0x4000 == 0 return`,
    `    meta mark set meta mark ^ 0x4000`,
    `    masquerade fully-random`,
    `  }`,
    `  chain reject-chain {`,
    `    reject`,
    `  }`,
    `  chain firewall-check {`,
    `    ip daddr . meta l4proto . th dport vmap @firewall-ips`,
    `  }`,
    `  chain endpoints-check {`,
    `    ip daddr . meta l4proto . th dport vmap @no-endpoint-services`,
    `    ${nodeDest} meta l4proto . th dport vmap @no-endpoint-nodeports`,
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
