/**
 * Hints for one Service's EndpointSlices of one address type under Topology Aware Routing
 * (upstream `TopologyCache.AddHints`, `getAllocatedHintsByZone`, `redistributeHints`), pure.
 * Slices kept as stored keep their hints while those still fit the allocations; every other
 * slice's ready endpoints are hinted for their own zone, then endpoints of over-served zones are
 * handed to under-served ones. When hints cannot be given, every slice loses them.
 */
import type { Endpoint } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { allocateEndpoints, givingAndReceivingZones, type ZoneAllocation, type ZoneRatios } from './topology-allocation.ts';
import { NO_ALLOCATED_HINTS_FOR_ZONES, NO_ZONE_SPECIFIED } from './topology-events.ts';

type AnyEndpoint = Endpoint | DeepReadonly<Endpoint>;

/** One EndpointSlice as the sync sees it. */
export interface HintableSlice {
  /** Desired endpoints for a slice being written; the stored ones (hints included) for an unchanged slice. */
  endpoints: readonly AnyEndpoint[];
  /** The slice would not be written this sync (upstream `SliceInfo.Unchanged`): its hints may be kept. */
  unchanged: boolean;
}

/** The outcome of {@link topologyHints}. */
export interface TopologyHints {
  /** Each slice's endpoints, hints set or cleared, in the order given. */
  endpoints: Endpoint[][];
  /** Endpoints hinted per zone; undefined when hints were removed. */
  hintsByZone: Map<string, number> | undefined;
  /** Why hints were removed (an upstream event message, without the address type). */
  refusal?: string;
}

/** Upstream `EndpointReady`. */
export const endpointReady = (e: AnyEndpoint): boolean => e.conditions?.ready === true;

const copy = (endpoints: readonly AnyEndpoint[]): Endpoint[] => endpoints.map((e) => ({ ...e }) as Endpoint);
const forZone = (zone: string) => ({ forZones: [{ name: zone }] });

/** Endpoints without hints (upstream `RemoveHintsFromSlices` for one slice). */
export function withoutHints(endpoints: readonly AnyEndpoint[]): Endpoint[] {
  return endpoints.map(({ hints: _gone, ...rest }) => rest as Endpoint);
}

/**
 * Upstream `getHintsByZone`: the hints an unchanged slice's ready endpoints carry per zone, or
 * undefined when the slice must be rewritten — a ready endpoint without zone hints, a hint for a
 * zone without allocation, or a zone pushed past its maximum by what is already allocated.
 */
export function sliceHintsByZone(endpoints: readonly AnyEndpoint[], allocated: ReadonlyMap<string, number>, allocations: ReadonlyMap<string, Pick<ZoneAllocation, 'maximum'>>): Map<string, number> | undefined {
  const byZone = new Map<string, number>();
  for (const e of endpoints) {
    if (!endpointReady(e)) continue;
    const zones = e.hints?.forZones ?? [];
    if (!zones.length) return undefined;
    for (const { name } of zones) {
      if (!allocations.has(name)) return undefined;
      byZone.set(name, (byZone.get(name) ?? 0) + 1);
    }
  }
  for (const [zone, n] of byZone) if (n + (allocated.get(zone) ?? 0) > (allocations.get(zone) as Pick<ZoneAllocation, 'maximum'>).maximum) return undefined;
  return byZone;
}

/**
 * Upstream `redistributeHints`: walking the slices' ready endpoints in order, re-hints endpoints
 * of giving zones for receiving zones (first by name) until either side is satisfied. Mutates
 * `slices` and the two maps; returns the change in hinted endpoints per zone.
 */
export function redistributeHints(slices: readonly Endpoint[][], giving: Map<string, number>, receiving: Map<string, number>): Map<string, number> {
  const changes = new Map<string, number>();
  const bump = (zone: string, by: number) => changes.set(zone, (changes.get(zone) ?? 0) + by);
  const take = (m: Map<string, number>, zone: string) => ((m.get(zone) as number) === 1 ? m.delete(zone) : m.set(zone, (m.get(zone) as number) - 1));
  for (const endpoints of slices) {
    for (const e of endpoints) {
      if (!endpointReady(e)) continue;
      if (!giving.size || !receiving.size) return changes;
      const from = e.zone;
      if (!from || !(giving.get(from) ?? 0)) continue;
      const to = [...receiving.keys()].sort().find((z) => (receiving.get(z) as number) > 0);
      if (to === undefined) continue;
      e.hints = forZone(to);
      take(giving, from);
      take(receiving, to);
      bump(to, 1);
      bump(from, -1);
    }
  }
  return changes;
}

/**
 * Hints for `slices` given the zones' CPU `ratios` (undefined: insufficient node information).
 * Refuses, removing every hint, when {@link allocateEndpoints} does, when a ready endpoint of a
 * slice being written has no zone, or when no zone ends up with hints.
 */
export function topologyHints(slices: readonly HintableSlice[], ratios: ZoneRatios | undefined): TopologyHints {
  const refuse = (refusal: string): TopologyHints => ({ endpoints: slices.map((s) => withoutHints(s.endpoints)), hintsByZone: undefined, refusal });
  const ready = slices.reduce((n, s) => n + s.endpoints.filter(endpointReady).length, 0);
  const allocated = allocateEndpoints(ratios, ready);
  if ('refusal' in allocated) return refuse(allocated.refusal);
  const { allocations } = allocated;

  // Unchanged slices keep valid hints; the others (and invalid ones, after them) are re-hinted.
  const out: Endpoint[][] = slices.map((s) => copy(s.endpoints));
  const hintsByZone = new Map<string, number>();
  const rewritten: number[] = slices.flatMap((s, i) => (s.unchanged ? [] : [i]));
  slices.forEach((s, i) => {
    if (!s.unchanged) return;
    const kept = sliceHintsByZone(s.endpoints, hintsByZone, allocations);
    if (!kept) return rewritten.push(i);
    for (const [zone, n] of kept) hintsByZone.set(zone, (hintsByZone.get(zone) ?? 0) + n);
  });

  // Step 1: every ready endpoint of a rewritten slice is hinted for its own zone.
  for (const i of rewritten) {
    for (const e of out[i]) {
      if (!endpointReady(e)) {
        delete e.hints;
        continue;
      }
      if (!e.zone) return refuse(NO_ZONE_SPECIFIED);
      hintsByZone.set(e.zone, (hintsByZone.get(e.zone) ?? 0) + 1);
      e.hints = forZone(e.zone);
    }
  }
  // Steps 2 and 3: over-served zones hand endpoints to under-served ones.
  const { giving, receiving } = givingAndReceivingZones(allocations, hintsByZone);
  for (const [zone, change] of redistributeHints(rewritten.map((i) => out[i]), giving, receiving)) hintsByZone.set(zone, (hintsByZone.get(zone) ?? 0) + change);
  if (!hintsByZone.size) return refuse(NO_ALLOCATED_HINTS_FOR_ZONES);
  return { endpoints: out, hintsByZone };
}
