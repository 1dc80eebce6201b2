/**
 * Admission plugin `ResourceQuota` (upstream apiserver/pkg/admission/plugin/resourcequota):
 * the last validating plugin. For a CREATE (or a charged UPDATE) of a namespaced object it reads
 * the namespace's quotas, lets pkg/quota decide (evaluators, constraints, usage delta), refuses
 * with 403 and upstream's text (`exceeded quota: …`, `failed quota: …`), and otherwise adds the
 * usage to each covering quota's `status.used` before the object is stored, so back-to-back
 * creates are counted before the controller recalculates. Each status write is a
 * read-modify-write that re-checks the limit against the quota as it is now (conflicts retry),
 * so concurrent creates cannot both take the last unit. Dry-run writes are checked, never
 * charged. Which writes count is the kind's evaluator's `handles`: of subresource writes only
 * `pods/resize` updates (a resize growing a pod's requests or limits is charged the growth, or
 * refused like a create); DELETE is never charged, the controller gives usage back.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { checkQuotaRequest, chargeQuota, type QuotaLike } from '../../pkg/quota/check.ts';
import { evaluatorFor, type QuotaEvaluator, type QuotaOperation } from '../../pkg/quota/evaluators.ts';
import { forbidden } from '../../pkg/errors/index.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';

export const RESOURCE_QUOTA_PLUGIN = 'ResourceQuota';

const QUOTAS = { group: '', plural: 'resourcequotas', namespaced: true } as const;

export interface ResourceQuotaPluginOptions {
  /** The clock pod usage is judged by (deletion grace periods); defaults to the wall clock. */
  now?: () => Date;
}

export function createResourceQuotaPlugin(ctx: AdmissionContext, options: ResourceQuotaPluginOptions = {}): AdmissionPlugin {
  const now = options.now ?? (() => new Date());

  function refuse(attrs: AdmissionAttributes, message: string): Error {
    return forbidden({ group: attrs.info.group, resource: attrs.info.plural }, attrs.name || (attrs.object?.metadata.name ?? ''), message);
  }

  async function charge(attrs: AdmissionAttributes, namespace: string, name: string, requested: Record<string, string | number>): Promise<void> {
    await ctx.storage.guaranteedUpdate(ctx.keyFor(QUOTAS, namespace, name), (current) => {
      // A quota deleted meanwhile constrains nothing any more.
      if (!current) throw Object.assign(new Error('quota gone'), { quotaGone: true });
      const verdict = chargeQuota(current as QuotaLike, requested);
      if ('message' in verdict) throw refuse(attrs, verdict.message);
      const quota = current as KubeObject & { status?: Record<string, unknown> };
      return { ...quota, status: { ...quota.status, used: verdict.used } } as KubeObject;
    }).catch((err: unknown) => {
      if ((err as { quotaGone?: boolean }).quotaGone) return;
      throw err;
    });
  }

  async function check(attrs: AdmissionAttributes, evaluator: QuotaEvaluator, operation: QuotaOperation, namespace: string, object: KubeObject): Promise<void> {
    const { items } = await ctx.storage.list(ctx.keyFor(QUOTAS, namespace, ''));
    if (!items.length) return;
    const decision = checkQuotaRequest({ evaluator, operation, object, oldObject: attrs.oldObject, quotas: items as QuotaLike[], now: now() });
    if (!decision.allowed) throw refuse(attrs, decision.message);
    if (attrs.dryRun) return;
    for (const c of decision.charges) await charge(attrs, namespace, c.name, c.requested);
  }

  return {
    name: RESOURCE_QUOTA_PLUGIN,
    validate(attrs) {
      const { operation, subresource, object, oldObject } = attrs;
      if (operation !== 'CREATE' && operation !== 'UPDATE') return;
      if (!attrs.info.namespaced || !object) return;
      const namespace = attrs.namespace ?? object.metadata.namespace;
      if (!namespace) return;
      const evaluator = evaluatorFor(attrs.info.group, attrs.info.plural);
      if (!evaluator.handles({ operation, subresource, object, oldObject })) return;
      return check(attrs, evaluator, operation, namespace, object);
    },
  };
}
