/**
 * The `ttl-after-finished` controller: deletes finished Jobs `ttlSecondsAfterFinished` after they
 * finished (foreground propagation, uid precondition, after a fresh read from the API server as
 * upstream), requeueing each Job until its time comes.
 */
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import { BUILTIN_COORDINATES as C, type Client } from '../../../pkg/client/index.ts';
import { isConflict, isNotFound } from '../../../pkg/errors/index.ts';
import type { Lister } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, type ReconcileContext, type ReconcileRequest, type Reconciler, type Result } from '../../../pkg/runtime/index.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { decideTtl } from './decide.ts';

/** Level-based: waits (`{ requeueAfterMs }`) until a finished Job expires, then deletes it; errors are retried. */
export class TtlAfterFinishedReconciler implements Reconciler {
  constructor(private readonly deps: { client: Client; jobs: Lister<Job>; clock: Clock }) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const cached = this.deps.jobs.get(`${req.namespace}/${req.name}`);
    if (!cached) return;
    const first = decideTtl(cached, this.deps.clock.now());
    if (first.action === 'wait') return { requeueAfterMs: first.ms };
    if (first.action === 'ignore') return;
    // The cache may be stale (TTL changed, Job recreated): decide again on a fresh read.
    const api = this.deps.client.jobs.inNamespace(req.namespace);
    let fresh: Job;
    try {
      fresh = await api.get(req.name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const decision = decideTtl(fresh, this.deps.clock.now());
    if (decision.action === 'wait') return { requeueAfterMs: decision.ms };
    if (decision.action === 'ignore') return;
    ctx.log.info({ job: `${req.namespace}/${req.name}` }, 'cleaning up finished job');
    try {
      await api.delete(req.name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}

export const ttlAfterFinishedController: ControllerDescriptor = {
  name: 'ttl-after-finished',
  enabledByDefault: true,
  register({ manager, settings }) {
    newControllerBuilder(manager, 'ttl-after-finished')
      .for(C.jobs)
      .withMaxConcurrentReconciles(settings.concurrentSyncs['ttl-after-finished'] ?? 5)
      .complete(new TtlAfterFinishedReconciler({ client: manager.client, jobs: manager.lister<Job>(C.jobs), clock: manager.clock }));
  },
};
