/**
 * The `job` controller: Jobs and their pods (owned by controller reference, or orphans matching a
 * Job's selector), plus the clean-up of tracking finalizers on pods no Job counts any more.
 */
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { deletedObject, type DeepReadonly } from '../../../pkg/informer/index.ts';
import { childRequests, controllerKeyOf, controllerRefOf, type ControllerKind, ensureControllerUidIndex, newControllerBuilder } from '../../../pkg/runtime/index.ts';
import { Expectations } from '../replicaset/expectations.ts';
import type { ControllerDescriptor } from '../types.ts';
import { DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS } from './backoff.ts';
import { FinalizerExpectations } from './finalizer-expectations.ts';
import { JobReconciler } from './job-reconciler.ts';
import { OrphanPodReconciler } from './orphan-pods.ts';
import { hasTrackingFinalizer } from './pods.ts';

export const jobController: ControllerDescriptor = {
  name: 'job',
  enabledByDefault: true,
  register({ manager, settings }) {
    const jobs = manager.lister<Job>(C.jobs);
    const pods = manager.lister<Pod>(C.pods);
    const expectations = new Expectations(manager.clock);
    const finalizerExpectations = new FinalizerExpectations();
    const type: ControllerKind = { group: 'batch', kind: 'Job' };
    const ownerKey = (child: DeepReadonly<KubeObject>) => controllerKeyOf(type, child);
    const podInformer = manager.informer<Pod>(C.pods);
    ensureControllerUidIndex(podInformer);
    // Expectations are lowered by what the cache observes (never acted on here).
    podInformer.addEventHandler({
      onAdd: (pod) => {
        const key = ownerKey(pod);
        if (key) expectations.creationObserved(key);
      },
      onUpdate: (old, pod) => {
        const key = ownerKey(pod);
        if (!key) return;
        if (!hasTrackingFinalizer(pod)) finalizerExpectations.observed(key, pod.metadata.uid as string);
        // As upstream: a pod marked for (graceful) deletion counts as deleted for the expectations.
        if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) expectations.deletionObserved(key);
      },
      onDelete: (obj) => {
        const pod = deletedObject(obj);
        const key = ownerKey(pod);
        if (!key) return;
        if (!pod.metadata.deletionTimestamp) expectations.deletionObserved(key);
        finalizerExpectations.observed(key, pod.metadata.uid as string);
      },
    });
    const requestsForPod = childRequests(type, jobs, (job) => job.spec?.selector);
    newControllerBuilder(manager, 'job')
      .for(C.jobs)
      .watches<Pod>(C.pods, requestsForPod)
      .withMaxConcurrentReconciles(settings.concurrentSyncs.job ?? 5)
      .complete(new JobReconciler({
        client: manager.client,
        jobs,
        pods,
        expectations,
        finalizerExpectations,
        recorder: manager.eventRecorder('job-controller'),
        clock: manager.clock,
        podFailureBackoffMs: settings.jobPodFailureBackoffMs ?? DEFAULT_POD_FAILURE_BACKOFF_MS,
        maxPodFailureBackoffMs: MAX_POD_FAILURE_BACKOFF_MS,
      }));
    const withTrackingFinalizer = { create: hasTrackingFinalizer, update: (_o: DeepReadonly<Pod>, n: DeepReadonly<Pod>) => hasTrackingFinalizer(n), delete: () => false };
    newControllerBuilder(manager, 'job-orphan-pods')
      .for<Pod>(C.pods, { predicates: [withTrackingFinalizer] })
      .watches<Job>(C.jobs, (job) => pods.listInNamespace(job.metadata.namespace ?? '').filter((p) => hasTrackingFinalizer(p) && controllerRefOf(p)?.uid === job.metadata.uid).map((p) => ({ namespace: p.metadata.namespace ?? '', name: p.metadata.name as string })), { predicates: [{ create: () => false, update: (_o, n) => n.status?.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') ?? false }] })
      .complete(new OrphanPodReconciler({ client: manager.client, pods, jobs }));
  },
};
