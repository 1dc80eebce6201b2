/** Builders of claims, volumes and classes for the storage controllers' tests. */
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';

export function pv(name: string, opts: { size?: string; modes?: string[]; class?: string; phase?: string; labels?: Record<string, string>; claimRef?: Record<string, string>; policy?: string; annotations?: Record<string, string> } = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(opts.labels ? { labels: opts.labels } : {}), ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      capacity: { storage: opts.size ?? '1Gi' },
      accessModes: opts.modes ?? ['ReadWriteOnce'],
      hostPath: { path: `/tmp/${name}` },
      persistentVolumeReclaimPolicy: opts.policy ?? 'Retain',
      ...(opts.class !== undefined ? { storageClassName: opts.class } : {}),
      ...(opts.claimRef ? { claimRef: opts.claimRef } : {}),
    },
    ...(opts.phase ? { status: { phase: opts.phase } } : {}),
  } as PersistentVolume;
}

export function pvc(name: string, opts: { size?: string; modes?: string[]; class?: string; volumeName?: string; namespace?: string; uid?: string; selector?: Record<string, string>; annotations?: Record<string, string> } = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: opts.namespace ?? 'ns', ...(opts.uid ? { uid: opts.uid } : {}), ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      accessModes: opts.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: opts.size ?? '1Gi' } },
      ...(opts.class !== undefined ? { storageClassName: opts.class } : {}),
      ...(opts.volumeName ? { volumeName: opts.volumeName } : {}),
      ...(opts.selector ? { selector: { matchLabels: opts.selector } } : {}),
    },
  } as PersistentVolumeClaim;
}

export function storageClass(name: string, opts: { provisioner?: string; mode?: string; policy?: string; parameters?: Record<string, string>; isDefault?: boolean; mountOptions?: string[] } = {}): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, ...(opts.isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    provisioner: opts.provisioner ?? 'k8ts.io/hostpath',
    reclaimPolicy: opts.policy ?? 'Delete',
    volumeBindingMode: opts.mode ?? 'Immediate',
    ...(opts.parameters ? { parameters: opts.parameters } : {}),
    ...(opts.mountOptions ? { mountOptions: opts.mountOptions } : {}),
  } as StorageClass;
}
