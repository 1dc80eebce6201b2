import type { ProxiedServicePort } from '../iptables/render.ts';
import { usableEndpoints } from '../categorize-endpoints.ts';
import { joinHostPort } from '../../pkg/net/host-port.ts';

/** What IPVS mode programs: ipvsadm-restore input, ipset-restore input, addresses on kube-ipvs0. */
export interface IpvsRules {
  ipvsadm: string;
  ipset: string;
  /** Addresses (with /32 or /128) bound to the dummy interface kube-ipvs0. */
  dummyAddresses: string[];
}

const flag = (p: string): string => (p === 'TCP' ? '-t' : p === 'UDP' ? '-u' : '--sctp-service');

/**
 * Render IPVS mode as upstream's ipvs proxier programs it: one virtual server per cluster IP,
 * external IP and load balancer IP (scheduler rr, persistence for ClientIP affinity), real servers
 * in masquerading mode with weight 1, and the upstream ipsets (KUBE-CLUSTER-IP, KUBE-LOOP-BACK,
 * KUBE-EXTERNAL-IP, KUBE-NODE-PORT-TCP/UDP) that the small iptables layer matches on. With the
 * node's `zone`, zone-hinted endpoints are used as the other proxiers use them.
 */
export function renderIpvsRules(services: readonly ProxiedServicePort[], scheduler = 'rr', zone?: string): IpvsRules {
  const sorted = [...services].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const ipvs: string[] = [];
  const sets = new Map<string, { type: string; members: string[] }>([
    ['KUBE-CLUSTER-IP', { type: 'hash:ip,port', members: [] }],
    ['KUBE-LOOP-BACK', { type: 'hash:ip,port,ip', members: [] }],
    ['KUBE-EXTERNAL-IP', { type: 'hash:ip,port', members: [] }],
    ['KUBE-NODE-PORT-TCP', { type: 'bitmap:port range 0-65535', members: [] }],
    ['KUBE-NODE-PORT-UDP', { type: 'bitmap:port range 0-65535', members: [] }],
  ]);
  const addresses = new Set<string>();
  for (const { info, endpoints } of sorted) {
    const p = info.protocol.toLowerCase();
    const eps = usableEndpoints(endpoints, zone);
    const persist = info.stickyMaxAgeSeconds > 0 ? ` -p ${info.stickyMaxAgeSeconds}` : '';
    const vips = [
      { ip: info.clusterIP, set: 'KUBE-CLUSTER-IP' },
      ...info.externalIPs.map((ip) => ({ ip, set: 'KUBE-EXTERNAL-IP' })),
      ...info.loadBalancerIPs.map((ip) => ({ ip, set: 'KUBE-EXTERNAL-IP' })),
    ];
    for (const v of vips) {
      const vs = `${flag(info.protocol)} ${joinHostPort(v.ip, info.port)}`;
      ipvs.push(`-A ${vs} -s ${scheduler}${persist}`);
      for (const e of eps) ipvs.push(`-a ${vs} -r ${joinHostPort(e.ip, e.port)} -m -w 1`);
      sets.get(v.set)!.members.push(`${v.ip},${p}:${info.port}`);
      addresses.add(`${v.ip}/${v.ip.includes(':') ? 128 : 32}`);
    }
    for (const e of eps) sets.get('KUBE-LOOP-BACK')!.members.push(`${e.ip},${p}:${e.port},${e.ip}`);
    if (info.nodePort > 0 && (p === 'tcp' || p === 'udp')) sets.get(`KUBE-NODE-PORT-${p.toUpperCase()}`)!.members.push(String(info.nodePort));
  }
  const ipset: string[] = [];
  for (const [name, s] of sets) {
    ipset.push(`create ${name} ${s.type} -exist`);
    for (const m of [...new Set(s.members)].sort()) ipset.push(`add ${name} ${m} -exist`);
  }
  return { ipvsadm: ipvs.map((l) => l + '\n').join(''), ipset: ipset.map((l) => l + '\n').join(''), dummyAddresses: [...addresses].sort() };
}
