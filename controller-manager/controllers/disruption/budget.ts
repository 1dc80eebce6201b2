/**
 * The disruption controller's decisions (upstream pkg/controller/disruption), pure:
 * - how many pods a budget expects and how many must be healthy (`expectedCounts`), from the
 *   selected pods and, for percentages and `maxUnavailable`, the scale of the pods' controllers;
 * - which evicted pods still count as being disrupted (`disruptedPodMap`, 2 minutes per pod);
 * - how many selected pods are healthy (`countHealthy`: ready, not deleting, not just evicted);
 * - the status to write (`budgetStatus`, undefined when the stored one is up to date) and the
 *   fail-safe status of a budget whose sync failed (`failSafeStatus`).
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { IntOrString } from '../../../pkg/api/meta.ts';
import {
  DISRUPTION_ALLOWED_CONDITION,
  DISRUPTION_REASONS,
  type PodDisruptionBudget,
  type PodDisruptionBudgetStatus,
} from '../../../pkg/api/policy/v1/poddisruptionbudget.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { findStatusCondition, setStatusCondition, type StatusCondition } from '../../../pkg/runtime/index.ts';
import { readyCondition } from '../replicaset/pod-ranking.ts';

type P = DeepReadonly<Pod>;
type Budget = DeepReadonly<PodDisruptionBudget>;

/** How long an evicted pod counts as disrupted before the controller gives up on its deletion (upstream DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** A pod controller's identity and desired replicas. */
export interface ControllerScale {
  uid: string;
  scale: number;
}

/**
 * Finds the scale of the controller a pod's controller reference names: the scale, undefined when
 * this finder does not know that controller, or throws an Error whose message becomes the
 * budget's SyncFailed condition message.
 */
export type ScaleFinder = (ref: { apiVersion: string; kind: string; name: string; uid: string }, namespace: string) => ControllerScale | undefined;

/** Upstream `GetScaledValueFromIntOrPercent(value, total, roundUp=true)`. */
export function scaledValue(value: IntOrString, total: number): number {
  if (typeof value === 'number') return value;
  const percent = Number(value.replace(/%$/, ''));
  if (!/^[0-9]+%$/.test(value) || Number.isNaN(percent)) throw new Error(`invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing "${value.replace(/%$/, '')}": invalid syntax`);
  return Math.ceil((percent * total) / 100);
}

/** Upstream getExpectedScale: the summed scale of the pods' controllers; pods without one are unmanaged. */
function expectedScale(pods: readonly P[], find: ScaleFinder): { expectedCount: number; unmanagedPods: string[] } {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller === true);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = find(ref, pod.metadata.namespace ?? '');
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const n of scales.values()) expectedCount += n;
  return { expectedCount, unmanagedPods };
}

/** Upstream getExpectedPodCount. */
export function expectedCounts(pdb: Budget, pods: readonly P[], find: ScaleFinder): { expectedCount: number; desiredHealthy: number; unmanagedPods: string[] } {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined) {
    const { expectedCount, unmanagedPods } = expectedScale(pods, find);
    const maxUnavailable = scaledValue(spec.maxUnavailable, expectedCount);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
  if (typeof spec.minAvailable === 'string') {
    const { expectedCount, unmanagedPods } = expectedScale(pods, find);
    return { expectedCount, desiredHealthy: scaledValue(spec.minAvailable, expectedCount), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/**
 * Upstream buildDisruptedPodMap: the evicted pods (status.disruptedPods) that are not deleting yet
 * and were evicted less than {@link DELETION_TIMEOUT_MS} ago; the earliest time one of them expires
 * (recheck then); the pods whose deletion is overdue (a NotDeleted warning each).
 */
export function disruptedPodMap(pdb: Budget, pods: readonly P[], nowMs: number): { disrupted: Record<string, string>; recheckAtMs?: number; overdue: P[] } {
  const disrupted: Record<string, string> = {};
  const overdue: P[] = [];
  let recheckAtMs: number | undefined;
  const recorded = pdb.status?.disruptedPods ?? {};
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = recorded[pod.metadata.name ?? ''];
    if (at === undefined) continue;
    const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expires < nowMs) overdue.push(pod);
    else {
      disrupted[pod.metadata.name ?? ''] = at;
      if (recheckAtMs === undefined || expires < recheckAtMs) recheckAtMs = expires;
    }
  }
  return { disrupted, recheckAtMs, overdue };
}

/** Upstream countHealthyPods: ready pods that are neither deleting nor recently evicted. */
export function countHealthy(pods: readonly P[], disrupted: Readonly<Record<string, string>>, nowMs: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted[pod.metadata.name ?? ''];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > nowMs) continue;
    if (readyCondition(pod).ready) healthy++;
  }
  return healthy;
}

