import type { EndpointInfo, ServicePortInfo } from '../model.ts';
import { endpointChain, externalChain, localChain, serviceChain } from './chain-names.ts';

/** One service port with its endpoints, as the renderer receives it. */
export interface ProxiedServicePort {
  key: string;
  info: ServicePortInfo;
  endpoints: EndpointInfo[];
}

/** Options of renderIptablesRules. */
export interface IptablesRenderOptions {
  /** --cluster-cidr; traffic from outside it to a cluster IP is masqueraded. */
  clusterCIDR?: string;
  /** Masquerade all service traffic (--masquerade-all). */
  masqueradeAll?: boolean;
  /** Service port keys whose chains changed; undefined = full sync (rewrite every service chain). */
  changedServices?: ReadonlySet<string>;
  /** Chains currently in the nat table (from iptables-save); KUBE-SVC/SEP/EXT/SVL/FW ones no longer active are deleted. */
  existingNatChains?: readonly string[];
  /**
   * --nodeport-addresses: the local IPs NodePorts answer on, one `-d IP` jump to KUBE-NODEPORTS
   * each; undefined = every local address (`-m addrtype --dst-type LOCAL`).
   */
  nodePortIPs?: readonly string[];
}

/** iptables-restore payloads per table and counters. */
export interface IptablesRules {
  filter: string;
  nat: string;
  /** Number of -A rules in nat. */
  natRules: number;
  /** Number of -A rules in filter. */
  filterRules: number;
  /** Per-service nat chains that exist after this restore (feed back as existingNatChains on a partial sync). */
  activeNatChains: string[];
}

const MASQ_MARK = '0x4000';

