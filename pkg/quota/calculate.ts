/**
 * The resourcequota controller's recalculation (upstream quota.CalculateUsage and the
 * controller's syncResourceQuota): a quota's usage from the live objects of its namespace,
 * every constrained name present (zero when nothing uses it), and whether the stored status
 * needs writing. Pure.
 */
import type { KubeObject } from '../api/meta.ts';
import type { QuotaEvaluator } from './evaluators.ts';
import { quotaScopeSelectors, type ScopedQuotaLike } from './pod-scopes.ts';
import { addLists, compareQuantities, listsEqual, maskList, type ResourceList } from './resource-list.ts';

/** The parts of a quota recalculation reads. */
export interface QuotaSpecLike extends ScopedQuotaLike {
  spec?: (ScopedQuotaLike['spec'] & { hard?: ResourceList | undefined }) | undefined;
  status?: { hard?: ResourceList | undefined; used?: ResourceList | undefined } | undefined;
}

/** The evaluators whose objects a quota with these hard names needs (one per kind). */
export function evaluatorsNeeded(evaluators: readonly QuotaEvaluator[], hard: ResourceList): QuotaEvaluator[] {
  const names = Object.keys(hard);
  return evaluators.filter((e) => e.matchingResources(names).length > 0);
}

/** UsageStats of one kind: the usage of its objects the quota's scopes cover, every matching name present. */
export function usageOf(evaluator: QuotaEvaluator, quota: QuotaSpecLike, objects: readonly KubeObject[], now: Date): ResourceList {
  const names = evaluator.matchingResources(Object.keys(quota.spec?.hard ?? {}));
  let used: ResourceList = Object.fromEntries(names.map((n) => [n, '0']));
  const selectors = quotaScopeSelectors(quota);
  for (const obj of objects) {
    if (!selectors.every((req) => evaluator.matchesScope(req, obj))) continue;
    used = addLists(used, maskList(evaluator.usage(obj, now), names));
  }
  return used;
}

/**
 * The status a quota should have: `hard` copied from the spec, `used` the recalculated usage
 * (names no evaluator knows keep their last observed value), masked to the hard names.
 * `dirty` says whether it differs from the stored status.
 */
export function desiredQuotaStatus(quota: QuotaSpecLike, calculated: ResourceList): { status: { hard: ResourceList; used: ResourceList }; dirty: boolean } {
  const hard = { ...(quota.spec?.hard ?? {}) };
  const used = maskList({ ...(quota.status?.used ?? {}), ...calculated }, Object.keys(hard));
  const dirty = !quota.status?.hard || !quota.status?.used || !listsEqual(hard, quota.status.hard) || !listsEqual(used, quota.status.used);
  return { status: { hard, used }, dirty };
}

/**
 * Whether an update gave usage back (upstream's replenishment: a pod turning Succeeded/Failed
 * or marked for deletion, a service losing its load balancer, a claim shrinking): some name the
 * old object charged is charged less now. Creates never replenish; deletes always do.
 */
export function usageShrank(evaluator: QuotaEvaluator, oldObj: KubeObject, newObj: KubeObject, now: Date): boolean {
  const before = evaluator.usage(oldObj, now);
  const after = evaluator.usage(newObj, now);
  return Object.keys(before).some((name) => compareQuantities(after[name], before[name]) < 0);
}
