import { categorizeEndpoints, externallyAccessible } from '../categorize-endpoints.ts';
import type { EndpointInfo, ServicePortInfo } from '../model.ts';
import { cidrContains } from '../node-port-addresses.ts';
import { portProtoHash } from './chain-names.ts';

/** One service port with its endpoints, as the renderer receives it. */
export interface ProxiedServicePort {
  key: string;
  info: ServicePortInfo;
  endpoints: EndpointInfo[];
}

/** Options of the iptables renderer. */
export interface IptablesRenderOptions {
  /** --cluster-cidr; traffic from outside it to a cluster IP is masqueraded. */
  clusterCIDR?: string;
  /** Masquerade all service traffic (--masquerade-all). */
  masqueradeAll?: boolean;
  /** Service port keys whose chains changed; undefined = full sync (rewrite every service chain). */
  changedServices?: ReadonlySet<string>;
  /** Chains currently in the nat table; KUBE-SVC/SEP/EXT/SVL/FW ones no longer active are deleted (renderIptablesRules only). */
  existingNatChains?: readonly string[];
  /**
   * --nodeport-addresses: the local IPs NodePorts answer on, one `-d IP` jump to KUBE-NODEPORTS
   * each; undefined = every local address (`-m addrtype --dst-type LOCAL`).
   */
  nodePortIPs?: readonly string[];
  /**
   * NodePorts answer on 127.0.0.0/8 (upstream localhostNodePorts, route_localnet=1). Default true.
   * True adds KUBE-FIREWALL's "block incoming localnet connections" rule to the filter table;
   * false keeps 127.0.0.0/8 out of the KUBE-NODEPORTS jump.
   */
  localhostNodePorts?: boolean;
  /** The node's IP: a loadBalancerSourceRanges CIDR containing it also admits the LB IPs as sources (upstream allowFromNode). */
  nodeIP?: string;
  /** The node's `topology.kubernetes.io/zone`: cluster traffic prefers endpoints hinted for it (upstream topology hints). */
  zone?: string;
}

/** What a render leaves besides the nat payload. */
export interface IptablesRenderSummary {
  /** The whole filter table payload, `*filter` … `COMMIT\n` (always ending so). */
  filter: string;
  /** Number of -A rules written to nat (chains of unchanged services not included). */
  natRules: number;
  /** Number of -A rules in filter. */
  filterRules: number;
  /** Per-service nat chains that exist after this restore (feed back as existingNatChains on a partial sync). */
  activeNatChains: string[];
}

/** iptables-restore payloads per table and counters. */
export interface IptablesRules extends IptablesRenderSummary {
  /** The whole nat table payload, `*nat` … `COMMIT`. */
  nat: string;
}

const MASQ_MARK = '0x4000';

/**
 * Above this many endpoints in all (upstream largeClusterEndpointsThreshold) the endpoint chains
 * and the rules jumping to them carry no comments, which makes the payload ~40 % smaller.
 */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

