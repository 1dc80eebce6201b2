/**
 * What the EndpointSlice controller remembers for Topology Aware Routing (upstream
 * `TopologyCache`): the zones' CPU ratios from the last Node change, and per Service and address
 * type how many endpoints it hinted for each zone — to announce hints only when they first
 * appear, and to find the Services a Node change leaves overloaded.
 */
import type { Logger } from 'pino';
import { isNodeReady, type Node } from '../../../pkg/api/core/v1/node.ts';
import { LABEL_TOPOLOGY_ZONE } from '../../../pkg/api/core/v1/well-known-labels.ts';
import type { Endpoint } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { serviceOverloaded, zoneCpuRatios, type ZoneRatios } from './topology-allocation.ts';
import { hintsDisabled, hintsEnabled, type TopologyEvent } from './topology-events.ts';
import { topologyHints, type HintableSlice } from './topology-hints.ts';

/**
 * Upstream `updateNode`: a Node update the cache must see — readiness or the zone label changed
 * (an allocatable change alone waits for the next such event, as upstream). Adds and deletes
 * always count.
 */
export function nodeTopologyChanged(oldNode: DeepReadonly<Node>, newNode: DeepReadonly<Node>): boolean {
  return isNodeReady(oldNode) !== isNodeReady(newNode) || oldNode.metadata.labels?.[LABEL_TOPOLOGY_ZONE] !== newNode.metadata.labels?.[LABEL_TOPOLOGY_ZONE];
}

/**
 * Contract: `setNodes` replaces the ratios wholesale; `addHints` both computes a Service's hints
 * and records them (or forgets them when it removes hints); nothing here talks to the API.
 */
export class TopologyCache {
  private ratios: ZoneRatios | undefined;
  /** serviceKey → addressType → endpoints hinted per zone. */
  private readonly hinted = new Map<string, Map<string, Map<string, number>>>();
  /** Services whose hints are in place (upstream `hintsPopulatedByService`). */
  private readonly populated = new Set<string>();

  constructor(private readonly log: Logger) {}

  /** Upstream `SetNodes`: recounts the zones' allocatable CPU from every Node. */
  setNodes(nodes: readonly DeepReadonly<Node>[]): void {
    const { ratios, nodeWithoutInfo, cpuByZone } = zoneCpuRatios(nodes);
    if (nodeWithoutInfo) this.log.info({ node: nodeWithoutInfo }, "Can't get CPU or zone information for node");
    if (!ratios) this.log.debug({ totalZones: cpuByZone.size, sufficientNodeInfo: !nodeWithoutInfo }, 'Insufficient node info for topology hints');
    this.ratios = ratios;
  }

  /** The current CPU ratios (undefined: hints cannot be given). */
  zoneRatios(): ZoneRatios | undefined {
    return this.ratios;
  }

  /**
   * Upstream `AddHints`: the slices' endpoints with hints, and the Events to record on the
   * Service — `TopologyAwareHintsDisabled` each time hints are refused,
   * `TopologyAwareHintsEnabled` when hints appear for a Service that had none.
   */
  addHints(serviceKey: string, addressType: string, slices: readonly HintableSlice[]): { endpoints: Endpoint[][]; events: TopologyEvent[] } {
    const result = topologyHints(slices, this.ratios);
    if (!result.hintsByZone) {
      this.log.info({ key: serviceKey, addressType }, `${result.refusal}, removing hints`);
      this.removeHints(serviceKey, addressType);
      return { endpoints: result.endpoints, events: [hintsDisabled(result.refusal as string, addressType)] };
    }
    const wasPopulated = this.populated.has(serviceKey);
    const byType = this.hinted.get(serviceKey) ?? new Map<string, Map<string, number>>();
    byType.set(addressType, result.hintsByZone);
    this.hinted.set(serviceKey, byType);
    this.populated.add(serviceKey);
    if (wasPopulated) return { endpoints: result.endpoints, events: [] };
    this.log.info({ key: serviceKey, addressType }, 'Topology Aware Hints has been enabled, adding hints.');
    return { endpoints: result.endpoints, events: [hintsEnabled(addressType)] };
  }

  /** Upstream `HasPopulatedHints`. */
  hasPopulatedHints(serviceKey: string): boolean {
    return this.populated.has(serviceKey);
  }

  /** Upstream `RemoveHints`: forgets the Service's hints of `addressType` (all of them when omitted). */
  removeHints(serviceKey: string, addressType?: string): void {
    const byType = this.hinted.get(serviceKey);
    if (addressType === undefined) byType?.clear();
    else byType?.delete(addressType);
    if (!byType?.size) this.hinted.delete(serviceKey);
    this.populated.delete(serviceKey);
  }

  /** Upstream `GetOverloadedServices`: keys of Services whose hints overload a zone under the current ratios. */
  overloadedServices(): string[] {
    return [...this.hinted].filter(([, byType]) => [...byType.values()].some((hints) => serviceOverloaded(hints, this.ratios))).map(([key]) => key);
  }
}
