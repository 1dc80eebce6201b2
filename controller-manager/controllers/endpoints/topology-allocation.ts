/**
 * The arithmetic of Topology Aware Routing (upstream topologycache), pure: each zone's share of
 * the cluster's allocatable CPU, how many endpoints each zone should be hinted given that share
 * and the overload threshold, which zones give endpoints to which, and whether a Service's
 * current hints overload a zone. Zones are visited in name order so results are reproducible
 * (upstream walks Go maps, whose order is random).
 */
import { isNodeReady, type Node } from '../../../pkg/api/core/v1/node.ts';
import { LABEL_TOPOLOGY_ZONE } from '../../../pkg/api/core/v1/well-known-labels.ts';
import { quantityToMilli } from '../../../pkg/api/quantity.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { INSUFFICIENT_NODE_INFO, INSUFFICIENT_NUMBER_OF_ENDPOINTS, MIN_ALLOCATION_EXCEEDS_OVERLOAD_THRESHOLD, NODES_READY_IN_ONE_ZONE_ONLY } from './topology-events.ts';

/** The most any endpoint should be overloaded: 20 % above its fair share (upstream `overloadThreshold`). */
export const OVERLOAD_THRESHOLD = 0.2;

/** Nodes carrying either label are left out of the CPU count (upstream `hasExcludedLabels`). */
export const EXCLUDED_NODE_LABELS: readonly string[] = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/** Each zone's fraction of the counted nodes' allocatable CPU; the fractions add up to 1. */
export type ZoneRatios = ReadonlyMap<string, number>;

/** How many endpoints a zone should be hinted (upstream `allocation`). */
export interface ZoneAllocation {
  /** The fewest that keeps the zone's endpoints under the overload threshold. */
  minimum: number;
  /** The most it may get while every other zone gets its minimum. */
  maximum: number;
  /** Its CPU share of the endpoints (never below `minimum`). */
  desired: number;
}

/** What {@link zoneCpuRatios} found: the ratios, or undefined when hints cannot be given. */
export interface NodeTopology {
  ratios: ZoneRatios | undefined;
  /** The first counted node without a zone label or allocatable CPU, when that is why. */
  nodeWithoutInfo?: string;
  /** Allocatable milli-CPU per zone of the counted nodes (empty when `ratios` is undefined). */
  cpuByZone: ReadonlyMap<string, number>;
}

/**
 * Upstream `SetNodes`: counts Ready nodes without an excluded label; one of them without a zone
 * or without allocatable CPU voids the whole count (every Service loses its hints). Ratios exist
 * only with CPU in at least two zones.
 */
export function zoneCpuRatios(nodes: readonly DeepReadonly<Node>[]): NodeTopology {
  const cpuByZone = new Map<string, number>();
  let total = 0;
  for (const node of nodes) {
    const labels = node.metadata.labels ?? {};
    if (EXCLUDED_NODE_LABELS.some((l) => l in labels) || !isNodeReady(node)) continue;
    const zone = labels[LABEL_TOPOLOGY_ZONE];
    const cpu = quantityToMilli(node.status?.allocatable?.cpu ?? 0);
    if (!zone || cpu === 0) return { ratios: undefined, nodeWithoutInfo: node.metadata.name, cpuByZone: new Map() };
    total += cpu;
    cpuByZone.set(zone, (cpuByZone.get(zone) ?? 0) + cpu);
  }
  if (total === 0 || cpuByZone.size < 2) return { ratios: undefined, cpuByZone: new Map() };
  const zones = [...cpuByZone.keys()].sort();
  return { ratios: new Map(zones.map((z) => [z, (cpuByZone.get(z) as number) / total])), cpuByZone };
}

/** The fewest endpoints a zone with `desired` of them may get without overloading them. */
const minimumFor = (desired: number) => Math.ceil(desired * (1 / (1 + OVERLOAD_THRESHOLD)));