function q(comment: string): string {
  return /[\s"]/.test(comment) ? `"${comment}"` : comment;
}

function proto(info: ServicePortInfo): string {
  return info.protocol.toLowerCase();
}

/** Endpoints that receive traffic: ready ones, else serving+terminating ones (upstream fallback). */
export function usableEndpoints(eps: readonly EndpointInfo[]): EndpointInfo[] {
  const ready = eps.filter((e) => e.ready);
  return ready.length > 0 ? ready : eps.filter((e) => e.serving && e.terminating);
}

/** Upstream probability string: fmt.Sprintf("%0.10f", 1/n). */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

/**
 * Render the nat and filter payloads for `iptables-restore --noflush` with the upstream kube-proxy
 * layout. Pure. Service ports are written in key order. On a partial sync, chains of unchanged
 * services are neither declared nor written (a declaration would flush them under --noflush), so
 * they keep their rules; top-level chains are always rewritten whole.
 */
export function renderIptablesRules(services: readonly ProxiedServicePort[], options: IptablesRenderOptions = {}): IptablesRules {
  const sorted = [...services].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const natChains: string[] = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'];
  const filterChains = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL'];
  const natTop: string[] = [];
  const natNodePorts: string[] = [];
  const natSvc: string[] = [];
  const filterRules: string[] = [];
  const active = new Set<string>();

  for (const { key, info, endpoints } of sorted) {
    const top = cachedServiceTop(info, endpoints);
    const { p, spn, svcChain, svlChain, extChain, usable, local, match, usesSvc, usesSvl, usesExt, sepChains } = top;
    if (usesSvc) active.add(svcChain);
    if (usesSvl) active.add(svlChain);
    if (usesExt) active.add(extChain);
    for (const c of sepChains) active.add(c);
    for (const l of top.natTop) natTop.push(l);
    for (const l of top.natNodePorts) natNodePorts.push(l);
    for (const l of top.filter) filterRules.push(l);

    const rewrite = options.changedServices === undefined || options.changedServices.has(key);
    if (!rewrite || usable.length === 0) continue;

    if (usesSvc) {
      natChains.push(svcChain);
      if (options.masqueradeAll) {
        natSvc.push(`-A ${svcChain} -m comment --comment ${q(`${spn} cluster IP`)} ${match} -d ${info.clusterIP} --dport ${info.port} -j KUBE-MARK-MASQ`);
      } else if (options.clusterCIDR) {
        natSvc.push(`-A ${svcChain} -m comment --comment ${q(`${spn} cluster IP`)} ${match} -d ${info.clusterIP} --dport ${info.port} ! -s ${options.clusterCIDR} -j KUBE-MARK-MASQ`);
      }
      writeBalancing(natSvc, svcChain, spn, p, usable, info.stickyMaxAgeSeconds);
    }
    if (usesSvl) {
      natChains.push(svlChain);
      writeBalancing(natSvc, svlChain, spn, p, local, info.stickyMaxAgeSeconds);
    }
    if (usesExt) {
      natChains.push(extChain);
      if (info.externalPolicyLocal) {
        if (options.clusterCIDR) {
          natSvc.push(`-A ${extChain} -m comment --comment ${q(`pod traffic for ${spn} external destinations`)} -s ${options.clusterCIDR} -j ${svcChain}`);
        }
        natSvc.push(`-A ${extChain} -m comment --comment ${q(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
        natSvc.push(`-A ${extChain} -m comment --comment ${q(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${svcChain}`);
        natSvc.push(`-A ${extChain} -j ${svlChain}`);
      } else {
        natSvc.push(`-A ${extChain} -m comment --comment ${q(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`);
        natSvc.push(`-A ${extChain} -j ${svcChain}`);
      }
    }
    usable.forEach((e, i) => {
      const sep = sepChains[i]!;
      natChains.push(sep);
      natSvc.push(`-A ${sep} -m comment --comment ${q(spn)} -s ${e.ip} -j KUBE-MARK-MASQ`);
      const recent = info.stickyMaxAgeSeconds > 0 ? ` -m recent --name ${sep} --set` : '';
      natSvc.push(`-A ${sep} -m comment --comment ${q(spn)}${recent} ${match} -j DNAT --to-destination ${e.endpoint}`);
    });
  }

  natNodePorts.sort();
  const nodePortsComment = `-A KUBE-SERVICES -m comment --comment ${q('kubernetes service nodeports; NOTE: this must be the last rule in this chain')}`;
  const natTail = [
    ...(options.nodePortIPs === undefined
      ? [`${nodePortsComment} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`]
      : options.nodePortIPs.map((ip) => `${nodePortsComment} -d ${ip} -j KUBE-NODEPORTS`)),
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${MASQ_MARK}`,
    `-A KUBE-POSTROUTING -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${MASQ_MARK}`,
    `-A KUBE-POSTROUTING -m comment --comment ${q('kubernetes service traffic requiring SNAT')} -j MASQUERADE --random-fully`,
  ];
  const forward = [
    `-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP`,
    `-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`,
    `-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  ];
  const stale = (options.existingNatChains ?? [])
    .filter((c) => /^KUBE-(SVC|SVL|EXT|FW|SEP)-/.test(c) && !active.has(c))
    .sort();
  const natLines = [
    '*nat',
    ...natChains.map((c) => `:${c} - [0:0]`),
    ...stale.map((c) => `:${c} - [0:0]`),
    ...natNodePorts,
    ...natTop,
    ...natTail,
    ...natSvc,
    ...stale.map((c) => `-X ${c}`),
    'COMMIT',
  ];
  const filterLines = ['*filter', ...filterChains.map((c) => `:${c} - [0:0]`), ...forward, ...filterRules, 'COMMIT'];
  return {
    nat: natLines.join('\n') + '\n',
    filter: filterLines.join('\n') + '\n',
    natRules: natNodePorts.length + natTop.length + natTail.length + natSvc.length,
    filterRules: forward.length + filterRules.length,
    activeNatChains: [...active],
  };
}

/**
 * The nat payload `nat` (ending in COMMIT) extended to delete the per-service chains in
 * `existing` (from iptables-save) that are not in `active`: each is declared (so flushed) and
 * then removed, after every other rule of the payload. Pure.
 */
export function withStaleChains(nat: string, existing: readonly string[], active: readonly string[]): string {
  const keep = new Set(active);
  const stale = existing.filter((c) => /^KUBE-(SVC|SVL|EXT|FW|SEP)-/.test(c) && !keep.has(c)).sort();
  if (stale.length === 0) return nat;
  return nat.slice(0, nat.length - 'COMMIT\n'.length) + stale.map((c) => `:${c} - [0:0]\n`).join('') + stale.map((c) => `-X ${c}\n`).join('') + 'COMMIT\n';
}

function writeBalancing(
  out: string[],
  chain: string,
  spn: string,
  p: string,
  eps: readonly EndpointInfo[],
  stickySeconds: number,
): void {
  const seps = eps.map((e) => endpointChain(spn, p, e.endpoint));
  if (stickySeconds > 0) {
    eps.forEach((e, i) => {
      out.push(`-A ${chain} -m comment --comment ${q(`${spn} -> ${e.endpoint}`)} -m recent --name ${seps[i]} --rcheck --seconds ${stickySeconds} --reap -j ${seps[i]}`);
    });
  }
  const n = eps.length;
  eps.forEach((e, i) => {
    const stat = i < n - 1 ? ` -m statistic --mode random --probability ${probability(n - i)}` : '';
    out.push(`-A ${chain} -m comment --comment ${q(`${spn} -> ${e.endpoint}`)}${stat} -j ${seps[i]}`);
  });
}

/** The per-service lines of the shared chains (KUBE-SERVICES, KUBE-NODEPORTS, filter) and its chain names. */
interface ServiceTop {
  p: string;
  spn: string;
  svcChain: string;
  svlChain: string;
  extChain: string;
  usable: EndpointInfo[];
  local: EndpointInfo[];
  match: string;
  usesSvc: boolean;
  usesSvl: boolean;
  usesExt: boolean;
  sepChains: string[];
  natTop: string[];
  natNodePorts: string[];
  filter: string[];
}

/**
 * Memo of {@link serviceTop} per ServicePortInfo object: the proxy state hands the same info and
 * endpoint array objects for unchanged services, so a sync re-renders only what changed.
 */
const topCache = new WeakMap<ServicePortInfo, { endpoints: readonly EndpointInfo[]; top: ServiceTop }>();

function cachedServiceTop(info: ServicePortInfo, endpoints: readonly EndpointInfo[]): ServiceTop {
  const hit = topCache.get(info);
  if (hit && hit.endpoints === endpoints) return hit.top;
  const top = serviceTop(info, endpoints);
  topCache.set(info, { endpoints, top });
  return top;
}

function serviceTop(info: ServicePortInfo, endpoints: readonly EndpointInfo[]): ServiceTop {
  const p = proto(info);
  const spn = info.servicePortName;
  const svcChain = serviceChain(spn, p);
  const svlChain = localChain(spn, p);
  const extChain = externalChain(spn, p);
  const usable = usableEndpoints(endpoints);
  const local = usableEndpoints(endpoints.filter((e) => e.isLocal));
  const hasExternal = info.nodePort > 0 || info.externalIPs.length > 0 || info.loadBalancerIPs.length > 0;
  const match = `-m ${p} -p ${p}`;
  const usesSvc = usable.length > 0 && (!info.internalPolicyLocal || (hasExternal && !info.externalPolicyLocal));
  const usesSvl = (info.internalPolicyLocal || info.externalPolicyLocal) && usable.length > 0;
  const usesExt = hasExternal && usable.length > 0;
  const sepChains = usable.map((e) => endpointChain(spn, p, e.endpoint));
  const top: ServiceTop = { p, spn, svcChain, svlChain, extChain, usable, local, match, usesSvc, usesSvl, usesExt, sepChains, natTop: [], natNodePorts: [], filter: [] };

  // Cluster IP.
  if (usable.length === 0) {
    top.filter.push(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} has no endpoints`)} ${match} -d ${info.clusterIP} --dport ${info.port} -j REJECT`);
  } else {
    const target = info.internalPolicyLocal ? svlChain : svcChain;
    top.natTop.push(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} cluster IP`)} ${match} -d ${info.clusterIP} --dport ${info.port} -j ${target}`);
  }
  // External IPs, load balancer IPs, node ports.
  for (const ip of info.externalIPs) {
    if (usable.length === 0 || (info.externalPolicyLocal && local.length === 0)) {
      top.filter.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${q(`${spn} has no ${usable.length === 0 ? '' : 'local '}endpoints`)} ${match} -d ${ip} --dport ${info.port} -j ${usable.length === 0 ? 'REJECT' : 'DROP'}`);
    } else {
      top.natTop.push(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} external IP`)} ${match} -d ${ip} --dport ${info.port} -j ${extChain}`);
    }
  }
  for (const ip of info.loadBalancerIPs) {
    if (usable.length > 0) {
      top.natTop.push(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} loadbalancer IP`)} ${match} -d ${ip} --dport ${info.port} -j ${extChain}`);
    }
  }
  if (info.nodePort > 0) {
    if (usable.length === 0 || (info.externalPolicyLocal && local.length === 0)) {
      top.filter.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${q(`${spn} has no ${usable.length === 0 ? '' : 'local '}endpoints`)} -m addrtype --dst-type LOCAL ${match} --dport ${info.nodePort} -j ${usable.length === 0 ? 'REJECT' : 'DROP'}`);
    } else {
      top.natNodePorts.push(`-A KUBE-NODEPORTS -m comment --comment ${q(spn)} ${match} --dport ${info.nodePort} -j ${extChain}`);
    }
  }
  return top;
}
