/**
 * The taints the node lifecycle controller owns (upstream `v1.TaintNode*` keys) and the pure
 * decisions about them: which NoSchedule taints a node's conditions call for
 * (TaintNodesByCondition), which NoExecute taint its Ready condition calls for, and how a taint
 * list changes when taints are swapped (upstream `AddOrUpdateTaint` / `RemoveTaint`, matching by
 * key and effect).
 */
import type { Node, NodeCondition, Taint } from '../../../pkg/api/core/v1/node.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';

/** A taint as key and effect (what taints are matched by). */
export interface TaintTemplate {
  readonly key: string;
  readonly effect: string;
}

/** Added when Ready is Unknown (upstream `UnreachableTaintTemplate`). */
export const UNREACHABLE_TAINT_TEMPLATE: TaintTemplate = { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' };
/** Added when Ready is False (upstream `NotReadyTaintTemplate`). */
export const NOT_READY_TAINT_TEMPLATE: TaintTemplate = { key: TAINT_NODE_NOT_READY, effect: 'NoExecute' };

/** Condition type → status → NoSchedule taint key (upstream `nodeConditionToTaintKeyStatusMap`). */
export const CONDITION_TAINT_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: TAINT_NODE_NOT_READY, Unknown: TAINT_NODE_UNREACHABLE },
  MemoryPressure: { True: TAINT_NODE_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_NODE_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NODE_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_NODE_PID_PRESSURE },
};

/** Keys of the condition taints (upstream `taintKeyToNodeConditionMap`). */
const CONDITION_TAINT_KEY_SET: ReadonlySet<string> = new Set(Object.values(CONDITION_TAINT_KEYS).flatMap((m) => Object.values(m)));

/** Whether `taint` is `template` (same key and effect; value and timeAdded do not matter). */
export function matchesTaint(taint: DeepReadonly<Taint> | TaintTemplate, template: TaintTemplate): boolean {
  return taint.key === template.key && taint.effect === template.effect;
}

/** Whether `taints` hold `template` (upstream `TaintExists`). */
export function taintExists(taints: readonly DeepReadonly<Taint>[] | undefined, template: TaintTemplate): boolean {
  return (taints ?? []).some((t) => matchesTaint(t, template));
}

/**
 * The NoSchedule taints a node's conditions and `spec.unschedulable` call for, in condition
 * order then `unschedulable` (upstream `doNoScheduleTaintingPass`).
 */
export function desiredNoScheduleTaints(node: DeepReadonly<Node>): TaintTemplate[] {
  const taints: TaintTemplate[] = [];
  for (const condition of (node.status?.conditions ?? []) as readonly DeepReadonly<NodeCondition>[]) {
    const key = CONDITION_TAINT_KEYS[condition.type]?.[condition.status];
    if (key) taints.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) taints.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
  return taints;
}

/** Taints to add and to remove. */
export interface TaintChanges {
  readonly add: readonly TaintTemplate[];
  readonly remove: readonly TaintTemplate[];
}

/**
 * What the NoSchedule pass must change: the controller's own NoSchedule taints (condition keys
 * and `unschedulable`) are compared with the desired ones; other taints are never touched.
 */
export function noScheduleTaintChanges(node: DeepReadonly<Node>): TaintChanges {
  const desired = desiredNoScheduleTaints(node);
  const owned = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_NODE_UNSCHEDULABLE || CONDITION_TAINT_KEY_SET.has(t.key)));
  return {
    add: desired.filter((d) => !owned.some((t) => matchesTaint(t, d))),
    remove: owned.filter((t) => !desired.some((d) => matchesTaint(t, d))).map((t) => ({ key: t.key, effect: t.effect })),
  };
}

/**
 * The NoExecute taint swap a Ready status calls for (upstream `doNoExecuteTaintingPass`):
 * False → not-ready in, unreachable out; Unknown → the reverse; anything else → none (the two
 * taints are mutually exclusive, mirroring Ready).
 */
export function noExecuteTaintSwap(readyStatus: string | undefined): { add: TaintTemplate; remove: TaintTemplate } | undefined {
  if (readyStatus === 'False') return { add: NOT_READY_TAINT_TEMPLATE, remove: UNREACHABLE_TAINT_TEMPLATE };
  if (readyStatus === 'Unknown') return { add: UNREACHABLE_TAINT_TEMPLATE, remove: NOT_READY_TAINT_TEMPLATE };
  return undefined;
}

/**
 * `current` with `changes` applied, or undefined when nothing changes. Added taints carry
 * `timeAdded` (upstream `SwapNodeControllerTaint` stamps every taint it adds); a taint already
 * there with the same key and effect is kept as it is (so its `timeAdded` does not move when a
 * stale cache asks again). Removed taints go wherever they are.
 */
export function applyTaintChanges(current: readonly DeepReadonly<Taint>[] | undefined, changes: TaintChanges, timeAdded: string): Taint[] | undefined {
  const kept = (current ?? []).filter((t) => !changes.remove.some((r) => matchesTaint(t, r))).map((t) => ({ ...t }) as Taint);
  const added = changes.add.filter((a) => !kept.some((t) => matchesTaint(t, a))).map((a): Taint => ({ key: a.key, effect: a.effect, timeAdded }));
  if (!added.length && kept.length === (current ?? []).length) return undefined;
  return [...kept, ...added];
}
