/**
 * Removes the `batch.kubernetes.io/job-tracking` finalizer from pods no running Job will count
 * any more (upstream job controller's orphan queue, syncOrphanPod): pods without a controller,
 * pods whose Job is gone or finished. Pods of a Job managed by another controller are left alone.
 */
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { Lister } from '../../../pkg/informer/index.ts';
import { controllerRefOf, type ReconcileRequest, type Reconciler } from '../../../pkg/runtime/index.ts';
import { isJobFinished } from './conditions.ts';
import { hasTrackingFinalizer, type J, type P } from './pods.ts';

/** Whether the pod's tracking finalizer should go: no live, unfinished, self-managed Job controls it. Pure. */
export function shouldReleaseTrackingFinalizer(pod: P, job: J | undefined): boolean {
  if (!hasTrackingFinalizer(pod)) return false;
  const ref = controllerRefOf(pod);
  if (ref && (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1')) return false;
  if (!ref || !job || job.metadata.uid !== ref.uid) return true;
  const managedBy = job.spec?.managedBy;
  if (managedBy !== undefined && managedBy !== 'kubernetes.io/job-controller') return false;
  return isJobFinished(job);
}

/** Reconciles one pod: removes its tracking finalizer when {@link shouldReleaseTrackingFinalizer} says so. */
export class OrphanPodReconciler implements Reconciler {
  constructor(private readonly deps: { client: Client; pods: Lister<Pod>; jobs: Lister<Job> }) {}

  async reconcile(req: ReconcileRequest): Promise<void> {
    const pod = this.deps.pods.get(`${req.namespace}/${req.name}`);
    if (!pod) return;
    const ref = controllerRefOf(pod);
    const job = ref ? this.deps.jobs.get(`${req.namespace}/${ref.name}`) : undefined;
    if (!shouldReleaseTrackingFinalizer(pod, job)) return;
    try {
      await this.deps.client.pods.inNamespace(req.namespace).patch(req.name, { metadata: { '$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking'] } }, { type: 'strategic' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
