/**
 * How the `k8ts.io/hostpath` provisioner deletes a volume, pure (modelled on rancher's
 * local-path-provisioner teardown): a pod `helper-pod-delete-<pv>` in `kube-system` on the
 * volume's node (`nodeName` from its `kubernetes.io/hostname` node affinity; none → any node),
 * image `busybox`, restartPolicy Never, tolerating every taint, mounting the base directory and
 * removing exactly the volume's directory. Only volumes this provisioner made, Released, with
 * reclaim policy Delete and a path of the shape it creates are deleted.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { ANN_DYNAMICALLY_PROVISIONED, type PV } from '../../../pkg/volume/claims.ts';
import { HOSTNAME_LABEL, HOSTPATH_PROVISIONER } from './volume.ts';

export const HELPER_NAMESPACE = 'kube-system';
export const HELPER_PREFIX = 'helper-pod-delete-';
export const HELPER_LABEL = 'k8ts.io/hostpath-provisioner-helper';
export const HELPER_IMAGE = 'busybox';

/** The lib's shouldDelete: ours, Released, Delete policy, not already being deleted. */
export function shouldDelete(volume: PV): boolean {
  return volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] === HOSTPATH_PROVISIONER && volume.status?.phase === 'Released' && volume.spec?.persistentVolumeReclaimPolicy === 'Delete' && !volume.metadata.deletionTimestamp;
}

export const helperPodName = (volumeName: string): string => `${HELPER_PREFIX}${volumeName}`;

/** The volume a helper pod works for, or undefined when the pod is not a helper pod. */
export function volumeOfHelper(pod: { metadata: { name?: string; namespace?: string } }): string | undefined {
  const name = pod.metadata.name ?? '';
  return pod.metadata.namespace === HELPER_NAMESPACE && name.startsWith(HELPER_PREFIX) ? name.slice(HELPER_PREFIX.length) : undefined;
}

/** The node the volume lives on (the single `kubernetes.io/hostname In [x]` value), if any. */
export function nodeOfVolume(volume: PV): string | undefined {
  for (const term of volume.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const e of term.matchExpressions ?? []) if (e.key === HOSTNAME_LABEL && e.operator === 'In' && e.values?.length === 1) return e.values[0];
  }
  return undefined;
}

/** `<base>` and `<dir>` of the volume's path when it has the shape this provisioner creates (`/…/pvc-…`). */
export function splitVolumePath(volume: PV): { base: string; dir: string } | undefined {
  const path = volume.spec?.hostPath?.path ?? '';
  const slash = path.lastIndexOf('/');
  if (!path.startsWith('/') || slash < 0) return undefined;
  const dir = path.slice(slash + 1);
  if (!dir.startsWith('pvc-') || dir.includes('..')) return undefined;
  return { base: path.slice(0, slash) || '/', dir };
}

/** The helper pod removing the volume's directory (undefined when the path is not one of ours). */
export function helperPod(volume: PV): Pod | undefined {
  const parts = splitVolumePath(volume);
  if (!parts) return undefined;
  const node = nodeOfVolume(volume);
  const target = `${parts.base === '/' ? '' : parts.base}/${parts.dir}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: helperPodName(volume.metadata.name as string), namespace: HELPER_NAMESPACE, labels: { [HELPER_LABEL]: 'delete' } },
    spec: {
      ...(node ? { nodeName: node } : {}),
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      tolerations: [{ operator: 'Exists' }],
      containers: [{ name: 'helper-pod', image: HELPER_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['rm', '-rf', target], volumeMounts: [{ name: 'data', mountPath: parts.base }] }],
      volumes: [{ name: 'data', hostPath: { path: parts.base, type: 'DirectoryOrCreate' } }],
    },
  } as Pod;
}
