/**
 * What a Service's Endpoints and EndpointSlices should hold (upstream endpoint and endpointslice
 * controllers), pure: pods selected by the Service with an IP and not terminating; ports with
 * named targetPorts resolved per pod; ready vs not-ready (unless publishNotReadyAddresses);
 * Endpoints subsets grouped by port set and sorted by IP; slices of at most 100 endpoints.
 */
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

type P = DeepReadonly<Pod>;
type S = DeepReadonly<Service>;

export const MAX_ENDPOINTS_PER_SLICE = 100;
export const MANAGED_BY = 'endpointslice-controller.k8s.io';

/** A service port resolved for one pod. */
export interface ResolvedPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** The pod's port for a service port (number, or a named container port), undefined if absent. */
export function resolveTargetPort(pod: P, sp: NonNullable<NonNullable<S['spec']>['ports']>[number]): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    const found = c.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
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

/** Pods that belong in the endpoints (have an IP, not terminating, not finished). */
export function endpointPods(pods: readonly P[]): P[] {
  return pods.filter((p) => p.status?.podIP && !p.metadata.deletionTimestamp && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed');
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

/** The Endpoints subsets (upstream `RepackSubsets`): one subset per distinct port set. */
export function desiredSubsets(svc: S, pods: readonly P[]): NonNullable<Endpoints['subsets']> {
  const groups = new Map<string, { ports: ResolvedPort[]; ready: P[]; notReady: P[] }>();
  const publish = svc.spec?.publishNotReadyAddresses === true;
  for (const pod of endpointPods(pods)) {
    const ports = portsFor(svc, pod);
    if (!ports.length && (svc.spec?.ports ?? []).length) continue;
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
    ports: g.ports,
  })) as NonNullable<Endpoints['subsets']>;
}

/** The slices' contents: one group per port set, chunked to `max` endpoints, sorted by IP. */
export function desiredSlices(svc: S, pods: readonly P[], max = MAX_ENDPOINTS_PER_SLICE): Array<{ ports: ResolvedPort[]; endpoints: NonNullable<EndpointSlice['endpoints']> }> {
  const groups = new Map<string, { ports: ResolvedPort[]; pods: P[] }>();
  for (const pod of endpointPods(pods)) {
    const ports = portsFor(svc, pod);
    const key = JSON.stringify(ports);
    const g = groups.get(key) ?? { ports, pods: [] };
    g.pods.push(pod);
    groups.set(key, g);
  }
  const out: Array<{ ports: ResolvedPort[]; endpoints: NonNullable<EndpointSlice['endpoints']> }> = [];
  for (const g of groups.values()) {
    const endpoints = g.pods
      .sort((a, b) => ipKey(a.status?.podIP as string).localeCompare(ipKey(b.status?.podIP as string)))
      .map((p) => ({
        addresses: [p.status?.podIP as string],
        conditions: { ready: isReady(p) || svc.spec?.publishNotReadyAddresses === true, serving: isReady(p), terminating: false },
        ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}),
        ...(endpointHostname(svc, p) ? { hostname: endpointHostname(svc, p) } : {}),
        targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
      })) as NonNullable<EndpointSlice['endpoints']>;
    for (let i = 0; i < Math.max(1, endpoints.length); i += max) out.push({ ports: g.ports, endpoints: endpoints.slice(i, i + max) });
  }
  if (!out.length) out.push({ ports: [], endpoints: [] });
  return out;
}
