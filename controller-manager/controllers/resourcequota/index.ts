/**
 * The `resourcequota` controller (upstream ResourceQuotaController): keeps every quota's
 * `status.hard` equal to its spec and `status.used` equal to what its namespace's objects use,
 * so usage the admission plugin charged is given back when objects go away or pods finish.
 * As upstream, a quota is queued when it is created or its `spec.hard` changes (not on the
 * status writes of admission and of this controller), and a namespace's quotas are queued when
 * a pod, service, claim, configmap or secret gives usage back — deleted, or updated to charge
 * less (a pod finishing or being deleted, or its kubelet applying an in-place shrink: a resizing
 * pod counts at the larger of its spec and its allocated/actual resources, as the admission
 * plugin charges it) — never on creates, whose usage admission already
 * charged (recounting then, from a cache that may not hold the new object yet, would undercount).
 * Every quota is also recalculated every
 * `--resource-quota-sync-period` (default 5 minutes, upstream's default). Five workers by
 * default (`--concurrent-resource-quota-syncs`), as upstream.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { ResourceQuota } from '../../../pkg/api/core/v1/resourcequota.ts';
import { BUILTIN_COORDINATES as C, type ResourceCoordinates } from '../../../pkg/client/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { evaluatorFor } from '../../../pkg/quota/evaluators.ts';
import { newControllerBuilder, type Predicate } from '../../../pkg/runtime/index.ts';
import { usageShrank } from '../../../pkg/quota/calculate.ts';
import { listsEqual, type ResourceList } from '../../../pkg/quota/resource-list.ts';
import type { ControllerDescriptor } from '../types.ts';
import { ResourceQuotaReconciler, type CachedKind } from './reconciler.ts';

/** Upstream's default `--resource-quota-sync-period`. */
export const DEFAULT_RESOURCE_QUOTA_SYNC_MS = 5 * 60_000;

/** The kinds whose changes give usage back (watched), and the quotas themselves (`resourcequotas: N`). */
const WATCHED_KINDS: readonly ResourceCoordinates[] = [C.pods, C.services, C.persistentVolumeClaims, C.configMaps, C.secrets, C.replicationControllers];
const CACHED_KINDS: readonly ResourceCoordinates[] = [...WATCHED_KINDS, C.resourceQuotas];

export const resourceQuotaController: ControllerDescriptor = {
  name: 'resourcequota',
  enabledByDefault: true,
  register({ manager, settings }) {
    const quotas = manager.lister<ResourceQuota>(C.resourceQuotas);
    const cached: CachedKind[] = CACHED_KINDS.map((coords) => ({ evaluator: evaluatorFor(coords.group, coords.plural), lister: manager.lister<KubeObject>(coords) }));
    const quotasOf = (obj: DeepReadonly<KubeObject>) => {
      const namespace = obj.metadata.namespace ?? '';
      return quotas.listInNamespace(namespace).map((q) => ({ namespace, name: q.metadata.name ?? '' }));
    };
    const api = manager.client.resource<ResourceQuota>(C.resourceQuotas);
    const specChanged: Predicate<ResourceQuota> = { update: (oldQ, newQ) => !listsEqual(oldQ.spec?.hard as ResourceList, newQ.spec?.hard as ResourceList) };
    let builder = newControllerBuilder(manager, 'resourcequota').for(C.resourceQuotas, { predicates: [specChanged] });
    for (const coords of WATCHED_KINDS) {
      const evaluator = evaluatorFor(coords.group, coords.plural);
      const replenished: Predicate<KubeObject> = {
        create: () => false,
        update: (oldObj, newObj) => usageShrank(evaluator, oldObj as KubeObject, newObj as KubeObject, new Date(manager.clock.now())),
      };
      builder = builder.watches<KubeObject>(coords, quotasOf, { predicates: [replenished] });
    }
    builder
      .withMaxConcurrentReconciles(settings.concurrentSyncs.resourcequota ?? 5)
      .complete(new ResourceQuotaReconciler({
        quotas,
        cached,
        clock: manager.clock,
        resyncMs: settings.resourceQuotaSyncPeriodMs ?? DEFAULT_RESOURCE_QUOTA_SYNC_MS,
        client: {
          list: async (coords, namespace) => (await manager.client.resource<KubeObject>(coords).inNamespace(namespace).list()).items,
          updateStatus: (quota) => api.inNamespace(quota.metadata.namespace ?? '').updateStatus(quota),
        },
      }));
  },
};
