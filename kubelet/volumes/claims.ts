/**
 * `persistentVolumeClaim` and generic `ephemeral` pod volumes → the PV behind the claim → a
 * plan (upstream desired_state_of_world_populator createVolumeSpec / getPVCExtractPV / getPVSpec,
 * and the hostPath and local volume plugins). Failures carry upstream's texts; the pod worker
 * reports them as `Unable to attach or mount volumes: …` and retries on its next sync. Pure: the
 * caller fetches the claim and the PV first.
 */
import type { PersistentVolume } from '../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { claimNotForPod } from '../../pkg/volume/pod-claims.ts';
import { planVolume, VolumeError, type VolumePlan, type VolumeSources } from './content.ts';

type Volume = NonNullable<NonNullable<Pod['spec']>['volumes']>[number];

/** The claim a pod volume refers to (`<pod>-<volume>` for generic ephemeral volumes). */
export interface ClaimRef {
  claimName: string;
  ephemeral: boolean;
  readOnly: boolean;
}

export function claimRefOf(pod: Pod, volume: Volume): ClaimRef | undefined {
  if (volume.persistentVolumeClaim) return { claimName: volume.persistentVolumeClaim.claimName ?? '', ephemeral: false, readOnly: volume.persistentVolumeClaim.readOnly ?? false };
  if (volume.ephemeral) return { claimName: `${pod.metadata.name ?? ''}-${volume.name}`, ephemeral: true, readOnly: false };
  return undefined;
}

/** What the kubelet read for one claim volume: the objects, or the API errors' messages. */
export interface ClaimFetch {
  claim?: PersistentVolumeClaim;
  claimError?: string;
  volume?: PersistentVolume;
  volumeError?: string;
}

/** A claim volume that cannot be processed yet (upstream DSWP pod error); `message` is upstream's. */
export class ClaimVolumeError extends Error {
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Upstream's FailedMount text for volumes the populator could not process:
 * `Unable to attach or mount volumes: unmounted volumes=[a b], unattached volumes=[],
 * failed to process volumes=[a b]: <errors joined by "; ">`.
 */
export function unprocessedVolumesMessage(errors: readonly ClaimVolumeError[]): string {
  const names = errors.map((e) => e.volume).sort().join(' ');
  return `Unable to attach or mount volumes: unmounted volumes=[${names}], unattached volumes=[], failed to process volumes=[${names}]: ${errors.map((e) => e.message).join('; ')}`;
}

/** The PV sources that name a plugin (for the unsupported-type error). */
const SOURCE_KEYS = ['nfs', 'csi', 'iscsi', 'rbd', 'cephfs', 'fc', 'glusterfs', 'cinder', 'gcePersistentDisk', 'awsElasticBlockStore', 'azureDisk', 'azureFile', 'vsphereVolume', 'flexVolume', 'flocker', 'quobyte', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'] as const;

/**
 * The plan for a claim volume. Throws {@link ClaimVolumeError} while the claim is missing,
 * being deleted (without the pvc-protection finalizer's guard), unbound, not owned by the pod
 * (ephemeral), or its PV is missing or not bound to it. A `hostPath` PV plans as a host path
 * with its type check, a `local` PV as a path that must exist; other sources plan as
 * unsupported. The plan is read-only when the pod volume says `readOnly` (upstream passes the
 * claim source's readOnly to the PV's mounter; access modes are not enforced). Errors of the
 * volume itself name the PV, as upstream's operation messages do.
 */
export function claimVolumePlan(pod: Pod, volume: Volume, fetched: ClaimFetch): VolumePlan {
  const ref = claimRefOf(pod, volume);
  if (!ref) throw new Error(`volume "${volume.name}" is not a claim volume`);
  const ns = pod.metadata.namespace ?? '';
  const fail = (why: string): never => {
    throw new ClaimVolumeError(volume.name, `error processing PVC ${ns}/${ref.claimName}: ${why}`);
  };
  const claim = fetched.claim;
  if (!claim) return fail(`failed to fetch PVC from API server: ${fetched.claimError ?? `persistentvolumeclaims "${ref.claimName}" not found`}`);
  if (claim.metadata.deletionTimestamp && !(claim.metadata.finalizers ?? []).includes('kubernetes.io/pvc-protection')) fail('PVC is being deleted');
  if (claim.status?.phase !== 'Bound') fail('PVC is not bound');
  const pvName = claim.spec?.volumeName ?? '';
  if (!pvName) fail('PVC has empty pvc.Spec.VolumeName');
  if (ref.ephemeral) {
    const err = claimNotForPod(pod, claim);
    if (err) throw new ClaimVolumeError(volume.name, err);
  }
  const pv = fetched.volume;
  if (!pv) return fail(`failed to fetch PV ${pvName} from API server: ${fetched.volumeError ?? `persistentvolumes "${pvName}" not found`}`);
  const claimRef = pv.spec?.claimRef;
  if (!claimRef) fail(`found PV object ${pvName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`);
  if ((claimRef!.uid ?? '') !== (claim.metadata.uid ?? '')) fail(`found PV object ${pvName} but its pv.Spec.ClaimRef.UID ${claimRef!.uid ?? ''} does not point to claim.UID ${claim.metadata.uid ?? ''}`);
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== 'Filesystem') throw new ClaimVolumeError(volume.name, `volume ${volume.name} has volumeMode ${pv.spec?.volumeMode}, but is specified in volumeMounts`);
  const label = pvName;
  if (pv.spec?.hostPath) return { kind: 'hostPath', name: volume.name, path: pv.spec.hostPath.path, type: pv.spec.hostPath.type ?? '', readOnly: ref.readOnly, label };
  if (pv.spec?.local) return { kind: 'local', name: volume.name, path: pv.spec.local.path, readOnly: ref.readOnly, label };
  const source = SOURCE_KEYS.find((k) => pv.spec?.[k] !== undefined) ?? 'unknown';
  return { kind: 'unsupported', name: volume.name, plugin: source, label };
}

/** Upstream's error when a `local` PV's path is not a usable directory. */
export function localPathError(label: string, path: string, kind: 'missing' | 'not-directory'): VolumeError {
  const why = kind === 'missing' ? `path "${path}" does not exist` : 'only directory and block device are supported';
  return new VolumeError(label, `MountVolume.NewMounter initialization failed for volume "${label}" : ${why}`, true);
}

/** The FailedMount error for claim volumes that could not be processed (reported like any {@link VolumeError}). */
export class UnprocessedVolumesError extends VolumeError {
  constructor(readonly errors: readonly ClaimVolumeError[]) {
    super(errors[0]?.volume ?? '', unprocessedVolumesMessage(errors), true);
  }
}

/**
 * Plans every volume of `pod`: claim volumes from `claims` (by pod volume name), the others with
 * {@link planVolume}. Claim errors are gathered into one {@link UnprocessedVolumesError}.
 */
export function planPodVolumes(pod: Pod, sources: VolumeSources, claims: ReadonlyMap<string, ClaimFetch>): VolumePlan[] {
  const errors: ClaimVolumeError[] = [];
  const plans: VolumePlan[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (!claimRefOf(pod, v)) {
      plans.push(planVolume(pod, v, sources));
      continue;
    }
    try {
      plans.push(claimVolumePlan(pod, v, claims.get(v.name) ?? {}));
    } catch (err) {
      if (!(err instanceof ClaimVolumeError)) throw err;
      errors.push(err);
    }
  }
  if (errors.length > 0) throw new UnprocessedVolumesError(errors);
  return plans;
}
