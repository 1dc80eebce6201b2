/**
 * The Events the EndpointSlice controller records on a Service about Topology Aware Routing
 * (upstream topologycache/event.go): reasons and messages verbatim, each message suffixed with
 * the address type (`…, addressType: IPv4`).
 */
import type { EventType } from '../../../pkg/runtime/index.ts';

export const REASON_HINTS_ENABLED = 'TopologyAwareHintsEnabled';
export const REASON_HINTS_DISABLED = 'TopologyAwareHintsDisabled';

export const NO_ZONE_SPECIFIED = 'One or more endpoints do not have a zone specified';
export const NO_ALLOCATED_HINTS_FOR_ZONES = 'No hints allocated for zones';
export const TOPOLOGY_AWARE_HINTS_ENABLED = 'Topology Aware Hints has been enabled';
export const TOPOLOGY_AWARE_HINTS_DISABLED = 'Topology Aware Hints has been disabled';
export const INSUFFICIENT_NODE_INFO = 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes';
export const NODES_READY_IN_ONE_ZONE_ONLY = 'Nodes only ready in one zone';
export const INSUFFICIENT_NUMBER_OF_ENDPOINTS = 'Insufficient number of endpoints';
export const MIN_ALLOCATION_EXCEEDS_OVERLOAD_THRESHOLD = 'Unable to allocate minimum required endpoints to each zone without exceeding overload threshold';

/** An Event to record on the Service once the sync's writes are done (upstream `EventBuilder`). */
export interface TopologyEvent {
  type: EventType;
  reason: string;
  message: string;
}

/** Upstream `FormatWithAddressType`. */
export function withAddressType(message: string, addressType: string): string {
  return `${message}, addressType: ${addressType}`;
}

/** A `TopologyAwareHintsDisabled` warning with `message` for `addressType`. */
export function hintsDisabled(message: string, addressType: string): TopologyEvent {
  return { type: 'Warning', reason: REASON_HINTS_DISABLED, message: withAddressType(message, addressType) };
}

/** The `TopologyAwareHintsEnabled` event for `addressType`. */
export function hintsEnabled(addressType: string): TopologyEvent {
  return { type: 'Normal', reason: REASON_HINTS_ENABLED, message: withAddressType(TOPOLOGY_AWARE_HINTS_ENABLED, addressType) };
}
