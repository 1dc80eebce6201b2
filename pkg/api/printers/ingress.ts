/** Ingress, IngressClass and NetworkPolicy printers (upstream printIngress, printIngressClass, printNetworkPolicy). */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, arr, formatLabelSelector, get, isObject, str } from './format.ts';
import type { Printer } from './printer.ts';

type Json = Record<string, unknown>;

/** Upstream formatHosts: the first three hosts, `+ N more...` after them, `*` when none. */
export function formatIngressHosts(rules: Json[]): string {
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    if (!more && str(rule.host)) hosts.push(str(rule.host));
  }
  if (!hosts.length) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

/** Upstream ingressLoadBalancerStatusStringer: sorted unique IPs (else hostnames), clipped to 16 bytes unless wide. */
export function ingressAddresses(status: unknown, wide: boolean): string {
  const set = new Set<string>();
  for (const lb of arr(get(status, 'loadBalancer', 'ingress'))) {
    if (str(lb.ip)) set.add(str(lb.ip));
    else if (str(lb.hostname)) set.add(str(lb.hostname));
  }
  const joined = [...set].sort().join(',');
  return !wide && joined.length > 16 ? `${joined.slice(0, 13)}...` : joined;
}

/** Upstream's server-side Table conversion prints with `Wide: true`: addresses are never clipped there. */
export const ingressPrinter: Printer = {
  columns: [
    nameColumn,
    col('Class', 'string', 0, 'The name of the IngressClass resource that should be used for this Ingress.'),
    col('Hosts', 'string', 0, 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 0, 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 0, 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  row(ing, now) {
    const spec = isObject(ing.spec) ? ing.spec : {};
    const className = typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '<none>';
    const ports = arr(spec.tls).length ? '80, 443' : '80';
    return [ing.metadata.name ?? '', className, formatIngressHosts(arr(spec.rules)), ingressAddresses(ing.status, true), ports, age(ing, now)];
  },
};

/** `Kind.apiGroup/name`, `Kind/name` without a group, `<none>` without parameters. */
function ingressClassParameters(params: unknown): string {
  if (!isObject(params)) return '<none>';
  const kind = typeof params.apiGroup === 'string' ? `${str(params.kind)}.${params.apiGroup}` : str(params.kind);
  return `${kind}/${str(params.name)}`;
}

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn,
    col('Controller', 'string', 0, 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 0, 'A reference to a resource with additional parameters'),
    ageColumn,
  ],
  row(ic, now) {
    return [ic.metadata.name ?? '', str(get(ic, 'spec', 'controller')), ingressClassParameters(get(ic, 'spec', 'parameters')), age(ic, now)];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [
    nameColumn,
    col('Pod-Selector', 'string', 0, 'Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.'),
    ageColumn,
  ],
  row(np, now) {
    return [np.metadata.name ?? '', formatLabelSelector(get(np, 'spec', 'podSelector')), age(np, now)];
  },
};
