/**
 * Which pods a scale-down deletes first (upstream `ActivePodsWithRanks`), and which pods count.
 * Pure.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

type P = Pod | DeepReadonly<Pod>;

/** Active = not finished and not being deleted (upstream `IsPodActive`). */
export function isPodActive(pod: P): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** The Ready condition's status and transition time. */
export function readyCondition(pod: P): { ready: boolean; since?: string } {
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready');
  return { ready: c?.status === 'True', since: c?.lastTransitionTime ?? undefined };
}

/** Ready for at least `minReadySeconds` at `nowMs` (upstream `IsPodAvailable`). */
export function isPodAvailable(pod: P, minReadySeconds: number, nowMs: number): boolean {
  const { ready, since } = readyCondition(pod);
  if (!ready) return false;
  if (minReadySeconds <= 0) return true;
  return since !== undefined && Date.parse(since) + minReadySeconds * 1000 <= nowMs;
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: P): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

function deletionCost(pod: P): number {
  const v = Number(pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost']);
  return Number.isFinite(v) ? v : 0;
}

/**
 * Orders pods so the ones to delete first come first. `colocated(pod)` is how many pods of the
 * same owner share its node (more → deleted first, spreading the survivors).
 */
export function compareForDeletion(a: P, b: P, colocated: (pod: P) => number): number {
  const assigned = (p: P) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phase = (p: P) => PHASE_ORDER[p.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ra = readyCondition(a);
  const rb = readyCondition(b);
  if (ra.ready !== rb.ready) return ra.ready ? 1 : -1;
  if (colocated(a) !== colocated(b)) return colocated(b) - colocated(a);
  if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b);
  if (ra.ready && rb.ready && ra.since !== rb.since) return Date.parse(rb.since ?? '0') - Date.parse(ra.since ?? '0');
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: P) => Date.parse(p.metadata.creationTimestamp ?? '0');
  return created(b) - created(a);
}

/** The `count` pods to delete, best candidates first. */
export function podsToDelete<T extends P>(pods: readonly T[], count: number): T[] {
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  const colocated = (p: P) => (p.spec?.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0);
  return [...pods].sort((a, b) => compareForDeletion(a, b, colocated)).slice(0, Math.max(0, count));
}

/** Slow-start batch sizes for `count` creations (1, 2, 4, …), as upstream `slowStartBatch`. */
export function slowStartBatches(count: number, initial = 1): number[] {
  const out: number[] = [];
  let remaining = count;
  let size = Math.min(remaining, initial);
  while (size > 0) {
    out.push(size);
    remaining -= size;
    size = Math.min(2 * size, remaining);
  }
  return out;
}
