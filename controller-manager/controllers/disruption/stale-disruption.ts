/**
 * The disruption controller's second loop (upstream syncStalePodDisruption): a pod that got the
 * `DisruptionTarget` condition (an eviction) but is still not being deleted two minutes later
 * has the condition set back to False, so controllers stop treating it as on its way out.
 * `staleDisruption` is the pure decision; the reconciler writes with server-side apply as the
 * field manager `DisruptionController`, forcing, at the pod's resourceVersion.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { isConflict, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import type { ReconcileRequest, Reconciler, Result } from '../../../pkg/runtime/index.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';

/** Upstream stalePodDisruptionTimeout. */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;

/** `none`: nothing to clean; `wait`: clean after `ms`; `clean`: set the condition False now. */
export type StaleDecision = { action: 'none' } | { action: 'wait'; ms: number } | { action: 'clean' };

export function staleDisruption(pod: DeepReadonly<Pod>, nowMs: number): StaleDecision {
  if (pod.metadata.deletionTimestamp) return { action: 'none' };
  const cond = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  if (cond?.status !== 'True') return { action: 'none' };
  const since = Date.parse(cond.lastTransitionTime ?? '');
  const ms = (Number.isNaN(since) ? nowMs : since) + STALE_POD_DISRUPTION_TIMEOUT_MS - nowMs;
  return ms > 0 ? { action: 'wait', ms } : { action: 'clean' };
}

export class StaleDisruptionReconciler implements Reconciler {
  constructor(private readonly deps: { client: Client; pods: Lister<Pod>; clock: Clock }) {}

  async reconcile(req: ReconcileRequest): Promise<Result | void> {
    const pod = this.deps.pods.get(`${req.namespace}/${req.name}`);
    if (!pod) return;
    const decision = staleDisruption(pod, this.deps.clock.now());
    if (decision.action === 'wait') return { requeueAfterMs: decision.ms };
    if (decision.action === 'none') return;
    const now = new Date(this.deps.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const apply = { apiVersion: 'v1', kind: 'Pod', metadata: { name: req.name, namespace: req.namespace, resourceVersion: pod.metadata.resourceVersion }, status: { conditions: [{ type: 'DisruptionTarget', status: 'False', lastTransitionTime: now }] } };
    try {
      await this.deps.client.pods.inNamespace(req.namespace).patch(req.name, apply, { type: 'apply', subresource: 'status', fieldManager: 'DisruptionController', force: true });
    } catch (err) {
      // Gone, or changed meanwhile: the next event for the pod decides again.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}
