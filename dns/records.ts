/**
 * Cluster DNS answers as the Kubernetes DNS specification defines them (what CoreDNS's
 * `kubernetes` plugin serves), decided from Services and EndpointSlices without I/O:
 * - `<svc>.<ns>.svc.<domain>` A: the ClusterIP; headless: the ready endpoint addresses;
 *   ExternalName: a CNAME;
 * - `<hostname>.<svc>.<ns>.svc.<domain>` A for headless endpoints with a hostname;
 * - `_<port>._<proto>.<svc>.<ns>.svc.<domain>` SRV for named ports;
 * - `<a-b-c-d>.<ns>.pod.<domain>` A;
 * - `<d.c.b.a>.in-addr.arpa` PTR of a Service's ClusterIP (`<svc>.<ns>.svc.<domain>`) or, failing
 *   that, of a ready endpoint (`<hostname or a-b-c-d>.<svc>.<ns>.svc.<domain>`); other reverse
 *   names fall through to the upstream resolvers, as CoreDNS's `fallthrough in-addr.arpa`;
 * - `dns-version.<domain>` TXT: the schema version of the specification served (`1.1.0`);
 * - names in the cluster domain that do not exist: NXDOMAIN; existing names without records of
 *   the asked type (e.g. AAAA): NOERROR with no answers. Other names are not ours (`forward`).
 */

/** What a Service contributes. */
export interface DnsService {
  namespace: string;
  name: string;
  type: string;
  clusterIP?: string;
  externalName?: string;
  ports: Array<{ name?: string; port: number; protocol?: string }>;
}

/** What an EndpointSlice endpoint contributes. */
export interface DnsEndpoint {
  addresses: string[];
  ready: boolean;
  hostname?: string;
  ports: Array<{ name?: string; port: number; protocol?: string }>;
}

/** The cluster view the answers come from. */
export interface DnsView {
  domain: string;
  service(namespace: string, name: string): DnsService | undefined;
  endpoints(namespace: string, name: string): DnsEndpoint[];
  namespaceExists(namespace: string): boolean;
  /** The Service whose ClusterIP is `ip` (reverse lookups). */
  serviceByClusterIP(ip: string): Pick<DnsService, 'namespace' | 'name'> | undefined;
  /** The ready endpoints holding address `ip`, with the Service each belongs to. */
  endpointsByAddress(ip: string): Array<{ namespace: string; service: string; hostname?: string }>;
}

export type DnsAnswer =
  | { kind: 'forward' }
  | { kind: 'nxdomain' }
  | { kind: 'records'; records: DnsRecord[] };

export type DnsRecord =
  | { type: 'A'; name: string; address: string }
  | { type: 'CNAME'; name: string; target: string }
  | { type: 'SRV'; name: string; port: number; target: string; priority: number; weight: number }
  | { type: 'PTR'; name: string; target: string }
  | { type: 'TXT'; name: string; text: string };

/** The version of the Kubernetes DNS specification these answers follow (its schema version record). */
export const DNS_SCHEMA_VERSION = '1.1.0';

/** Records carry a 5 s TTL, as CoreDNS's kubernetes plugin. */
export const DNS_TTL = 5;

const isHeadless = (s: DnsService) => s.type !== 'ExternalName' && (!s.clusterIP || s.clusterIP === 'None');

function readyAddresses(view: DnsView, s: DnsService): string[] {
  return [...new Set(view.endpoints(s.namespace, s.name).filter((e) => e.ready).flatMap((e) => e.addresses))].sort();
}

const REVERSE_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/;

/** A PTR answer for `<d.c.b.a>.in-addr.arpa` from the cluster, or forward when the cluster has none. */
function reverse(view: DnsView, name: string, type: string, domain: string): DnsAnswer {
  const m = REVERSE_V4.exec(name);
  if (!m || (type !== 'PTR' && type !== 'ANY')) return { kind: 'forward' };
  const ip = `${m[4]}.${m[3]}.${m[2]}.${m[1]}`;
  const svc = view.serviceByClusterIP(ip);
  const targets = svc
    ? [`${svc.name}.${svc.namespace}.svc.${domain}`]
    : view.endpointsByAddress(ip).map((e) => `${e.hostname ?? ip.replace(/\./g, '-')}.${e.service}.${e.namespace}.svc.${domain}`);
  if (!targets.length) return { kind: 'forward' };
  return { kind: 'records', records: [...new Set(targets)].map((target) => ({ type: 'PTR', name, target })) };
}

