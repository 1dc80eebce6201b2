/**
 * The `namespace` controller (upstream `NamespacedResourcesDeleter`): a namespace being deleted
 * is emptied — every namespaced built-in resource in it deleted — while its status conditions
 * say what remains and which finalizers hold it (see `deletion-conditions.ts`); once empty, the
 * `kubernetes` finalizer is removed through `/finalize` and the API server deletes the namespace. Custom resources of established CRDs
 * are emptied too, before the built-in kinds.
 */
import type { Namespace } from '../../../pkg/api/core/v1/namespace.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { isTerminalPodPhase } from '../../../pkg/api/core/v1/pod-status.ts';
import { jsonEqual } from '../../../pkg/util/json-equal.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { builtinResources } from '../../../pkg/api/builtin.ts';
import { BUILTIN_COORDINATES as C, type ResourceCoordinates } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import { newControllerBuilder, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';
import type { CustomResourceDefinition } from '../../../pkg/api/apiextensions/v1/customresourcedefinition.ts';
import { CRD_COORDINATES, customResourceCoordinates } from '../custom-resources.ts';
import { deletionConditions, remainingResourceName } from './deletion-conditions.ts';

/** Kinds emptied after every other: pods (their controllers are gone by then), then events. */
const EMPTIED_LAST = ['pods', 'events'];

/**
 * The namespaced built-in resources a namespace is emptied of, from the API's own kind list (as
 * upstream discovers them): stored kinds only (no review kinds, no legacy versions converted to
 * another, no create-only subresource kinds such as Binding) in the API's order, pods last-but-one
 * and events last.
 */
export const NAMESPACED_RESOURCES: readonly ResourceCoordinates[] = builtinResources()
  .filter((r) => r.namespaced && !r.review && !r.conversion && r.verbs.includes('delete'))
  .map((r): ResourceCoordinates => ({ group: r.group, version: r.version, plural: r.plural, namespaced: true, kind: r.kind }))
  .sort((a, b) => EMPTIED_LAST.indexOf(a.plural) - EMPTIED_LAST.indexOf(b.plural));

/** Upstream's `finalizerEstimateSeconds`: how long a finalizer is given before the content is looked at again. */
const FINALIZER_ESTIMATE_SECONDS = 15;

/**
 * Upstream `estimateGracefulTerminationForPods`: the longest termination grace period of the
 * pods not yet terminal, or 0 once that long has passed since the namespace's deletion. Pure.
 */
export function podsGraceSeconds(pods: readonly Pod[], deletedAtMs: number, nowMs: number): number {
  const active = pods.filter((p) => !isTerminalPodPhase(p.status?.phase));
  const grace = Math.max(0, ...active.map((p) => p.spec?.terminationGracePeriodSeconds ?? 0));
  return nowMs - deletedAtMs >= grace * 1000 ? 0 : grace;
}

/** Upstream's GroupVersionResource string (`/v1, Resource=pods`). */
const gvrString = (c: ResourceCoordinates) => `${c.group}/${c.version}, Resource=${c.plural}`;

const ignoreGone = (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err));

export const namespaceController: ControllerDescriptor = {
  name: 'namespace',
  enabledByDefault: true,
  register({ manager, settings }) {
    const client = manager.client;
    const crds = manager.lister<CustomResourceDefinition>(CRD_COORDINATES);
    const customResources = () => crds.list().map(customResourceCoordinates).filter((c): c is ResourceCoordinates => c !== undefined && c.namespaced);
    newControllerBuilder(manager, 'namespace')
      .for<Namespace>(C.namespaces)
      .withMaxConcurrentReconciles(settings.concurrentSyncs.namespace ?? 10)
      .complete({
        async reconcile(req: ReconcileRequest) {
          let ns: Namespace;
          try {
            ns = await client.namespaces.get(req.name);
          } catch (err) {
            if (isNotFound(err)) return;
            throw err;
          }
          if (!ns.metadata.deletionTimestamp) return;
          const deletedAt = Date.parse(ns.metadata.deletionTimestamp);
          const nowMs = manager.clock.now();
          const remaining: Array<[string, number]> = [];
          const finalizerCounts = new Map<string, number>();
          const unexpected: string[] = [];
          let estimateSeconds = 0;
          for (const coords of [...customResources(), ...NAMESPACED_RESOURCES]) {
            const api = client.resource<KubeObject>(coords).inNamespace(req.name);
            const list = async () => (await api.list().catch((err) => (isNotFound(err) ? { items: [] } : Promise.reject(err)))).items;
            for (const item of (await list()).filter((i) => !i.metadata.deletionTimestamp)) {
              await api.delete(item.metadata.name as string, { preconditions: { uid: item.metadata.uid } }).catch(ignoreGone);
            }
            const left = await list();
            if (!left.length) continue;
            remaining.push([remainingResourceName(coords.plural, coords.group), left.length]);
            for (const item of left) for (const f of item.metadata.finalizers ?? []) finalizerCounts.set(f, (finalizerCounts.get(f) ?? 0) + 1);
            // Upstream's estimate: pods' grace period while it has not passed since the namespace's
            // deletion, else a finalizer's 15 s; else the items should have gone.
            const grace = coords.plural === 'pods' && !coords.group ? podsGraceSeconds(left as Pod[], deletedAt, nowMs) : 0;
            if (grace > 0) estimateSeconds = Math.max(estimateSeconds, grace);
            else if (left.some((i) => i.metadata.finalizers?.length)) estimateSeconds = Math.max(estimateSeconds, FINALIZER_ESTIMATE_SECONDS);
            else unexpected.push(gvrString(coords));
          }
          const old = ns.status?.conditions ?? [];
          const conditions = deletionConditions(req.name, old, { remaining, finalizers: finalizerCounts, unexpected }, rfc3339(nowMs));
          if (!jsonEqual(conditions, old)) {
            await client.namespaces.patch(req.name, { status: { conditions } }, { type: 'merge', subresource: 'status' }).catch(ignoreGone);
          }
          // Upstream requeues after half the estimate plus a second (at once after a failure).
          if (remaining.length) return { requeueAfterMs: unexpected.length ? 1000 : (Math.floor(estimateSeconds / 2) + 1) * 1000 };
          const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== 'kubernetes');
          await client.namespaces.subresource(req.name, 'finalize', { method: 'PUT', body: { ...ns, spec: { ...ns.spec, finalizers } } }).catch(ignoreGone);
          // Finalized: delete again and the server removes it (upstream `deleteNamespaceWhenDone`).
          if (!finalizers.length) await client.namespaces.delete(req.name, { preconditions: { uid: ns.metadata.uid } }).catch(ignoreGone);
        },
      });
  },
};