function q(comment: string): string {
  return /[\s"]/.test(comment) ? `"${comment}"` : comment;
}


/** Upstream probability string: fmt.Sprintf("%0.10f", 1/n). */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

/**
 * The nat payload in chunks of about `chunkChars` characters, for streaming into
 * `iptables-restore` while the rest is still being rendered: `*nat`, the top-level chains, then
 * per service port (in key order) the declarations of its chains, its KUBE-SERVICES and
 * KUBE-NODEPORTS rules and the rules of its chains, then the final jump to KUBE-NODEPORTS. It
 * stops before the stale chains and `COMMIT` (see {@link staleNatChains}). Chains are declared
 * right before their first use rather than all at the top (iptables-restore only needs a chain
 * declared before a rule jumps to it), so the first bytes go out before every chain name is
 * hashed. On a partial sync (`changedServices`) chains of unchanged services are neither declared
 * (a declaration flushes under --noflush) nor written; top-level chains are always rewritten.
 * `summary` is filled before the last chunk is yielded. Pure apart from a per-service memo.
 */
export function* renderNatChunks(
  services: readonly ProxiedServicePort[],
  options: IptablesRenderOptions,
  summary: IptablesRenderSummary,
  chunkChars = 1 << 16,
): Generator<string> {
  const sorted = [...services].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let total = 0;
  for (const s of sorted) total += s.endpoints.length;
  const large = total > LARGE_CLUSTER_ENDPOINTS;
  const memoKey = `${options.clusterCIDR ?? ''}|${options.masqueradeAll === true}|${large}|${options.nodeIP ?? ''}|${options.zone ?? ''}`;
  let buf =
    '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n' +
    `-A KUBE-POSTROUTING -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN\n` +
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${MASQ_MARK}\n` +
    `-A KUBE-POSTROUTING -m comment --comment ${q('kubernetes service traffic requiring SNAT')} -j MASQUERADE --random-fully\n` +
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${MASQ_MARK}\n`;
  let natRules = 4;
  let filterBody = '';
  let filterRules = 0;
  const active: string[] = [];
  for (const s of sorted) {
    const piece = cachedPiece(s, options, large, memoKey);
    if (options.changedServices === undefined || options.changedServices.has(s.key)) {
      buf += piece.decls + piece.top + piece.chains;
      natRules += piece.topRules + piece.chainRules;
    } else {
      buf += piece.top;
      natRules += piece.topRules;
    }
    filterBody += piece.filter;
    filterRules += piece.filterRules;
    for (const c of piece.active) active.push(c);
    if (buf.length >= chunkChars) {
      yield buf;
      buf = '';
    }
  }
  const localhost = options.localhostNodePorts !== false;
  const nodePortsJump = `-A KUBE-SERVICES -m comment --comment ${q('kubernetes service nodeports; NOTE: this must be the last rule in this chain')}`;
  if (options.nodePortIPs === undefined) {
    buf += `${nodePortsJump} -m addrtype --dst-type LOCAL${localhost ? '' : ' ! -d 127.0.0.0/8'} -j KUBE-NODEPORTS\n`;
    natRules++;
  } else {
    for (const ip of options.nodePortIPs) {
      if (!localhost && ip.startsWith('127.')) continue;
      buf += `${nodePortsJump} -d ${ip} -j KUBE-NODEPORTS\n`;
      natRules++;
    }
  }
  const { text: filter, rules } = filterTable(filterBody, localhost);
  summary.filter = filter;
  summary.filterRules = filterRules + rules;
  summary.natRules = natRules;
  summary.activeNatChains = active;
  yield buf;
}

/** The filter payload around the per-service rules: top-level chains, KUBE-FIREWALL's localnet rule, KUBE-FORWARD. */
function filterTable(serviceRules: string, localhostNodePorts: boolean): { text: string; rules: number } {
  let text = '*filter\n:KUBE-SERVICES - [0:0]\n:KUBE-EXTERNAL-SERVICES - [0:0]\n:KUBE-FORWARD - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-PROXY-FIREWALL - [0:0]\n';
  let rules = 3;
  if (localhostNodePorts) {
    // route_localnet=1 lets 127.0.0.0/8 be routed; this drops such packets arriving from elsewhere (upstream, issue 90259).
    text += ':KUBE-FIREWALL - [0:0]\n';
    text += `-A KUBE-FIREWALL -m comment --comment ${q('block incoming localnet connections')} -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n`;
    rules++;
  }
  text += serviceRules;
  text += '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n';
  text += `-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT\n`;
  text += `-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n`;
  return { text: text + 'COMMIT\n', rules };
}

const SERVICE_CHAIN = /^KUBE-(SVC|SVL|EXT|FW|SEP)-/;

/**
 * Lines deleting the per-service nat chains in `existing` that are not in `active`: each is
 * declared (so flushed) and then removed. They go after every other nat rule, before COMMIT. Pure.
 */
export function staleNatChains(existing: readonly string[], active: readonly string[]): string {
  const keep = new Set(active);
  const stale = existing.filter((c) => SERVICE_CHAIN.test(c) && !keep.has(c)).sort();
  return stale.map((c) => `:${c} - [0:0]\n`).join('') + stale.map((c) => `-X ${c}\n`).join('');
}

/**
 * Render the nat and filter payloads for `iptables-restore --noflush` with the upstream kube-proxy
 * chains and rules (see {@link renderNatChunks} for the order). Pure.
 */
export function renderIptablesRules(services: readonly ProxiedServicePort[], options: IptablesRenderOptions = {}): IptablesRules {
  const summary: IptablesRenderSummary = { filter: '', natRules: 0, filterRules: 0, activeNatChains: [] };
  let nat = '';
  for (const chunk of renderNatChunks(services, options, summary)) nat += chunk;
  nat += staleNatChains(options.existingNatChains ?? [], summary.activeNatChains) + 'COMMIT\n';
  return { ...summary, nat };
}

/** What one service port writes: its own chains, its lines in the shared chains, and its filter rules. */
interface ServicePiece {
  /** `:CHAIN - [0:0]` lines of the port's own nat chains. */
  decls: string;
  /** Its KUBE-SERVICES and KUBE-NODEPORTS rules. */
  top: string;
  topRules: number;
  /** The rules of its own chains. */
  chains: string;
  chainRules: number;
  filter: string;
  filterRules: number;
  /** Its own nat chains. */
  active: string[];
}

/**
 * Memo of {@link servicePiece} per ServicePortInfo object: the proxy state hands the same info and
 * endpoint array objects for unchanged services, so a sync re-renders only what changed.
 */
const pieceCache = new WeakMap<ServicePortInfo, { endpoints: readonly EndpointInfo[]; key: string; piece: ServicePiece }>();

function cachedPiece(s: ProxiedServicePort, options: IptablesRenderOptions, large: boolean, key: string): ServicePiece {
  const hit = pieceCache.get(s.info);
  if (hit && hit.endpoints === s.endpoints && hit.key === key) return hit.piece;
  const piece = servicePiece(s, options, large);
  pieceCache.set(s.info, { endpoints: s.endpoints, key, piece });
  return piece;
}

/** The rules of one service port, following upstream syncProxyRules' per-service part line by line. */
function servicePiece({ info, endpoints }: ProxiedServicePort, options: IptablesRenderOptions, large: boolean): ServicePiece {
  const p = info.protocol.toLowerCase();
  const spn = info.servicePortName;
  const match = `-m ${p} -p ${p}`;
  const hash = info.chainStem ?? portProtoHash(spn, p);
  const svcChain = `KUBE-SVC-${hash}`;
  const svlChain = `KUBE-SVL-${hash}`;
  const extChain = `KUBE-EXT-${hash}`;
  const fwChain = `KUBE-FW-${hash}`;
  const { cluster, local, allReachable, hasAny } = categorizeEndpoints(endpoints, info, options.zone);
  const usesCluster = cluster.length > 0;
  const usesLocal = local.length > 0;
  const internalChain = info.internalPolicyLocal ? svlChain : svcChain;
  const hasInternal = hasAny && (!info.internalPolicyLocal || usesLocal);
  const externalPolicyChain = info.externalPolicyLocal ? svlChain : svcChain;
  const hasExternal = hasAny && (!info.externalPolicyLocal || usesLocal);
  const usesExt = hasAny && externallyAccessible(info);
  const sourceRanges = info.loadBalancerSourceRanges.map((c) => c.trim()).filter((c) => c !== '' && !c.includes(':'));
  const usesFW = hasAny && info.loadBalancerIPs.length > 0 && sourceRanges.length > 0;
  const lbChain = usesFW ? fwChain : extChain;
  const noEndpoints = `${spn} has no endpoints`;
  const noLocal = `${spn} has no local endpoints`;
  const internalFilter = hasAny ? { comment: noLocal, target: 'DROP' } : { comment: noEndpoints, target: 'REJECT' };
  const externalFilter = internalFilter;
  // Lines go into arrays joined once at the end: one flat string per part instead of a deep
  // rope of small ones (less garbage on a first sync, which builds every piece).
  const topLines: string[] = [];
  const ruleLines: string[] = [];
  const filterLines: string[] = [];
  const active: string[] = [];
  const top = (line: string) => topLines.push(line);
  const rule = (line: string) => ruleLines.push(line);
  const filter = (line: string) => filterLines.push(line);
  const declare = (chain: string) => active.push(chain);
  const comment = (text: string) => (large ? '' : ` -m comment --comment ${q(text)}`);
  const clusterDst = `${match} -d ${info.clusterIP} --dport ${info.port}`;

  // Cluster IP.
  if (hasInternal) top(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} cluster IP`)} ${clusterDst} -j ${internalChain}`);
  else filter(`-A KUBE-SERVICES -m comment --comment ${q(internalFilter.comment)} ${clusterDst} -j ${internalFilter.target}`);
  // External IPs: to the EXT chain whenever there are endpoints (it short-circuits pod and node
  // traffic); filtered when external traffic has none.
  for (const ip of info.externalIPs) {
    if (hasAny) top(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} external IP`)} ${match} -d ${ip} --dport ${info.port} -j ${extChain}`);
    if (!hasExternal) filter(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${q(externalFilter.comment)} ${match} -d ${ip} --dport ${info.port} -j ${externalFilter.target}`);
  }
  // Load-balancer IPs, through the firewall chain when loadBalancerSourceRanges is set.
  for (const ip of info.loadBalancerIPs) {
    if (hasAny) top(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} loadbalancer IP`)} ${match} -d ${ip} --dport ${info.port} -j ${lbChain}`);
    if (usesFW) filter(`-A KUBE-PROXY-FIREWALL -m comment --comment ${q(`${spn} traffic not accepted by ${fwChain}`)} ${match} -d ${ip} --dport ${info.port} -j DROP`);
  }
  if (!hasExternal) {
    for (const ip of info.loadBalancerIPs) filter(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${q(externalFilter.comment)} ${match} -d ${ip} --dport ${info.port} -j ${externalFilter.target}`);
  }
  // NodePort.
  if (info.nodePort > 0) {
    if (hasAny) top(`-A KUBE-NODEPORTS -m comment --comment ${q(spn)} ${match} --dport ${info.nodePort} -j ${extChain}`);
    if (!hasExternal) filter(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${q(externalFilter.comment)} -m addrtype --dst-type LOCAL ${match} --dport ${info.nodePort} -j ${externalFilter.target}`);
  }
  // Health check NodePort: accepted whether or not this node has local endpoints.
  if (info.healthCheckNodePort > 0) {
    filter(`-A KUBE-NODEPORTS -m comment --comment ${q(`${spn} health check node port`)} -m tcp -p tcp --dport ${info.healthCheckNodePort} -j ACCEPT`);
  }

  if (usesExt) declare(extChain);
  if (usesFW) declare(fwChain);
  if (usesCluster) declare(svcChain);
  if (usesLocal) declare(svlChain);
  const sepChains = allReachable.map((e) => `KUBE-SEP-${e.chainStem ?? portProtoHash(spn, p, e.endpoint)}`);
  for (const c of sepChains) declare(c);

  // Internal traffic: masquerade what comes from outside the cluster (or everything).
  if (hasInternal) {
    if (options.masqueradeAll) rule(`-A ${internalChain} -m comment --comment ${q(`${spn} cluster IP`)} ${clusterDst} -j KUBE-MARK-MASQ`);
    else if (options.clusterCIDR) rule(`-A ${internalChain} -m comment --comment ${q(`${spn} cluster IP`)} ${clusterDst} ! -s ${options.clusterCIDR} -j KUBE-MARK-MASQ`);
  }
  // External traffic.
  if (usesExt) {
    if (!info.externalPolicyLocal) {
      rule(`-A ${extChain} -m comment --comment ${q(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`);
    } else {
      if (options.clusterCIDR) rule(`-A ${extChain} -m comment --comment ${q(`pod traffic for ${spn} external destinations`)} -s ${options.clusterCIDR} -j ${svcChain}`);
      rule(`-A ${extChain} -m comment --comment ${q(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
      rule(`-A ${extChain} -m comment --comment ${q(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${svcChain}`);
    }
    if (hasExternal) rule(`-A ${extChain} -j ${externalPolicyChain}`);
  }
  // loadBalancerSourceRanges: sources in range go on to EXT; the rest reach the end of the
  // chain undispatched and KUBE-PROXY-FIREWALL drops them.
  if (usesFW) {
    const head = `-A ${fwChain} -m comment --comment ${q(`${spn} loadbalancer IP`)}`;
    let allowFromNode = false;
    for (const cidr of sourceRanges) {
      rule(`${head} -s ${cidr} -j ${extChain}`);
      if (options.nodeIP && cidrContains(cidr, options.nodeIP)) allowFromNode = true;
    }
    // A VIP bound on this node loops the node's own requests back with the VIP as source.
    if (allowFromNode) for (const ip of info.loadBalancerIPs) rule(`${head} -s ${ip} -j ${extChain}`);
    rule(`-A ${fwChain} -m comment --comment ${q(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)}`);
  }
  const sepByEndpoint = new Map(allReachable.map((e, i) => [e, sepChains[i]!]));
  const sepOf = (e: EndpointInfo) => sepByEndpoint.get(e)!;
  const balance = (chain: string, eps: readonly EndpointInfo[]) => {
    if (info.stickyMaxAgeSeconds > 0) {
      for (const e of eps) rule(`-A ${chain}${comment(`${spn} -> ${e.endpoint}`)} -m recent --name ${sepOf(e)} --rcheck --seconds ${info.stickyMaxAgeSeconds} --reap -j ${sepOf(e)}`);
    }
    const n = eps.length;
    eps.forEach((e, i) => {
      const stat = i < n - 1 ? ` -m statistic --mode random --probability ${probability(n - i)}` : '';
      rule(`-A ${chain}${comment(`${spn} -> ${e.endpoint}`)}${stat} -j ${sepOf(e)}`);
    });
  };
  if (usesCluster) balance(svcChain, cluster);
  if (usesLocal) balance(svlChain, local);
  allReachable.forEach((e, i) => {
    const sep = sepChains[i]!;
    rule(`-A ${sep}${comment(spn)} -s ${e.ip} -j KUBE-MARK-MASQ`);
    const recent = info.stickyMaxAgeSeconds > 0 ? ` -m recent --name ${sep} --set` : '';
    rule(`-A ${sep}${comment(spn)}${recent} ${match} -j DNAT --to-destination ${e.endpoint}`);
  });
  const joined = (lines: string[]) => (lines.length === 0 ? '' : lines.join('\n') + '\n');
  return {
    decls: active.length === 0 ? '' : `:${active.join(' - [0:0]\n:')} - [0:0]\n`,
    top: joined(topLines),
    topRules: topLines.length,
    chains: joined(ruleLines),
    chainRules: ruleLines.length,
    filter: joined(filterLines),
    filterRules: filterLines.length,
    active,
  };
}
