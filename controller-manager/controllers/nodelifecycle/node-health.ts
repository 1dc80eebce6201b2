/**
 * Node health as the node lifecycle controller sees it (upstream `tryUpdateNodeHealth`), pure:
 * a node is healthy while its kubelet keeps changing the Ready condition's heartbeat or renewing
 * its Lease in `kube-node-lease`. When neither happened for longer than the grace period
 * (`--node-monitor-grace-period`; the startup grace period while the node never posted a Ready
 * condition), the Ready, MemoryPressure, DiskPressure and PIDPressure conditions become
 * `Unknown` — `NodeStatusUnknown` / "Kubelet stopped posting node status." for conditions the
 * kubelet posted, `NodeStatusNeverUpdated` / "Kubelet never posted node status." for missing
 * ones. NetworkUnavailable is left alone (it belongs to the network plugin).
 *
 * Timestamps of observations are on the controller's own clock (never the kubelet's), as
 * upstream, so clock skew between machines does not matter.
 */
import type { Lease } from '../../../pkg/api/coordination/v1/lease.ts';
import type { Node, NodeCondition } from '../../../pkg/api/core/v1/node.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';

export const NODE_STATUS_UNKNOWN_REASON = 'NodeStatusUnknown';
export const NODE_STATUS_UNKNOWN_MESSAGE = 'Kubelet stopped posting node status.';
export const NODE_STATUS_NEVER_UPDATED_REASON = 'NodeStatusNeverUpdated';
export const NODE_STATUS_NEVER_UPDATED_MESSAGE = 'Kubelet never posted node status.';

/** The conditions turned Unknown when a node goes silent, in the order missing ones are appended. */
export const MONITORED_CONDITION_TYPES: readonly string[] = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** What the controller remembers about one node between passes (upstream `nodeHealthData`). */
export interface NodeHealth {
  /** When (controller clock, ms) a sign of life was last seen. */
  readonly probeTimestamp: number;
  /** When (controller clock, ms) the Ready condition was last seen changing. */
  readonly readyTransitionTimestamp: number;
  /** The node's conditions as last observed. */
  readonly conditions: readonly DeepReadonly<NodeCondition>[];
  /** The Lease as last observed (`renewTime` only); undefined when none was seen yet. */
  readonly lease?: { readonly renewTime?: string | null };
}

/** Inputs of {@link assessNodeHealth}. */
export interface NodeHealthInput {
  readonly node: DeepReadonly<Node>;
  /** What the previous pass remembered (undefined for a node not seen before). */
  readonly saved: NodeHealth | undefined;
  /** The node's Lease in `kube-node-lease`, if any. */
  readonly lease: DeepReadonly<Lease> | undefined;
  /** Controller clock, ms. */
  readonly now: number;
  readonly nodeMonitorGracePeriodMs: number;
  readonly nodeStartupGracePeriodMs: number;
}

/** The outcome of one health check of one node. */
export interface NodeHealthAssessment {
  /** The grace period the node was held to. */
  readonly gracePeriodMs: number;
  /** The Ready condition as the node carried it (a made-up Unknown one when it had none). */
  readonly observedReady: DeepReadonly<NodeCondition>;
  /** Ready after this check: `observedReady`'s value, or Unknown once the grace period passed; undefined when the node has none. */
  readonly currentReady: DeepReadonly<NodeCondition> | undefined;
  /** The node's new `status.conditions`, present only when Ready changed and must be written. */
  readonly conditionsToWrite?: NodeCondition[];
  /** What to remember when nothing is written (or the write failed). */
  readonly health: NodeHealth;
  /** What to remember once `conditionsToWrite` was written. */
  readonly healthAfterWrite?: NodeHealth;
}


