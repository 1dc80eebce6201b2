/**
 * Provisions volumes for claims the binder handed to `k8ts.io/hostpath` (the external
 * provisioner library's claim loop): events `Provisioning` "External provisioner is provisioning
 * volume for claim "ns/name"", then `ProvisioningSucceeded` "Successfully provisioned volume
 * pvc-…", or `ProvisioningFailed` "failed to provision volume with StorageClass "x": …" (and a
 * retry with back-off). The binder then binds the pre-bound volume. The directory itself is
 * created by the kubelet when a pod mounts it (`DirectoryOrCreate`).
 */
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import { BUILTIN_COORDINATES as C, type Client } from '../../../pkg/client/index.ts';
import { isAlreadyExists } from '../../../pkg/errors/index.ts';
import type { Lister } from '../../../pkg/informer/index.ts';
import type { EventRecorder, ReconcileContext, ReconcileRequest, Reconciler } from '../../../pkg/runtime/index.ts';
import { ANN_SELECTED_NODE, claimClass } from '../../../pkg/volume/claims.ts';
import { claimRef } from '../persistentvolume/writes.ts';
import { baseDir, hostnameOf, newVolume, provisionedVolumeName, shouldProvision } from './volume.ts';

/** Dependencies of {@link ProvisionReconciler}. */
export interface ProvisionReconcilerDeps {
  client: Client;
  claims: Lister<PersistentVolumeClaim>;
  volumes: Lister<PersistentVolume>;
  classes: Lister<StorageClass>;
  nodes: Lister<Node>;
  recorder: EventRecorder;
  /** `--hostpath-provisioner-dir`. */
  baseDir?: string;
}

/** Level-based: creates the volume only when none of that name is cached; a failed create is thrown (back-off). */
export class ProvisionReconciler implements Reconciler {
  constructor(private readonly deps: ProvisionReconcilerDeps) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<void> {
    const { deps } = this;
    const claim = deps.claims.get(`${req.namespace}/${req.name}`);
    if (!claim) return;
    const className = claimClass(claim);
    const klass = deps.classes.get(className);
    if (!shouldProvision(claim, klass) || !klass) return;
    const name = provisionedVolumeName(claim);
    if (deps.volumes.get(name)) return;
    const ref = claimRef(claim);
    deps.recorder.event(ref, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${req.namespace}/${req.name}"`);
    const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    const volume = newVolume({ claim, klass, base: baseDir(klass, deps.baseDir), hostname: selected ? hostnameOf(selected, deps.nodes.get(selected)) : undefined });
    try {
      await deps.client.resource<PersistentVolume>(C.persistentVolumes).create(volume);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        deps.recorder.event(ref, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${className}": ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
    }
    ctx.log.info({ claim: `${req.namespace}/${req.name}`, volume: name, path: volume.spec?.hostPath?.path }, 'provisioned volume');
    deps.recorder.event(ref, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
  }
}
