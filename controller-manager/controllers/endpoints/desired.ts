/**
 * What a Service's Endpoints and EndpointSlices should hold (upstream endpoint and endpointslice
 * controllers), pure: pods selected by the Service with an IP and not in a final phase; ports with
 * named targetPorts resolved per pod (sidecar ports too); ready vs not-ready (unless
 * publishNotReadyAddresses); Endpoints subsets grouped by port set, sorted by IP and truncated at
 * 1,000 addresses; slices of at most 100 endpoints that keep terminating pods (serving /
 * terminating conditions) and carry their node's zone.
 */
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { isRestartableInitContainer } from '../../../pkg/api/core/v1/pod-container.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { usesTrafficDistribution } from './topology-mode.ts';
import { LABEL_MANAGED_BY as MANAGED_BY_LABEL, LABEL_SERVICE_NAME as SERVICE_NAME_LABEL } from '../../../pkg/api/discovery/v1/well-known-labels.ts';

type P = DeepReadonly<Pod>;
type S = DeepReadonly<Service>;
type Subset = NonNullable<Endpoints['subsets']>[number];

export const MAX_ENDPOINTS_PER_SLICE = 100;
/** The only address type this controller writes slices for. */
export const ADDRESS_TYPE = 'IPv4';
/** Upstream's cap on the addresses of one Endpoints object (`maxCapacity`). */
export const MAX_ENDPOINTS_ADDRESSES = 1000;
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
export { MANAGED_BY_LABEL, SERVICE_NAME_LABEL };
/** Label on the Endpoints and EndpointSlices of a Service without a cluster IP (upstream `v1.IsHeadlessService`). */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** Annotation upstream puts on an Endpoints object it truncated to {@link MAX_ENDPOINTS_ADDRESSES}. */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/** A service port resolved for one pod. */
export interface ResolvedPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/**
 * The pod's port for a service port (upstream FindPort): a number as is; a name looked up among the
 * containers' named ports of the same protocol, then the sidecars' (init containers with
 * `restartPolicy: Always`); undefined if absent.
 */
export function resolveTargetPort(pod: P, sp: NonNullable<NonNullable<S['spec']>['ports']>[number]): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter(isRestartableInitContainer);
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    const found = c.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
    if (found) return found.containerPort;
  }
  return undefined;
}

/**
 * Upstream ShouldSetHostname: an endpoint carries the pod's hostname when the pod names this
 * Service as its subdomain (a StatefulSet's pods and their headless Service): that is what DNS
 * serves as `<hostname>.<service>.<namespace>.svc.<domain>`.
 */
export function endpointHostname(svc: S, pod: P): string | undefined {
  const hostname = pod.spec?.hostname;
  return hostname && pod.spec?.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace ? hostname : undefined;
}

const isReady = (p: P) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const isTerminating = (p: P) => Boolean(p.metadata.deletionTimestamp);

/**
 * Upstream ShouldPodBeInEndpoints: pods with an IP that have not finished (Succeeded/Failed);
 * terminating ones (a deletionTimestamp) only with `includeTerminating`.
 */
export function endpointPods(pods: readonly P[], includeTerminating: boolean): P[] {
  return pods.filter((p) => p.status?.podIP && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed' && (includeTerminating || !isTerminating(p)));
}

/** A Service without a cluster IP (`None` or unset): its Endpoints and slices carry {@link HEADLESS_LABEL}. */
export function isHeadless(svc: S): boolean {
  return !svc.spec?.clusterIP || svc.spec.clusterIP === 'None';
}

/**
 * The labels of a Service's Endpoints object (upstream): the Service's, plus {@link HEADLESS_LABEL}
 * (empty value) when it is headless and without it otherwise.
 */
export function endpointsLabels(svc: S): Record<string, string> {
  const { [HEADLESS_LABEL]: _ignored, ...labels } = svc.metadata.labels ?? {};
  return isHeadless(svc) ? { ...labels, [HEADLESS_LABEL]: '' } : labels;
}

/**
 * The labels of a Service's EndpointSlices (upstream setEndpointSliceLabels): the Service's minus
 * the reserved keys, {@link HEADLESS_LABEL} when headless, `kubernetes.io/service-name` and
 * `endpointslice.kubernetes.io/managed-by`.
 */
export function endpointSliceLabels(svc: S, managedBy: string): Record<string, string> {
  return { ...endpointsLabels(svc), [SERVICE_NAME_LABEL]: svc.metadata.name as string, [MANAGED_BY_LABEL]: managedBy };
}
function portsFor(svc: S, pod: P): ResolvedPort[] {
  const out: ResolvedPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port !== undefined) out.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

const ipKey = (ip: string) => ip.split('.').map((n) => n.padStart(3, '0')).join('.');

/**
 * The Endpoints subsets (upstream `RepackSubsets`): one subset per distinct port set; terminating
 * pods left out unless the Service publishes not-ready addresses; a pod with none of the Service's
 * ports left out, except behind a headless Service without ports.
 */
export function desiredSubsets(svc: S, pods: readonly P[]): NonNullable<Endpoints['subsets']> {
  const groups = new Map<string, { ports: ResolvedPort[]; ready: P[]; notReady: P[] }>();
  const publish = svc.spec?.publishNotReadyAddresses === true;
  const portless = !(svc.spec?.ports ?? []).length;
  if (portless && svc.spec?.clusterIP !== 'None') return [];
  for (const pod of endpointPods(pods, publish)) {
    const ports = portsFor(svc, pod);
    if (!ports.length && !portless) continue;
    const key = JSON.stringify([...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')));
    const g = groups.get(key) ?? { ports, ready: [], notReady: [] };
    (publish || isReady(pod) ? g.ready : g.notReady).push(pod);
    groups.set(key, g);
  }
  const address = (p: P) => ({ ip: p.status?.podIP as string, ...(endpointHostname(svc, p) ? { hostname: endpointHostname(svc, p) } : {}), ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}), targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid } });
  const byIp = (a: { ip: string }, b: { ip: string }) => ipKey(a.ip).localeCompare(ipKey(b.ip));
  return [...groups.values()].map((g) => ({
    ...(g.ready.length ? { addresses: g.ready.map(address).sort(byIp) } : {}),
    ...(g.notReady.length ? { notReadyAddresses: g.notReady.map(address).sort(byIp) } : {}),
    ...(g.ports.length ? { ports: g.ports } : {}),
  })) as NonNullable<Endpoints['subsets']>;
}

