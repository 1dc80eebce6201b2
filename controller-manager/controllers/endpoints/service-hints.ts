/**
 * The hint step of one Service's EndpointSlice sync (upstream `reconcileByAddressType`, after the
 * slices are laid out): with the topology annotation on `Auto`, the {@link TopologyCache} hints
 * the endpoints; otherwise hints it had given are forgotten (with a `TopologyAwareHintsDisabled`
 * event) and the slices keep what `desiredSlices` put there — `trafficDistribution` hints or none,
 * so stale hints are cleared by the write.
 */
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import type { Endpoint } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import type { TopologyCache } from './topology-cache.ts';
import { hintsDisabled, TOPOLOGY_AWARE_HINTS_DISABLED, type TopologyEvent } from './topology-events.ts';
import { topologyHintsEnabled } from './topology-mode.ts';

/** One slice of the sync, in slice order. */
export interface SyncedSlice {
  /** The endpoints `desiredSlices` wants in it. */
  desired: Endpoint[];
  /** The stored slice's endpoints when it differs from the desired one at most in hints (upstream: unchanged). */
  storedIfUnchanged?: readonly DeepReadonly<Endpoint>[];
}

/**
 * The endpoints to write for each slice (in order) and the Events to record on the Service once
 * the writes are done. Contract: only the cache's memory of this Service changes.
 */
export function serviceSliceHints(cache: TopologyCache, svc: DeepReadonly<Service>, addressType: string, slices: readonly SyncedSlice[]): { endpoints: Endpoint[][]; events: TopologyEvent[] } {
  const key = `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
  if (topologyHintsEnabled(svc.metadata.annotations)) {
    return cache.addHints(key, addressType, slices.map((s) => (s.storedIfUnchanged ? { endpoints: s.storedIfUnchanged, unchanged: true } : { endpoints: s.desired, unchanged: false })));
  }
  const events = cache.hasPopulatedHints(key) ? [hintsDisabled(TOPOLOGY_AWARE_HINTS_DISABLED, addressType)] : [];
  cache.removeHints(key, addressType);
  return { endpoints: slices.map((s) => s.desired), events };
}
