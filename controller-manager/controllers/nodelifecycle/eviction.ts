/**
 * When a pod on a node with NoExecute taints must go (upstream taint eviction controller,
 * `processPodOnNode`), pure:
 * - a taint the pod does not tolerate → evict at once;
 * - every taint tolerated, and the tolerations used say `tolerationSeconds` → evict after the
 *   smallest of them (0 or less = at once), counted from when the controller first saw the pod
 *   on the tainted node;
 * - every taint tolerated with no `tolerationSeconds` → stay forever (cancel a scheduled eviction).
 * "The tolerations used" are, for each taint, the first toleration tolerating it (upstream
 * `GetMatchingTolerations`).
 */
import type { Taint } from '../../../pkg/api/core/v1/node.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { toleratesTaint, type TolerationLike } from '../../../pkg/api/core/v1/taints.ts';

/** A pod toleration as the eviction decision reads it. */
export interface Toleration extends TolerationLike {
  readonly tolerationSeconds?: number | null | undefined;
}

/** The NoExecute taints of a taint list (upstream `getNoExecuteTaints`). */
export function noExecuteTaints(taints: readonly DeepReadonly<Taint>[] | undefined): DeepReadonly<Taint>[] {
  return (taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/** Whether every taint is tolerated, and the first tolerating toleration of each (upstream `GetMatchingTolerations`). */
export function matchingTolerations(taints: readonly DeepReadonly<Taint>[], tolerations: readonly Toleration[]): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = tolerations.find((t) => toleratesTaint(t, taint));
    if (!match) return { allTolerated: false, used: [] };
    used.push(match);
  }
  return { allTolerated: true, used };
}

/**
 * The shortest `tolerationSeconds` among `used`, in ms: 0 when there are none or one is 0 or
 * less, `Infinity` when none sets it (upstream `getMinTolerationTime`, which answers -1 for that).
 */
export function minTolerationMs(used: readonly Toleration[]): number {
  if (!used.length) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds * 1000);
  }
  return min;
}

/** What the taints and tolerations call for. */
export type EvictionPlan = { readonly kind: 'evict-now' } | { readonly kind: 'tolerate-forever' } | { readonly kind: 'evict-after'; readonly delayMs: number };

/** The plan for a pod with `tolerations` on a node with NoExecute `taints` (non-empty). */
export function planEviction(taints: readonly DeepReadonly<Taint>[], tolerations: readonly Toleration[]): EvictionPlan {
  const { allTolerated, used } = matchingTolerations(taints, tolerations);
  if (!allTolerated) return { kind: 'evict-now' };
  const ms = minTolerationMs(used);
  return ms === Infinity ? { kind: 'tolerate-forever' } : { kind: 'evict-after', delayMs: ms };
}

/** An eviction on the timer: created (first noticed) at, fires at (controller clock, ms). */
export interface ScheduledEviction {
  readonly createdAt: number;
  readonly fireAt: number;
}

/** What to do with a pod's scheduled eviction: cancel the current one, then schedule this one. */
export interface EvictionStep {
  readonly cancel: boolean;
  readonly schedule?: ScheduledEviction;
}

/**
 * The next step for a pod given its plan, the eviction already scheduled for it (if any) and the
 * time now (upstream `processPodOnNode`): evict-now replaces any schedule with one firing now;
 * tolerate-forever cancels; evict-after keeps an existing schedule (its start time holds) and
 * otherwise schedules `now + delay`.
 */
export function nextEvictionStep(plan: EvictionPlan, existing: ScheduledEviction | undefined, now: number): EvictionStep {
  if (plan.kind === 'evict-now') return { cancel: true, schedule: { createdAt: now, fireAt: now } };
  if (plan.kind === 'tolerate-forever') return { cancel: true };
  const fireAt = now + plan.delayMs;
  if (!existing) return { cancel: false, schedule: { createdAt: now, fireAt } };
  if (existing.createdAt + plan.delayMs < fireAt) return { cancel: false };
  return { cancel: true, schedule: { createdAt: existing.createdAt, fireAt } };
}

/** When a pod must be evicted (controller clock, ms): `now`, a later instant, or never (undefined). */
export function evictionTime(taints: readonly DeepReadonly<Taint>[], tolerations: readonly Toleration[], noticedAt: number): number | undefined {
  const plan = planEviction(taints, tolerations);
  if (plan.kind === 'tolerate-forever') return undefined;
  return plan.kind === 'evict-now' ? noticedAt : noticedAt + plan.delayMs;
}
