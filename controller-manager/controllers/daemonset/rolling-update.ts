/**
 * Rolling update decisions (upstream `rollingUpdate`, `findUpdatedPodsOnNode`,
 * `updatedDesiredNodeCounts`, `SurgeCount`, `UnavailableCount`), pure.
 *
 * Without surge: delete old pods — unavailable ones always, available ones only while fewer than
 * maxUnavailable nodes are unavailable — and let the core loop create their replacements.
 * With surge: create a new pod beside each old one (unavailable old pods first, then up to
 * maxSurge more), delete an old pod once its new one is available, and delete pods on nodes that
 * no longer qualify only while more pods are available than desired.
 */
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { IntOrString } from '../../../pkg/api/meta.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { isPodAvailable } from '../replicaset/pod-ranking.ts';

type P = Pod | DeepReadonly<Pod>;
type DS = DaemonSet | DeepReadonly<DaemonSet>;

/** Upstream `GetScaledValueFromIntOrPercent` (percentages of `total`, rounded as asked). */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(-?\d+)%$/.exec(value);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** maxSurge and maxUnavailable for `desired` nodes; both 0 is taken as maxUnavailable 1. */
export function surgeAndUnavailable(ds: DS, desired: number): { maxSurge: number; maxUnavailable: number } {
  const strategy = ds.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate' || !strategy.rollingUpdate) return { maxSurge: 0, maxUnavailable: desired > 0 ? 1 : 0 };
  const maxSurge = scaledValue(strategy.rollingUpdate.maxSurge, desired, true);
  let maxUnavailable = scaledValue(strategy.rollingUpdate.maxUnavailable, desired, true);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** Upstream `AllowsSurge`: a RollingUpdate whose maxSurge is not 0. */
export function allowsSurge(ds: DS): boolean {
  const strategy = ds.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate') return false;
  try {
    return scaledValue(strategy.rollingUpdate?.maxSurge, 1, true) > 0;
  } catch {
    return false;
  }
}

/** The one new and one old pod on a node, or undefined when there are more (the core loop prunes first). */
export function updatedPodsOnNode<T extends P>(pods: readonly T[], isUpdated: (pod: T) => boolean): { newPod?: T; oldPod?: T } | undefined {
  let newPod: T | undefined;
  let oldPod: T | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isUpdated(pod)) {
      if (newPod) return undefined;
      newPod = pod;
    } else {
      if (oldPod) return undefined;
      oldPod = pod;
    }
  }
  return { newPod, oldPod };
}

/** What one rolling-update step decides from; `isUpdated`, `shouldRun` must be pure. */
export interface RollingUpdateInput<T extends P> {
  /** Pods by target node; every node that should run a pod has an entry (maybe empty). */
  podsByNode: ReadonlyMap<string, readonly T[]>;
  /** How many nodes should run a pod. */
  desired: number;
  maxSurge: number;
  maxUnavailable: number;
  isUpdated: (pod: T) => boolean;
  /** Whether a node (by name) should run a pod now; false for a node that is gone. */
  shouldRun: (nodeName: string) => boolean;
  minReadySeconds: number;
  nowMs: number;
}

/** Pods to delete and nodes to create a pod on (the caller sets expectations for both). */
export interface RollingUpdatePlan<T extends P> {
  deletePods: T[];
  createOnNodes: string[];
}

/** One rolling-update step. Nodes are visited in name order. */
export function planRollingUpdate<T extends P>(input: RollingUpdateInput<T>): RollingUpdatePlan<T> {
  return input.maxSurge === 0 ? withoutSurge(input) : withSurge(input);
}

function sortedNodes<T extends P>(input: RollingUpdateInput<T>): Array<[string, readonly T[]]> {
  return [...input.podsByNode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function withoutSurge<T extends P>(input: RollingUpdateInput<T>): RollingUpdatePlan<T> {
  const available = (pod: T) => isPodAvailable(pod, input.minReadySeconds, input.nowMs);
  let numUnavailable = 0;
  const replacements: T[] = [];
  const candidates: T[] = [];
  for (const [, pods] of sortedNodes(input)) {
    const found = updatedPodsOnNode(pods, input.isUpdated);
    if (!found) {
      numUnavailable++;
      continue;
    }
    const { newPod, oldPod } = found;
    if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
    else if (newPod) {
      if (!available(newPod)) numUnavailable++;
    } else if (oldPod && !available(oldPod)) {
      replacements.push(oldPod);
      numUnavailable++;
    } else if (oldPod && numUnavailable < input.maxUnavailable) {
      candidates.push(oldPod);
    }
  }
  const room = Math.min(Math.max(0, input.maxUnavailable - numUnavailable), candidates.length);
  return { deletePods: [...replacements, ...candidates.slice(0, room)], createOnNodes: [] };
}

function withSurge<T extends P>(input: RollingUpdateInput<T>): RollingUpdatePlan<T> {
  const available = (pod: T) => isPodAvailable(pod, input.minReadySeconds, input.nowMs);
  const deletePods: T[] = [];
  const shouldNotRun: T[] = [];
  const candidates: string[] = [];
  const allowed: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const [node, pods] of sortedNodes(input)) {
    const found = updatedPodsOnNode(pods, input.isUpdated);
    if (!found) {
      numSurge++;
      continue;
    }
    const { newPod, oldPod } = found;
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue;
    if (newPod) {
      if (!available(newPod)) numSurge++;
      else deletePods.push(oldPod);
      continue;
    }
    if (!available(oldPod)) {
      if (input.shouldRun(node)) allowed.push(node);
      else deletePods.push(oldPod);
    } else if (!input.shouldRun(node)) {
      shouldNotRun.push(oldPod);
    } else if (numSurge < input.maxSurge) {
      candidates.push(node);
    }
  }
  const deletable = Math.min(Math.max(0, numAvailable - input.desired), shouldNotRun.length);
  deletePods.push(...shouldNotRun.slice(0, deletable));
  const room = Math.min(Math.max(0, input.maxSurge - numSurge), candidates.length);
  return { deletePods, createOnNodes: [...allowed, ...candidates.slice(0, room)] };
}