/** Answers one question (`name` lower-cased, without the trailing dot). */
export function answer(view: DnsView, name: string, type: string): DnsAnswer {
  const domain = view.domain.toLowerCase();
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower.endsWith('.in-addr.arpa')) return reverse(view, lower, type, domain);
  if (lower !== domain && !lower.endsWith(`.${domain}`)) return { kind: 'forward' };
  const labels = lower === domain ? [] : lower.slice(0, -(domain.length + 1)).split('.');
  const records: DnsRecord[] = [];
  const ok = () => ({ kind: 'records' as const, records });
  if (labels.length === 1 && labels[0] === 'dns-version') {
    if (type === 'TXT' || type === 'ANY') records.push({ type: 'TXT', name: lower, text: DNS_SCHEMA_VERSION });
    return ok();
  }
  // <ip>.<ns>.pod
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = labels[0].replace(/-/g, '.');
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return { kind: 'nxdomain' };
    if (type === 'A' || type === 'ANY') records.push({ type: 'A', name: lower, address: ip });
    return ok();
  }
  const svcIndex = labels.lastIndexOf('svc');
  if (svcIndex < 0 || svcIndex !== labels.length - 1) return labels.length <= 1 ? ok() : { kind: 'nxdomain' };
  const rest = labels.slice(0, svcIndex);
  if (rest.length === 0) return ok();
  const ns = rest[rest.length - 1];
  if (rest.length === 1) return view.namespaceExists(ns) ? ok() : { kind: 'nxdomain' };
  const svcName = rest[rest.length - 2];
  const svc = view.service(ns, svcName);
  if (!svc) return { kind: 'nxdomain' };
  const prefix = rest.slice(0, -2);
  const svcFqdn = `${svcName}.${ns}.svc.${domain}`;
  if (prefix.length === 0) {
    if (svc.type === 'ExternalName') {
      if (svc.externalName) records.push({ type: 'CNAME', name: lower, target: svc.externalName.replace(/\.$/, '') });
      return ok();
    }
    if (type === 'A' || type === 'ANY') {
      if (isHeadless(svc)) for (const address of readyAddresses(view, svc)) records.push({ type: 'A', name: lower, address });
      else if (svc.clusterIP && /^\d/.test(svc.clusterIP) && !svc.clusterIP.includes(':')) records.push({ type: 'A', name: lower, address: svc.clusterIP });
    }
    return ok();
  }
  if (prefix.length === 2 && prefix[0].startsWith('_') && prefix[1].startsWith('_')) {
    const portName = prefix[0].slice(1);
    const proto = prefix[1].slice(1).toUpperCase();
    const port = svc.ports.find((p) => p.name === portName && (p.protocol ?? 'TCP') === proto);
    if (!port) return { kind: 'nxdomain' };
    if (type === 'SRV' || type === 'ANY') {
      if (isHeadless(svc)) {
        for (const e of view.endpoints(ns, svcName).filter((x) => x.ready)) {
          const epPort = e.ports.find((p) => p.name === portName)?.port ?? port.port;
          for (const address of e.addresses) records.push({ type: 'SRV', name: lower, port: epPort, priority: 0, weight: 100, target: `${e.hostname ?? address.replace(/\./g, '-')}.${svcFqdn}` });
        }
      } else {
        records.push({ type: 'SRV', name: lower, port: port.port, priority: 0, weight: 100, target: svcFqdn });
      }
    }
    return ok();
  }
  if (prefix.length === 1 && isHeadless(svc)) {
    const host = prefix[0];
    const matches = view.endpoints(ns, svcName).filter((e) => e.ready && (e.hostname === host || e.addresses.some((a) => a.replace(/\./g, '-') === host)));
    if (!matches.length) return { kind: 'nxdomain' };
    if (type === 'A' || type === 'ANY') for (const e of matches) for (const address of e.addresses) records.push({ type: 'A', name: lower, address });
    return ok();
  }
  return { kind: 'nxdomain' };
}
