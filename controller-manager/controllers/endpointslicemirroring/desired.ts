/**
 * The slice contents an Endpoints object mirrors to (upstream `reconciler.reconcile`'s desired
 * state): its subsets repacked, each address converted and grouped by address family and port
 * set, at most `maxEndpointsPerSubset` addresses taken per subset. Pure.
 */
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Endpoint, EndpointSlicePort } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import type { IpFamily } from '../../../pkg/net/ip.ts';
import { addressToEndpoint, toSlicePorts } from './address.ts';
import { repackSubsets } from './repack.ts';

/** Upstream's default `--mirroring-max-endpoints-per-subset` (allowed 1–1000). */
export const DEFAULT_MAX_ENDPOINTS_PER_SUBSET = 1000;

/** The content of one mirrored slice: one per address family and port set. */
export interface DesiredSlice {
  /** {@link sliceKey} of the address type and ports: existing slices are matched by it. */
  readonly key: string;
  readonly addressType: IpFamily;
  readonly ports: readonly EndpointSlicePort[];
  readonly endpoints: readonly Endpoint[];
}

/** What mirroring an Endpoints object yields, with what it had to leave out. */
export interface DesiredMirror {
  readonly slices: readonly DesiredSlice[];
  /** Addresses that are not IPs (reported as `InvalidIPAddress`). */
  readonly invalidAddresses: number;
  /** Addresses not mirrored for any reason: the invalid ones plus those over the per-subset cap. */
  readonly skippedAddresses: number;
}

/**
 * Identifies a slice by address type and port set, regardless of port order (upstream
 * `addrTypePortMapKey`); an unnamed port and one named `""` are the same port.
 */
export function sliceKey(addressType: string, ports: readonly DeepReadonly<EndpointSlicePort>[]): string {
  const normalized = ports.map((p) => JSON.stringify([p.name ?? '', p.port ?? null, p.protocol ?? 'TCP', p.appProtocol ?? null])).sort();
  return `${addressType}/${normalized.join(',')}`;
}

/** Upstream's endpoint identity within a slice (addresses, hostname and target). */
const endpointIdentity = (e: Endpoint) => JSON.stringify([e.addresses, e.hostname ?? '', e.targetRef?.namespace ?? '', e.targetRef?.name ?? '']);

/**
 * The desired slices for `endpoints`: per repacked subset, ready addresses (conditions.ready
 * true) then not-ready ones (false), until `maxEndpointsPerSubset` valid addresses are taken;
 * addresses that are not IPs are skipped and counted. Endpoints without addresses yield no slice.
 */
export function desiredMirror(endpoints: DeepReadonly<Endpoints>, maxEndpointsPerSubset = DEFAULT_MAX_ENDPOINTS_PER_SUBSET): DesiredMirror {
  const groups = new Map<string, { addressType: IpFamily; ports: EndpointSlicePort[]; endpoints: Map<string, Endpoint> }>();
  let invalidAddresses = 0;
  let skippedAddresses = 0;
  for (const subset of repackSubsets(endpoints.subsets ?? [])) {
    const ports = toSlicePorts(subset.ports);
    const candidates = [...subset.addresses.map((a) => [a, true] as const), ...subset.notReadyAddresses.map((a) => [a, false] as const)];
    let taken = 0;
    for (const [address, ready] of candidates) {
      if (taken >= maxEndpointsPerSubset) break;
      const mirrored = addressToEndpoint(address, ready);
      if (!mirrored) {
        invalidAddresses++;
        continue;
      }
      const key = sliceKey(mirrored.addressType, ports);
      const group = groups.get(key) ?? { addressType: mirrored.addressType, ports, endpoints: new Map<string, Endpoint>() };
      groups.set(key, group);
      group.endpoints.set(endpointIdentity(mirrored.endpoint), mirrored.endpoint);
      taken++;
    }
    skippedAddresses += candidates.length - taken;
  }
  const slices = [...groups.entries()].map(([key, g]) => ({ key, addressType: g.addressType, ports: g.ports, endpoints: [...g.endpoints.values()].slice(0, maxEndpointsPerSubset) }));
  return { slices, invalidAddresses, skippedAddresses };
}
