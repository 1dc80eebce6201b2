/**
 * What the `k8ts.io/hostpath` provisioner creates, pure (modelled on
 * sig-storage-lib-external-provisioner's shouldProvision/ProvisionClaimOperation and rancher's
 * local-path-provisioner Provision): the PersistentVolume `pvc-<claim uid>`, pre-bound to the
 * claim, a `hostPath` directory `<base>/pvc-<uid>_<namespace>_<claim>` (DirectoryOrCreate), and
 * for a claim the scheduler placed (`volume.kubernetes.io/selected-node`) node affinity to that
 * node's `kubernetes.io/hostname`.
 */
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimClass, type PVC } from '../../../pkg/volume/claims.ts';

/** The provisioner name classes use. */
export const HOSTPATH_PROVISIONER = 'k8ts.io/hostpath';
/** `--hostpath-provisioner-dir` default. */
export const DEFAULT_HOSTPATH_DIR = '/var/lib/k8ts/storage';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

type SC = StorageClass | DeepReadonly<StorageClass>;

/** Upstream getProvisionedVolumeNameForClaim. */
export const provisionedVolumeName = (claim: PVC): string => `pvc-${claim.metadata.uid}`;

/**
 * The lib's shouldProvision: unbound, not deleting, annotated for this provisioner, of a class of
 * this provisioner, and — for WaitForFirstConsumer — with a selected node.
 */
export function shouldProvision(claim: PVC, klass: SC | undefined): boolean {
  if (claim.spec?.volumeName || claim.metadata.deletionTimestamp) return false;
  const annotations = claim.metadata.annotations ?? {};
  const asked = annotations[ANN_STORAGE_PROVISIONER] ?? annotations[ANN_BETA_STORAGE_PROVISIONER];
  if (asked !== HOSTPATH_PROVISIONER || !klass || klass.provisioner !== HOSTPATH_PROVISIONER) return false;
  if (klass.volumeBindingMode === 'WaitForFirstConsumer') return annotations[ANN_SELECTED_NODE] !== undefined;
  return true;
}

/** The directory name of the claim's volume (rancher's `<pv>_<namespace>_<claim>`). */
export const volumeDirName = (claim: PVC): string => `${provisionedVolumeName(claim)}_${claim.metadata.namespace}_${claim.metadata.name}`;

/** The base directory: the class's `path` parameter, else the flag's. */
export function baseDir(klass: SC, flagDir: string | undefined): string {
  return (klass.parameters?.path || flagDir || DEFAULT_HOSTPATH_DIR).replace(/\/+$/, '') || '/';
}

/** The hostname value a selected node is known by (its label, else its name). */
export function hostnameOf(nodeName: string, node: Node | DeepReadonly<Node> | undefined): string {
  return node?.metadata.labels?.[HOSTNAME_LABEL] ?? nodeName;
}

/** The volume to create for `claim` of class `klass`. */
export function newVolume(options: { claim: PVC; klass: SC; base: string; hostname?: string }): PersistentVolume {
  const { claim, klass, base, hostname } = options;
  const spec: NonNullable<PersistentVolume['spec']> = {
    capacity: { storage: String(claim.spec?.resources?.requests?.storage ?? '0') },
    accessModes: copyJson((claim.spec?.accessModes ?? []) as string[]),
    persistentVolumeReclaimPolicy: klass.reclaimPolicy ?? 'Delete',
    storageClassName: claimClass(claim),
    volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    hostPath: { path: `${base === '/' ? '' : base}/${volumeDirName(claim)}`, type: 'DirectoryOrCreate' },
    claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion },
  };
  if (klass.mountOptions?.length) spec.mountOptions = [...klass.mountOptions];
  if (hostname) spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [hostname] }] }] } };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: provisionedVolumeName(claim), annotations: { [ANN_DYNAMICALLY_PROVISIONED]: HOSTPATH_PROVISIONER } },
    spec,
  } as PersistentVolume;
}
