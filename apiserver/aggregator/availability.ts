/**
 * The `Available` condition of an APIService (upstream's availability controllers, local and
 * remote): the reasons and messages kube-aggregator writes, decided from what was read. Pure.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { APIService } from '../../pkg/api/apiregistration/v1/apiservice.ts';

/** A condition as the controller decides it (lastTransitionTime is added when it is written). */
export interface AvailableCondition {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export const LOCAL_AVAILABLE: AvailableCondition = { status: 'True', reason: 'Local', message: 'Local APIServices are always available' };
export const PASSED: AvailableCondition = { status: 'True', reason: 'Passed', message: 'all checks passed' };

type ServiceShape = KubeObject & { spec?: { type?: string; ports?: Array<{ name?: string; port?: number }> } };
type EndpointsShape = KubeObject & { subsets?: Array<{ addresses?: Array<{ ip?: string }>; ports?: Array<{ name?: string; port?: number }> }> };

/** What the controller read for a remote APIService; `undefined` objects were not found, `…Error` a failed read. */
export interface RemoteObservation {
  service?: KubeObject;
  serviceError?: string;
  endpoints?: KubeObject;
  endpointsError?: string;
}

/**
 * The condition from the Service and Endpoints alone, or undefined when they pass and the
 * discovery check decides (only ClusterIP services are checked for a port and endpoints).
 */
export function serviceCondition(svc: APIService, seen: RemoteObservation): AvailableCondition | undefined {
  const ref = svc.spec?.service;
  if (!ref) return LOCAL_AVAILABLE;
  const where = `service/${ref.name ?? ''} in "${ref.namespace ?? ''}"`;
  if (seen.serviceError) return { status: 'False', reason: 'ServiceAccessError', message: `${where} cannot be checked due to: ${seen.serviceError}` };
  const service = seen.service as ServiceShape | undefined;
  if (!service) return { status: 'False', reason: 'ServiceNotFound', message: `${where} is not present` };
  // Only ClusterIP services are checked for a port and ready endpoints (upstream); others go to the discovery check.
  if ((service.spec?.type ?? 'ClusterIP') !== 'ClusterIP') return undefined;
  const port = ref.port ?? 443;
  const servicePort = (service.spec?.ports ?? []).find((p) => p.port === port);
  if (!servicePort) return { status: 'False', reason: 'ServicePortError', message: `${where} is not listening on port ${port}` };
  if (seen.endpointsError) return { status: 'False', reason: 'EndpointsAccessError', message: `${where} cannot be checked due to: ${seen.endpointsError}` };
  const endpoints = seen.endpoints as EndpointsShape | undefined;
  // Upstream reports missing Endpoints as a missing service.
  if (!endpoints) return { status: 'False', reason: 'ServiceNotFound', message: `${where} is not present` };
  const portName = servicePort.name ?? '';
  const ready = (endpoints.subsets ?? []).some((s) => (s.addresses ?? []).length > 0 && (s.ports ?? []).some((p) => (p.name ?? '') === portName));
  if (!ready) return { status: 'False', reason: 'MissingEndpoints', message: `endpoints for ${where} have no addresses with port name "${portName}"` };
  return undefined;
}

/** The condition after the discovery check (`GET <url>`): passed, or the upstream failure text. */
export function discoveryCondition(result: { url: string; ok: true } | { url: string; ok: false; error: string }): AvailableCondition {
  if (result.ok) return PASSED;
  return { status: 'False', reason: 'FailedDiscoveryCheck', message: `failing or missing response from ${result.url}: ${result.error}` };
}

/**
 * The status to write, or undefined when the stored one already says the same: the Available
 * condition replaced, its lastTransitionTime kept unless the status changes. Pure.
 */
export function nextStatus(svc: APIService, cond: AvailableCondition, now: string): APIService['status'] | undefined {
  const conditions = svc.status?.conditions ?? [];
  const old = conditions.find((c) => c.type === 'Available');
  if (old && old.status === cond.status && old.reason === cond.reason && old.message === cond.message) return undefined;
  const lastTransitionTime = old && old.status === cond.status && old.lastTransitionTime ? old.lastTransitionTime : now;
  const available = { type: 'Available', status: cond.status, lastTransitionTime, reason: cond.reason, message: cond.message };
  return { ...svc.status, conditions: [...conditions.filter((c) => c.type !== 'Available'), available] };
}