/**
 * Upstream truncateEndpoints: when `subsets` hold more than `max` addresses, keep ready ones first
 * — each subset its share of the room left, rounded up, the last one what remains — dropping every
 * not-ready address when the ready ones alone are too many. Returns the subsets to store and
 * whether they were truncated (the Endpoints then carries {@link OVER_CAPACITY_ANNOTATION}: `truncated`).
 */
export function truncateSubsets(subsets: readonly Subset[], max = MAX_ENDPOINTS_ADDRESSES): { subsets: Subset[]; truncated: boolean } {
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (ready + notReady <= max) return { subsets: [...subsets], truncated: false };
  const cutReady = ready > max;
  const room = cutReady ? max : max - ready;
  const total = cutReady ? ready : notReady;
  let left = room;
  const out = subsets.map((s) => {
    const list = (cutReady ? s.addresses : s.notReadyAddresses) ?? [];
    const keep = list.slice(0, Math.min(Math.ceil((list.length / total) * room), left));
    left -= keep.length;
    return cutReady ? { ...s, addresses: keep, notReadyAddresses: [] } : { ...s, notReadyAddresses: keep };
  });
  return { subsets: out, truncated: true };
}

/** Looks up the zone (`LABEL_TOPOLOGY_ZONE`) of a node; undefined when unknown or unlabelled. */
export type ZoneOf = (nodeName: string) => string | undefined;

/**
 * The slices' contents (upstream endpointslice reconciler): one group per port set, chunked to
 * `max` endpoints, sorted by IP. Terminating pods stay in, `terminating: true` and not ready
 * (unless the Service publishes not-ready addresses); `serving` is the pod's Ready condition; an
 * endpoint carries its node's zone when `zoneOf` knows it, and with `trafficDistribution:
 * PreferClose` a ready one is hinted for that zone — unless the topology annotation says `Auto`,
 * whose hints the topology cache gives instead (`service-hints.ts`). Ports always carry a name (`""` when the
 * Service port has none), as upstream's do.
 */
export function desiredSlices(svc: S, pods: readonly P[], options: { max?: number; zoneOf?: ZoneOf } = {}): Array<{ ports: ResolvedPort[]; endpoints: NonNullable<EndpointSlice['endpoints']> }> {
  const max = options.max ?? MAX_ENDPOINTS_PER_SLICE;
  const publish = svc.spec?.publishNotReadyAddresses === true;
  const preferClose = usesTrafficDistribution(svc);
  const groups = new Map<string, { ports: ResolvedPort[]; pods: P[] }>();
  for (const pod of endpointPods(pods, true)) {
    const ports = portsFor(svc, pod).map((p) => ({ ...p, name: p.name ?? '' }));
    const key = JSON.stringify(ports);
    const g = groups.get(key) ?? { ports, pods: [] };
    g.pods.push(pod);
    groups.set(key, g);
  }
  const out: Array<{ ports: ResolvedPort[]; endpoints: NonNullable<EndpointSlice['endpoints']> }> = [];
  for (const g of groups.values()) {
    const endpoints = g.pods
      .sort((a, b) => ipKey(a.status?.podIP as string).localeCompare(ipKey(b.status?.podIP as string)))
      .map((p) => {
        const serving = isReady(p);
        const terminating = isTerminating(p);
        const zone = p.spec?.nodeName ? options.zoneOf?.(p.spec.nodeName) : undefined;
        const ready = publish || (serving && !terminating);
        return {
          addresses: [p.status?.podIP as string],
          conditions: { ready, serving, terminating },
          // Upstream's PreferClose heuristic: a ready endpoint is hinted for its own zone.
          ...(preferClose && ready && zone ? { hints: { forZones: [{ name: zone }] } } : {}),
          ...(endpointHostname(svc, p) ? { hostname: endpointHostname(svc, p) } : {}),
          targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
          ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}),
          ...(zone ? { zone } : {}),
        };
      }) as NonNullable<EndpointSlice['endpoints']>;
    for (let i = 0; i < Math.max(1, endpoints.length); i += max) out.push({ ports: g.ports, endpoints: endpoints.slice(i, i + max) });
  }
  if (!out.length) out.push({ ports: [], endpoints: [] });
  return out;
}
