/**
 * Deletes Released `k8ts.io/hostpath` volumes with reclaim policy Delete through a helper pod
 * (see helper-pod.ts): creates it, waits for it to finish, then deletes the PersistentVolume and
 * the pod. A Failed helper pod is reported as `VolumeFailedDelete` on the volume, removed, and the
 * deletion retried with the queue's back-off. A helper pod whose volume no longer needs deleting
 * is removed.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import { BUILTIN_COORDINATES as C, type Client } from '../../../pkg/client/index.ts';
import { isAlreadyExists, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import type { EventRecorder, ReconcileContext, ReconcileRequest, Reconciler } from '../../../pkg/runtime/index.ts';
import { volumeRef } from '../persistentvolume/writes.ts';
import { HELPER_NAMESPACE, helperPod, helperPodName, shouldDelete } from './helper-pod.ts';

/** Dependencies of {@link DeleteReconciler}. */
export interface DeleteReconcilerDeps {
  client: Client;
  volumes: Lister<PersistentVolume>;
  pods: Lister<Pod>;
  recorder: EventRecorder;
}

const ignoreNotFound = (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err));

/** Level-based: one step per call (start, wait, finish, report); a failed helper is thrown (back-off). */
export class DeleteReconciler implements Reconciler {
  constructor(private readonly deps: DeleteReconcilerDeps) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<void> {
    const { deps } = this;
    const volume = deps.volumes.get(req.name);
    const podName = helperPodName(req.name);
    const pod = deps.pods.get(`${HELPER_NAMESPACE}/${podName}`);
    const podApi = deps.client.pods.inNamespace(HELPER_NAMESPACE);
    if (!volume || !shouldDelete(volume)) {
      if (pod) await podApi.delete(podName, { preconditions: { uid: pod.metadata.uid } }).catch(ignoreNotFound);
      return;
    }
    if (!pod) {
      await this.startHelper(volume, ctx);
      return;
    }
    if (pod.metadata.deletionTimestamp) return;
    if (pod.status?.phase === 'Succeeded') {
      await deps.client.resource<PersistentVolume>(C.persistentVolumes).delete(req.name, { preconditions: { uid: volume.metadata.uid } }).catch(ignoreNotFound);
      await podApi.delete(podName, { preconditions: { uid: pod.metadata.uid } }).catch(ignoreNotFound);
      ctx.log.info({ volume: req.name, path: volume.spec?.hostPath?.path }, 'deleted volume');
      return;
    }
    if (pod.status?.phase === 'Failed') {
      const message = `failed to delete volume ${req.name}: helper pod ${HELPER_NAMESPACE}/${podName} failed`;
      deps.recorder.event(volumeRef(volume), 'Warning', 'VolumeFailedDelete', message);
      await podApi.delete(podName, { preconditions: { uid: pod.metadata.uid } }).catch(ignoreNotFound);
      throw new Error(message);
    }
  }

  private async startHelper(volume: DeepReadonly<PersistentVolume>, ctx: ReconcileContext): Promise<void> {
    const pod = helperPod(volume);
    if (!pod) {
      const message = `failed to delete volume ${volume.metadata.name}: path ${JSON.stringify(volume.spec?.hostPath?.path ?? '')} was not created by k8ts.io/hostpath`;
      this.deps.recorder.event(volumeRef(volume), 'Warning', 'VolumeFailedDelete', message);
      return;
    }
    try {
      await this.deps.client.pods.inNamespace(HELPER_NAMESPACE).create(pod);
      ctx.log.info({ volume: volume.metadata.name, pod: pod.metadata.name, node: pod.spec?.nodeName }, 'started helper pod to delete volume');
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
