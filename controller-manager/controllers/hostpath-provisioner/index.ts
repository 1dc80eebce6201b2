/**
 * The `hostpath-provisioner` controller: the built-in external provisioner `k8ts.io/hostpath`
 * (volumes are directories under `--hostpath-provisioner-dir` or the class's `path` parameter on
 * the node the scheduler picked). It serves claims the persistentvolume-binder annotated with its
 * name and deletes its Released volumes with reclaim policy Delete through helper pods in
 * `kube-system` (see helper-pod.ts).
 */
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { newControllerBuilder } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { DeleteReconciler } from './delete-reconciler.ts';
import { volumeOfHelper } from './helper-pod.ts';
import { ProvisionReconciler } from './provision-reconciler.ts';
import { HOSTPATH_PROVISIONER } from './volume.ts';

/** Workers per queue (the external-provisioner library's default thread count is 4; no flag here). */
const WORKERS = 4;

export const hostpathProvisionerController: ControllerDescriptor = {
  name: 'hostpath-provisioner',
  enabledByDefault: true,
  register({ manager, settings }) {
    const claims = manager.lister<PersistentVolumeClaim>(C.persistentVolumeClaims);
    const volumes = manager.lister<PersistentVolume>(C.persistentVolumes);
    const classes = manager.lister<StorageClass>(C.storageClasses);
    const nodes = manager.lister<Node>(C.nodes);
    const pods = manager.lister<Pod>(C.pods);
    // Events come from the provisioner's own identity, as an external provisioner's do.
    const recorder = manager.eventRecorder(HOSTPATH_PROVISIONER);
    newControllerBuilder(manager, 'hostpath-provisioner-claims')
      .for(C.persistentVolumeClaims)
      .withMaxConcurrentReconciles(WORKERS)
      .complete(new ProvisionReconciler({ client: manager.client, claims, volumes, classes, nodes, recorder, baseDir: settings.hostpathProvisionerDir }));
    newControllerBuilder(manager, 'hostpath-provisioner-volumes')
      .for(C.persistentVolumes)
      .watches<Pod>(C.pods, (pod) => {
        const volume = volumeOfHelper(pod);
        return volume ? [{ namespace: '', name: volume }] : [];
      })
      .withMaxConcurrentReconciles(WORKERS)
      .complete(new DeleteReconciler({ client: manager.client, volumes, pods, recorder }));
  },
};
