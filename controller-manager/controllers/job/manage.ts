/**
 * How many pods a running Job wants and which to add or remove (upstream manageJob,
 * firstPendingIndexes, activePodsForRemoval). Pure: the reconciler performs the plan.
 */
import { completionIndex, type J, type P } from './pods.ts';
import { readyCondition } from '../replicaset/pod-ranking.ts';

/** At most this many creates or deletes per sync (upstream MaxPodCreateDeletePerSync). */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

/** Upstream wantActive: parallelism, bounded by remaining completions (work queues keep what runs after a success). */
export function wantActive(job: J, active: number, succeeded: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

/** The lowest indexes below completions that neither succeeded nor have an active pod (upstream firstPendingIndexes). */
export function firstPendingIndexes(completions: number, succeeded: ReadonlySet<number>, activePods: readonly P[], count: number, failed: ReadonlySet<number> = new Set()): number[] {
  const busy = new Set([...activePods.map(completionIndex).filter((i): i is number => i !== undefined), ...failed]);
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!succeeded.has(i) && !busy.has(i)) out.push(i);
  return out;
}

/** Sort key of upstream controller.ActivePods: unscheduled < scheduled, pending < running, not ready < ready, newer first. */
function removalRank(a: P, b: P): number {
  const scheduled = (p: P) => (p.spec?.nodeName ? 1 : 0);
  const phase = (p: P) => ({ Pending: 0, Unknown: 1, Running: 2 })[p.status?.phase ?? 'Pending'] ?? 0;
  const ready = (p: P) => (readyCondition(p).ready ? 1 : 0);
  return scheduled(a) - scheduled(b) || phase(a) - phase(b) || ready(a) - ready(b)
    || (Date.parse(b.metadata.creationTimestamp ?? '') || 0) - (Date.parse(a.metadata.creationTimestamp ?? '') || 0);
}

/**
 * Pods to delete: for Indexed Jobs first those with a duplicate, missing or out-of-range index,
 * then the least advanced pods until at least `rmAtLeast` are chosen.
 */
export function activePodsForRemoval(job: J, pods: readonly P[], rmAtLeast: number): P[] {
  const rm: P[] = [];
  let left: P[] = [...pods];
  if (job.spec?.completionMode === 'Indexed') {
    const completions = job.spec.completions ?? 0;
    const seen = new Set<number>();
    left = [];
    for (const p of pods) {
      const ix = completionIndex(p);
      if (ix === undefined || ix >= completions || seen.has(ix)) rm.push(p);
      else {
        seen.add(ix);
        left.push(p);
      }
    }
  }
  if (rm.length < rmAtLeast) rm.push(...left.sort(removalRank).slice(0, rmAtLeast - rm.length));
  return rm;
}

/** What manageJob does this sync. */
export type PodPlan =
  | { action: 'none' }
  | { action: 'delete'; pods: P[] }
  | { action: 'create'; count: number; indexes?: number[] };

/**
 * The plan for a running (not suspended, not finishing) Job: delete extra pods first; otherwise
 * create the missing ones (indexes for Indexed Jobs). `terminating` counts only when just failed
 * pods are replaced (podReplacementPolicy Failed).
 */
export function planPods(options: { job: J; activePods: readonly P[]; succeeded: number; succeededIndexes: ReadonlySet<number>; failedIndexes?: ReadonlySet<number>; terminating: number }): PodPlan {
  const { job, activePods } = options;
  const active = activePods.length;
  const want = wantActive(job, active, options.succeeded);
  const toDelete = activePodsForRemoval(job, activePods, Math.max(0, active - want)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (toDelete.length) return { action: 'delete', pods: toDelete };
  const diff = Math.min(want - options.terminating - active, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (diff <= 0) return { action: 'none' };
  if (job.spec?.completionMode === 'Indexed') {
    const indexes = firstPendingIndexes(job.spec.completions ?? 0, options.succeededIndexes, activePods, diff, options.failedIndexes);
    return indexes.length ? { action: 'create', count: indexes.length, indexes } : { action: 'none' };
  }
  return { action: 'create', count: diff };
}