/**
 * Upstream `getAllocations`: per zone, `desired` = its CPU ratio × the ready endpoints, `minimum`
 * = desired ÷ 1.2 rounded up, `maximum` = minimum + what the minimums leave over. Instead of
 * allocations, the reason hints cannot be given: no ratios (insufficient node information),
 * fewer than two zones, fewer ready endpoints than zones, or minimums that add up to more than
 * there are endpoints.
 */
export function allocateEndpoints(ratios: ZoneRatios | undefined, readyEndpoints: number): { allocations: ReadonlyMap<string, ZoneAllocation> } | { refusal: string } {
  if (!ratios) return { refusal: INSUFFICIENT_NODE_INFO };
  if (ratios.size < 2) return { refusal: NODES_READY_IN_ONE_ZONE_ONLY };
  const counts = `(${readyEndpoints} endpoints, ${ratios.size} zones)`;
  if (ratios.size > readyEndpoints) return { refusal: `${INSUFFICIENT_NUMBER_OF_ENDPOINTS} ${counts}` };
  const allocations = new Map<string, ZoneAllocation>();
  let minTotal = 0;
  for (const [zone, ratio] of ratios) {
    const desired = ratio * readyEndpoints;
    const minimum = minimumFor(desired);
    allocations.set(zone, { minimum, maximum: 0, desired: Math.max(desired, minimum) });
    minTotal += minimum;
  }
  if (minTotal > readyEndpoints) return { refusal: `${MIN_ALLOCATION_EXCEEDS_OVERLOAD_THRESHOLD} ${counts}` };
  for (const a of allocations.values()) a.maximum = a.minimum + readyEndpoints - minTotal;
  return { allocations };
}

/** The zone with the largest positive value ('' and 0 when none is positive); ties go to the first zone by name. */
function most(values: ReadonlyMap<string, number>): [string, number] {
  let best: [string, number] = ['', 0];
  for (const [zone, n] of values) if (n > best[1]) best = [zone, n];
  return best;
}

/**
 * Upstream `getGivingAndReceivingZones`: from the allocations and the hints each zone already
 * has, how many whole endpoints each over-served zone gives and each under-served zone receives.
 * The zone with the most to give hands one to the zone with the most need, again and again,
 * until neither has a whole endpoint to trade or either has less than half of one.
 */
export function givingAndReceivingZones(allocations: ReadonlyMap<string, Pick<ZoneAllocation, 'desired'>>, hintsByZone: ReadonlyMap<string, number>): { giving: Map<string, number>; receiving: Map<string, number> } {
  const toGive = new Map<string, number>();
  const toReceive = new Map<string, number>();
  for (const zone of [...allocations.keys()].sort()) {
    const target = (allocations.get(zone) as Pick<ZoneAllocation, 'desired'>).desired;
    const have = hintsByZone.get(zone) ?? 0;
    if (have > target) toGive.set(zone, have - target);
    else if (have < target) toReceive.set(zone, target - have);
  }
  const giving = new Map<string, number>();
  const receiving = new Map<string, number>();
  for (;;) {
    const [from, give] = most(toGive);
    const [to, receive] = most(toReceive);
    if (from === '' || to === '' || (give < 1 && receive < 1) || give < 0.5 || receive < 0.5) break;
    giving.set(from, (giving.get(from) ?? 0) + 1);
    toGive.set(from, give - 1);
    receiving.set(to, (receiving.get(to) ?? 0) + 1);
    toReceive.set(to, receive - 1);
  }
  return { giving, receiving };
}

/**
 * Upstream `serviceOverloaded`: a Service's hints (endpoints hinted per zone) leave some zone
 * under its minimum for the current ratios — or there are no ratios any more, or a zone has no
 * hinted endpoint at all. A Service without hints is never overloaded.
 */
export function serviceOverloaded(hintsByZone: ReadonlyMap<string, number>, ratios: ZoneRatios | undefined): boolean {
  if (hintsByZone.size === 0) return false;
  if (!ratios || ratios.size === 0) return true;
  let total = 0;
  for (const n of hintsByZone.values()) total += n;
  for (const [zone, ratio] of ratios) {
    const have = hintsByZone.get(zone);
    if (have === undefined || have < minimumFor(total * ratio)) return true;
  }
  return false;
}
