/**
 * The ResourceQuota admission decision (upstream admission/plugin/resourcequota checkRequest):
 * which of a namespace's quotas cover a write, whether the object meets their constraints,
 * the usage the write adds (on update, only the growth), and — for each covering quota —
 * either the new `status.used` or upstream's refusal text (`exceeded quota: …`,
 * `failed quota: …`, `status unknown for quota: …`). Quotas are judged by `status.hard`, so a
 * quota the controller has not yet observed constrains nothing. Pure.
 */
import type { KubeObject } from '../api/meta.ts';
import type { QuotaEvaluator, QuotaOperation } from './evaluators.ts';
import { quotaScopeSelectors, type ScopedQuotaLike } from './pod-scopes.ts';
import { addLists, exceededNames, maskList, negativeNames, prettyPrintList, removeZeros, subtractNonNegative, type ResourceList } from './resource-list.ts';

/** The parts of a ResourceQuota the decision reads. */
export interface QuotaLike extends ScopedQuotaLike {
  metadata: { name?: string | undefined };
  status?: { hard?: ResourceList | undefined; used?: ResourceList | undefined } | undefined;
}

/** One quota's charge: add `requested` to its `status.used` (already summed into `used`). */
export interface QuotaCharge {
  name: string;
  requested: ResourceList;
  used: ResourceList;
}

export type QuotaDecision = { allowed: true; charges: QuotaCharge[] } | { allowed: false; message: string };

export interface QuotaRequest {
  evaluator: QuotaEvaluator;
  operation: QuotaOperation;
  object: KubeObject;
  /** The stored object on UPDATE. */
  oldObject?: KubeObject | undefined;
  quotas: readonly QuotaLike[];
  now: Date;
}

/** generic.Matches: every scope requirement holds, and the quota constrains a name the evaluator charges. */
export function quotaCovers(evaluator: QuotaEvaluator, quota: QuotaLike, object: KubeObject): boolean {
  if (!quotaScopeSelectors(quota).every((req) => evaluator.matchesScope(req, object))) return false;
  return evaluator.matchingResources(Object.keys(quota.status?.hard ?? {})).length > 0;
}

/** One quota's verdict on an added usage: the new used list, or the `exceeded quota` text. */
export function chargeQuota(quota: QuotaLike, delta: ResourceList): QuotaCharge | { message: string } {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  const requested = maskList(delta, Object.keys(hard));
  const newUsed = addLists(used, requested);
  const exceeded = exceededNames(maskList(newUsed, Object.keys(requested)), hard);
  if (exceeded.length) {
    return { message: `exceeded quota: ${quota.metadata.name ?? ''}, requested: ${prettyPrintList(maskList(requested, exceeded))}, used: ${prettyPrintList(maskList(used, exceeded))}, limited: ${prettyPrintList(maskList(hard, exceeded))}` };
  }
  return { name: quota.metadata.name ?? '', requested, used: newUsed };
}

/** checkRequest for one write. */
export function checkQuotaRequest(req: QuotaRequest): QuotaDecision {
  const { evaluator, object } = req;
  const covering: QuotaLike[] = [];
  for (const quota of req.quotas) {
    if (!quotaCovers(evaluator, quota, object)) continue;
    const restricted = evaluator.matchingResources(Object.keys(quota.status?.hard ?? {}));
    const violation = evaluator.constraints(restricted, object);
    if (violation) return { allowed: false, message: `failed quota: ${quota.metadata.name ?? ''}: ${violation}` };
    const used = quota.status?.used ?? {};
    if (restricted.some((name) => !(name in used))) {
      return { allowed: false, message: `status unknown for quota: ${quota.metadata.name ?? ''}, resources: ${[...restricted].sort().join(',')}` };
    }
    covering.push(quota);
  }
  if (!covering.length) return { allowed: true, charges: [] };
  let delta = evaluator.usage(object, req.now);
  const negative = negativeNames(delta);
  if (negative.length) return { allowed: false, message: `quota usage is negative for resource(s): ${negative.join(',')}` };
  if (req.operation === 'UPDATE' && req.oldObject?.metadata.resourceVersion) delta = subtractNonNegative(delta, evaluator.usage(req.oldObject, req.now));
  delta = removeZeros(delta);
  if (!Object.keys(delta).length) return { allowed: true, charges: [] };
  const charges: QuotaCharge[] = [];
  for (const quota of covering) {
    const verdict = chargeQuota(quota, delta);
    if ('message' in verdict) return { allowed: false, message: verdict.message };
    if (Object.keys(removeZeros(verdict.requested)).length) charges.push(verdict);
  }
  return { allowed: true, charges };
}
