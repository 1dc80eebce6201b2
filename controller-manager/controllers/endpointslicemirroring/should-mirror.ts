/**
 * Which Endpoints objects get mirrored into EndpointSlices (upstream `syncEndpoints` and
 * `shouldMirror`). Pure.
 */
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { ANNOTATION_LEADER_ELECTION, LABEL_SKIP_MIRROR } from './well-known.ts';

/** Mirror, or not and why (the reason is for logs). */
export type MirroringDecision = { readonly mirror: true } | { readonly mirror: false; readonly reason: string };

/**
 * Whether a Service selects pods. Upstream tests `selector != nil`; an empty selector does not
 * survive the API server's storage round trip there, so empty counts as none here.
 */
export function hasSelector(service: DeepReadonly<Service>): boolean {
  return Object.keys(service.spec?.selector ?? {}).length > 0;
}

/**
 * Whether the Endpoints object itself allows mirroring: not labelled
 * `endpointslice.kubernetes.io/skip-mirror: "true"` (what the API server puts on
 * `default/kubernetes`, whose slice it writes itself) and not a leader-election lock.
 */
export function endpointsAllowMirroring(endpoints: DeepReadonly<Endpoints>): boolean {
  return endpoints.metadata.labels?.[LABEL_SKIP_MIRROR] !== 'true' && endpoints.metadata.annotations?.[ANNOTATION_LEADER_ELECTION] === undefined;
}

/**
 * Mirror exactly when the Endpoints exists and allows mirroring and a Service of the same name
 * exists without a selector (a Service with one has its slices from the endpointslice controller).
 * Anything else means the mirrored slices, if any, must go.
 */
export function mirroringDecision(endpoints: DeepReadonly<Endpoints> | undefined, service: DeepReadonly<Service> | undefined): MirroringDecision {
  if (!endpoints) return { mirror: false, reason: 'Endpoints not found' };
  if (!endpointsAllowMirroring(endpoints)) return { mirror: false, reason: 'Endpoints opted out of mirroring' };
  if (!service) return { mirror: false, reason: 'Service not found' };
  if (hasSelector(service)) return { mirror: false, reason: 'Service has a selector' };
  return { mirror: true };
}
