/**
 * The resourcequota reconciler (upstream pkg/controller/resourcequota syncResourceQuota): for
 * one quota, recalculates `status.used` from the live objects of its namespace — pods,
 * services, claims, configmaps and secrets from the shared caches, any other
 * `count/<resource>.<group>` by listing it — copies `spec.hard` to `status.hard`, and writes the
 * status only when it changed. Level-based: whatever triggered it, it reads the state now.
 * Returns a timed requeue for the periodic full recalculation (pods whose deletion grace period
 * ran out, and anything an event missed).
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { ResourceQuota } from '../../../pkg/api/core/v1/resourcequota.ts';
import { BUILTIN_COORDINATES, type ResourceCoordinates } from '../../../pkg/client/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { desiredQuotaStatus, evaluatorsNeeded, usageOf } from '../../../pkg/quota/calculate.ts';
import { objectCountEvaluator, type QuotaEvaluator } from '../../../pkg/quota/evaluators.ts';
import { addLists, type ResourceList } from '../../../pkg/quota/resource-list.ts';
import type { ReconcileContext, ReconcileRequest, Reconciler, Result } from '../../../pkg/runtime/index.ts';

/** The kinds counted from the shared caches, with their evaluators. */
export interface CachedKind {
  evaluator: QuotaEvaluator;
  lister: Lister<KubeObject>;
}

export interface QuotaClient {
  /** Lists a namespace's objects of any kind (for `count/…` of kinds without a cache). */
  list(coords: ResourceCoordinates, namespace: string): Promise<KubeObject[]>;
  updateStatus(quota: ResourceQuota): Promise<unknown>;
}

export interface ResourceQuotaReconcilerOptions {
  quotas: Lister<ResourceQuota>;
  cached: readonly CachedKind[];
  client: QuotaClient;
  /** Milliseconds since the epoch (the manager's clock). */
  clock: { now(): number };
  resyncMs: number;
}

/** `count/deployments.apps` → the built-in kind it counts, when it is one. */
export function coordinatesForCount(name: string): ResourceCoordinates | undefined {
  if (!name.startsWith('count/')) return undefined;
  const rest = name.slice('count/'.length);
  const dot = rest.indexOf('.');
  const plural = dot < 0 ? rest : rest.slice(0, dot);
  const group = dot < 0 ? '' : rest.slice(dot + 1);
  return Object.values(BUILTIN_COORDINATES).find((c) => c.plural === plural && c.group === group && c.namespaced);
}

export class ResourceQuotaReconciler implements Reconciler {
  constructor(private readonly options: ResourceQuotaReconcilerOptions) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result> {
    const { quotas, cached, client, clock, resyncMs } = this.options;
    const quota = quotas.get(`${req.namespace}/${req.name}`);
    if (!quota || quota.metadata.deletionTimestamp) return {};
    const q = quota as DeepReadonly<ResourceQuota> as ResourceQuota;
    const hard = q.spec?.hard ?? {};
    const now = new Date(clock.now());
    let used: ResourceList = {};
    const cachedEvaluators = cached.map((c) => c.evaluator);
    for (const kind of cached) {
      if (!evaluatorsNeeded([kind.evaluator], hard).length) continue;
      used = addLists(used, usageOf(kind.evaluator, q, kind.lister.listInNamespace(req.namespace) as KubeObject[], now));
    }
    for (const name of Object.keys(hard)) {
      const coords = coordinatesForCount(name);
      if (!coords || cachedEvaluators.some((e) => e.group === coords.group && e.resource === coords.plural)) continue;
      used = addLists(used, usageOf(objectCountEvaluator(coords.group, coords.plural), q, await client.list(coords, req.namespace), now));
    }
    const { status, dirty } = desiredQuotaStatus(q, used);
    if (dirty) {
      await client.updateStatus({ ...structuredClone(q), status });
      ctx.log.info({ quota: `${req.namespace}/${req.name}`, used: status.used }, 'updated quota usage');
    }
    return { requeueAfterMs: resyncMs };
  }
}