function timeMs(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Microseconds since the epoch of an RFC 3339 (Micro)Time, undefined when unset or unparsable. */
function timeMicros(text: string | null | undefined): number | undefined {
  const ms = timeMs(text);
  if (ms === undefined) return undefined;
  const fraction = /\.(\d+)/.exec(text as string)?.[1] ?? '';
  return ms * 1000 + Number((fraction.slice(3, 6) || '0').padEnd(3, '0'));
}

/** Upstream `MicroTime.Before` on pointers: false when either is unset. */
function renewedAfter(saved: string | null | undefined, observed: string | null | undefined): boolean {
  const a = timeMicros(saved);
  const b = timeMicros(observed);
  return a !== undefined && b !== undefined && a < b;
}

function findCondition(conditions: readonly DeepReadonly<NodeCondition>[] | undefined, type: string): DeepReadonly<NodeCondition> | undefined {
  return conditions?.find((c) => c.type === type);
}

function sameCondition(a: DeepReadonly<NodeCondition> | undefined, b: DeepReadonly<NodeCondition> | undefined): boolean {
  if (!a || !b) return a === b;
  const keys = ['type', 'status', 'lastHeartbeatTime', 'lastTransitionTime', 'reason', 'message'] as const;
  return keys.every((k) => (a[k] ?? '') === (b[k] ?? ''));
}

/**
 * One health check (upstream `tryUpdateNodeHealth` without the API write). Contract: pure; the
 * caller writes `conditionsToWrite` (when present) as the node's status conditions and then
 * remembers `healthAfterWrite`, else remembers `health`.
 */
export function assessNodeHealth(input: NodeHealthInput): NodeHealthAssessment {
  const { node, saved, lease, now } = input;
  const conditions = (node.status?.conditions ?? []) as readonly DeepReadonly<NodeCondition>[];
  const created = timeMs(node.metadata.creationTimestamp) ?? now;
  const currentReady = findCondition(conditions, 'Ready');
  let gracePeriodMs: number;
  let observedReady: DeepReadonly<NodeCondition>;
  let health: NodeHealth | undefined = saved;
  if (!currentReady) {
    // Never posted: pretend an Unknown Ready condition from the node's creation.
    const creation = node.metadata.creationTimestamp ?? rfc3339(now);
    observedReady = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: creation, lastTransitionTime: creation };
    gracePeriodMs = input.nodeStartupGracePeriodMs;
    health = saved ? { ...saved, conditions } : { conditions, probeTimestamp: created, readyTransitionTimestamp: created };
  } else {
    observedReady = currentReady;
    gracePeriodMs = input.nodeMonitorGracePeriodMs;
  }

  // As upstream, a node without Ready has already replaced the remembered status above, so
  // "Ready was removed" never resets the timestamps.
  const savedReady = health ? findCondition(health.conditions, 'Ready') : undefined;
  const savedLease = saved?.lease;
  if (!health) {
    health = { conditions, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if (!savedReady && currentReady) {
    // The controller restarted with the node already posting, or the node just posted its first status.
    health = { conditions, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if (savedReady && currentReady && (savedReady.lastHeartbeatTime ?? '') !== (currentReady.lastHeartbeatTime ?? '')) {
    const transitioned = (savedReady.lastTransitionTime ?? '') !== (currentReady.lastTransitionTime ?? '');
    health = { conditions, probeTimestamp: now, readyTransitionTimestamp: transitioned ? now : health.readyTransitionTimestamp };
  }
  // A renewed Lease is a sign of life too (a kubelet may renew its Lease and post status rarely).
  const observedLease = lease ? { renewTime: lease.spec?.renewTime ?? null } : undefined;
  if (observedLease && (!savedLease || renewedAfter(savedLease.renewTime, observedLease.renewTime))) {
    health = { ...health, lease: observedLease, probeTimestamp: now };
  }

  if (!(now > health.probeTimestamp + gracePeriodMs)) return { gracePeriodMs, observedReady, currentReady, health };

  const nowText = rfc3339(now);
  const updated: NodeCondition[] = conditions.map((c) => {
    if (!MONITORED_CONDITION_TYPES.includes(c.type) || c.status === 'Unknown') return { ...c } as NodeCondition;
    return { ...c, status: 'Unknown', reason: NODE_STATUS_UNKNOWN_REASON, message: NODE_STATUS_UNKNOWN_MESSAGE, lastTransitionTime: nowText } as NodeCondition;
  });
  for (const type of MONITORED_CONDITION_TYPES) {
    if (findCondition(conditions, type)) continue;
    updated.push({
      type,
      status: 'Unknown',
      reason: NODE_STATUS_NEVER_UPDATED_REASON,
      message: NODE_STATUS_NEVER_UPDATED_MESSAGE,
      lastHeartbeatTime: node.metadata.creationTimestamp ?? null,
      lastTransitionTime: nowText,
    });
  }
  const newReady = findCondition(updated, 'Ready');
  if (sameCondition(newReady, observedReady)) return { gracePeriodMs, observedReady, currentReady: newReady, health };
  return {
    gracePeriodMs,
    observedReady,
    currentReady: newReady,
    conditionsToWrite: updated,
    health,
    healthAfterWrite: { conditions: updated, probeTimestamp: health.probeTimestamp, readyTransitionTimestamp: now, lease: observedLease },
  };
}