/** Upstream UpdateDisruptionAllowedCondition: True/SufficientPods when disruptions are allowed. */
export function withDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, now: string): PodDisruptionBudgetStatus {
  const allowed = status.disruptionsAllowed > 0;
  const condition: StatusCondition = {
    type: DISRUPTION_ALLOWED_CONDITION,
    status: allowed ? 'True' : 'False',
    reason: allowed ? DISRUPTION_REASONS.sufficientPods : DISRUPTION_REASONS.insufficientPods,
    message: '',
    observedGeneration: status.observedGeneration,
  };
  return { ...status, conditions: setStatusCondition(status.conditions as StatusCondition[] | undefined, condition, now) };
}

/** Upstream ConditionsAreUpToDate. */
function conditionsUpToDate(pdb: Budget): boolean {
  const status = pdb.status;
  const cond = findStatusCondition(status?.conditions as StatusCondition[] | undefined, DISRUPTION_ALLOWED_CONDITION);
  if (!cond || !status || status.observedGeneration !== pdb.metadata.generation) return false;
  return status.disruptionsAllowed > 0 ? cond.status === 'True' && cond.reason === DISRUPTION_REASONS.sufficientPods : cond.status === 'False' && cond.reason === DISRUPTION_REASONS.insufficientPods;
}

/** The counts a sync computed, from which {@link budgetStatus} derives the status. */
export interface BudgetCounts {
  currentHealthy: number;
  desiredHealthy: number;
  expectedCount: number;
  disrupted: Record<string, string>;
}

/**
 * Upstream updatePdbStatus: the status to write, or undefined when the stored one already says
 * this. Disruptions are allowed only when pods are expected (a budget matching no pods yet is safe
 * when its first pods appear before the next sync).
 */
export function budgetStatus(pdb: Budget, counts: BudgetCounts, now: string): PodDisruptionBudgetStatus | undefined {
  let allowed = counts.currentHealthy - counts.desiredHealthy;
  if (counts.expectedCount <= 0 || allowed <= 0) allowed = 0;
  const old = pdb.status;
  const sameDisrupted = JSON.stringify(Object.entries(old?.disruptedPods ?? {}).sort()) === JSON.stringify(Object.entries(counts.disrupted).sort());
  if (old && old.currentHealthy === counts.currentHealthy && old.desiredHealthy === counts.desiredHealthy && old.expectedPods === counts.expectedCount && old.disruptionsAllowed === allowed && sameDisrupted && old.observedGeneration === pdb.metadata.generation && conditionsUpToDate(pdb)) {
    return undefined;
  }
  const status: PodDisruptionBudgetStatus = {
    observedGeneration: pdb.metadata.generation,
    ...(Object.keys(counts.disrupted).length ? { disruptedPods: { ...counts.disrupted } } : {}),
    disruptionsAllowed: allowed,
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedCount,
    conditions: (old?.conditions ?? []).map((c) => ({ ...c })),
  };
  return withDisruptionAllowedCondition(status, now);
}

/** Upstream failSafe: no disruptions allowed, DisruptionAllowed False with reason SyncFailed and the error. */
export function failSafeStatus(pdb: Budget, message: string, now: string): PodDisruptionBudgetStatus {
  const old = (pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }) as PodDisruptionBudgetStatus;
  const condition: StatusCondition = { type: DISRUPTION_ALLOWED_CONDITION, status: 'False', reason: DISRUPTION_REASONS.syncFailed, message, observedGeneration: old.observedGeneration };
  return { ...structuredClone(old), disruptionsAllowed: 0, conditions: setStatusCondition(old.conditions as StatusCondition[] | undefined, condition, now) };
}
