/**
 * The eviction API's budget rules (upstream pkg/registry/core/pod/storage/eviction.go), pure:
 * which budgets protect a pod, whether an eviction may skip its budget, and `checkAndDecrement`,
 * which either refuses the eviction (429 / 403 with upstream's messages) or returns the budget's
 * status with one disruption taken and the pod recorded in `disruptedPods`.
 */
import type { KubeObject, LabelSelector } from '../../pkg/api/meta.ts';
import { DISRUPTION_ALLOWED_CONDITION, DISRUPTION_REASONS, type PodDisruptionBudgetStatus } from '../../pkg/api/policy/v1/poddisruptionbudget.ts';
import { fromLabelSelector } from '../../pkg/api/selectors/index.ts';
import { ApiError, forbidden } from '../../pkg/errors/index.ts';
import { setStatusCondition, type StatusCondition } from '../../pkg/runtime/conditions.ts';

/** The budget fields the eviction reads. */
export interface BudgetView extends KubeObject {
  spec?: { selector?: LabelSelector; unhealthyPodEvictionPolicy?: string };
  status?: PodDisruptionBudgetStatus;
}

/** Upstream MaxDisruptedPodSize: evictions the disruption controller has not confirmed yet. */
export const MAX_DISRUPTED_POD_SIZE = 2000;
const MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

/** Finished, pending or deleting pods are evicted without consulting budgets (upstream canIgnorePDB). */
export function canIgnoreBudget(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !!pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending';
}

export function isPodReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Budgets whose non-empty selector picks the pod (an empty or unusable selector protects nothing here). */
export function budgetsForPod<T extends BudgetView>(budgets: readonly T[], pod: KubeObject): T[] {
  return budgets.filter((pdb) => {
    const selector = pdb.spec?.selector;
    if (!selector || Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) return false;
    try {
      return fromLabelSelector(selector).matches(pod.metadata.labels ?? {});
    } catch {
      return false;
    }
  });
}

/** An unready pod may go without taking a disruption (AlwaysAllow, or the budget is already met). */
export function unhealthyPodMayGo(pdb: BudgetView, pod: KubeObject): boolean {
  if (isPodReady(pod)) return false;
  if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const status = pdb.status;
  return !!status && status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0;
}

function budgetRefusal(message: string, cause: string, retryAfterSeconds: number): ApiError {
  return new ApiError({ code: 429, reason: 'TooManyRequests', message, details: { causes: [{ reason: 'DisruptionBudget', message: cause }], ...(retryAfterSeconds ? { retryAfterSeconds } : {}) } });
}

/**
 * Upstream checkAndDecrement: the budget's next status after evicting `podName` at `now`, or throws
 * the refusal. A budget the controller has not processed since its last change refuses (429).
 */
export function checkAndDecrement(pdb: BudgetView, podName: string, now: string): PodDisruptionBudgetStatus {
  const name = pdb.metadata.name ?? '';
  const status = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  const qr = { group: 'policy', resource: 'poddisruptionbudget' };
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    throw budgetRefusal(MESSAGE, `The disruption budget ${name} is still being processed by the server.`, 10);
  }
  if (status.disruptionsAllowed < 0) throw forbidden(qr, name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw forbidden(qr, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw budgetRefusal(MESSAGE, `The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`, 0);
  }
  const next: PodDisruptionBudgetStatus = { ...structuredClone(status), disruptionsAllowed: status.disruptionsAllowed - 1 };
  if (next.disruptionsAllowed === 0) {
    const condition: StatusCondition = { type: DISRUPTION_ALLOWED_CONDITION, status: 'False', reason: DISRUPTION_REASONS.insufficientPods, message: '', observedGeneration: next.observedGeneration };
    next.conditions = setStatusCondition(next.conditions as StatusCondition[] | undefined, condition, now);
  }
  next.disruptedPods = { ...(next.disruptedPods ?? {}), [podName]: now };
  return next;
}
