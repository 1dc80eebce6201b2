/**
 * Zones and disruption (upstream `ComputeZoneState` / `handleDisruption`), pure. Nodes are
 * grouped by their region/zone labels; a zone with no Ready node is fully disrupted, one where at
 * least `--unhealthy-zone-threshold` of its nodes (and more than two) are not Ready is partially
 * disrupted. NoExecute tainting is rate limited per zone: `--node-eviction-rate` normally,
 * `--secondary-node-eviction-rate` for a partially disrupted zone larger than
 * `--large-cluster-size-threshold` (0 for a smaller one). When every zone is fully disrupted the
 * controller assumes the problem is its own (or the network's): it stops tainting and removes the
 * NoExecute taints it added, until some node is Ready again.
 */
import type { Node, NodeCondition } from '../../../pkg/api/core/v1/node.ts';
import { LABEL_TOPOLOGY_REGION, LABEL_TOPOLOGY_ZONE } from '../../../pkg/api/core/v1/well-known-labels.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

/** Nodes with this label are left out of zone health (upstream `labelNodeDisruptionExclusion`). */
export const LABEL_NODE_DISRUPTION_EXCLUSION = 'node.kubernetes.io/exclude-disruption';

/** The zone key of a node (upstream `nodetopology.GetZoneKey`): `region:\0:zone`, `''` when unlabelled. */
export function zoneKeyOf(node: DeepReadonly<Node>): string {
  const labels = node.metadata.labels ?? {};
  const zone = labels[LABEL_TOPOLOGY_ZONE] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  const region = labels[LABEL_TOPOLOGY_REGION] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
}

/** Whether the node counts for its zone's health. */
export function countsForZoneHealth(node: DeepReadonly<Node>): boolean {
  return !(LABEL_NODE_DISRUPTION_EXCLUSION in (node.metadata.labels ?? {}));
}

/** A zone's state from its nodes' Ready conditions (undefined = none) and the count of not-Ready nodes. */
export function computeZoneState(readyConditions: readonly (DeepReadonly<NodeCondition> | undefined)[], unhealthyZoneThreshold: number): { notReady: number; state: ZoneState } {
  const ready = readyConditions.filter((c) => c?.status === 'True').length;
  const notReady = readyConditions.length - ready;
  if (ready === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold) return { notReady, state: 'PartialDisruption' };
  return { notReady, state: 'Normal' };
}

/** The eviction-rate flags. */
export interface EvictionRates {
  readonly nodeEvictionRate: number;
  readonly secondaryNodeEvictionRate: number;
  readonly largeClusterSizeThreshold: number;
  readonly unhealthyZoneThreshold: number;
}

/** The tainting rate (per second) of a zone in `state` with `size` nodes; undefined leaves it as is. */
export function zoneTaintingRate(state: ZoneState, size: number, rates: EvictionRates): number | undefined {
  switch (state) {
    case 'Normal':
    case 'FullDisruption':
      return rates.nodeEvictionRate;
    case 'PartialDisruption':
      return size > rates.largeClusterSizeThreshold ? rates.secondaryNodeEvictionRate : 0;
    default:
      return undefined;
  }
}

/** What one disruption check decides. */
export interface DisruptionPlan {
  /**
   * - `enter-full-disruption`: every zone just became fully disrupted — remove the NoExecute
   *   taints of every node and stop tainting;
   * - `exit-full-disruption`: some node is Ready again after a full disruption — treat every node
   *   as just heard from (reset its probe timestamps);
   * - `per-zone`: apply the zones' new rates;
   * - `none`: nothing changes.
   */
  readonly action: 'enter-full-disruption' | 'exit-full-disruption' | 'per-zone' | 'none';
  /** Zone states to remember from now on. */
  readonly states: ReadonlyMap<string, ZoneState>;
  /** New tainting rates per zone (only zones whose rate must change). */
  readonly rates: ReadonlyMap<string, number>;
}

/**
 * One disruption check (upstream `handleDisruption`). `previous` holds every zone known so far
 * (new zones as `Initial`); `zoneReadyConditions` the Ready conditions of the nodes counted per
 * zone in this pass. Zones without counted nodes are forgotten.
 */
export function planDisruption(
  previous: ReadonlyMap<string, ZoneState>,
  zoneReadyConditions: ReadonlyMap<string, readonly (DeepReadonly<NodeCondition> | undefined)[]>,
  rates: EvictionRates,
): DisruptionPlan {
  const next = new Map<string, ZoneState>();
  let allAreFullyDisrupted = true;
  for (const [zone, conditions] of zoneReadyConditions) {
    const { state } = computeZoneState(conditions, rates.unhealthyZoneThreshold);
    if (state !== 'FullDisruption') allAreFullyDisrupted = false;
    next.set(zone, state);
  }
  const states = new Map<string, ZoneState>();
  for (const zone of new Set([...previous.keys(), ...zoneReadyConditions.keys()])) {
    if (zoneReadyConditions.has(zone)) states.set(zone, previous.get(zone) ?? 'Initial');
  }
  const allWereFullyDisrupted = [...states.values()].every((s) => s === 'FullDisruption');
  const sizeOf = (zone: string) => zoneReadyConditions.get(zone)?.length ?? 0;

  if (allAreFullyDisrupted && allWereFullyDisrupted) return { action: 'none', states, rates: new Map() };
  if (allAreFullyDisrupted) {
    return { action: 'enter-full-disruption', states: new Map([...states.keys()].map((z) => [z, 'FullDisruption'])), rates: new Map([...states.keys()].map((z) => [z, 0])) };
  }
  const newRates = new Map<string, number>();
  if (allWereFullyDisrupted) {
    for (const zone of states.keys()) {
      const state = next.get(zone) as ZoneState;
      const rate = zoneTaintingRate(state, sizeOf(zone), rates);
      if (rate !== undefined) newRates.set(zone, rate);
      states.set(zone, state);
    }
    return { action: 'exit-full-disruption', states, rates: newRates };
  }
  for (const [zone, state] of states) {
    const newState = next.get(zone) as ZoneState;
    if (state === newState) continue;
    const rate = zoneTaintingRate(newState, sizeOf(zone), rates);
    if (rate !== undefined) newRates.set(zone, rate);
    states.set(zone, newState);
  }
  return { action: 'per-zone', states, rates: newRates };
}
