/**
 * The default StorageClass `k8ts up` clusters get (as kind's `standard`): the built-in
 * `k8ts.io/hostpath` provisioner, reclaim policy Delete, WaitForFirstConsumer so each volume is
 * created on the node its first pod was scheduled to. An existing class of that name is kept.
 */
import type { StorageClass } from '../../pkg/api/storage/v1/storageclass.ts';
import { BUILTIN_COORDINATES as C, type Client } from '../../pkg/client/index.ts';
import { isAlreadyExists } from '../../pkg/errors/index.ts';

export const DEFAULT_STORAGE_CLASS: StorageClass = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'k8ts.io/hostpath',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
};

/** Creates the default class unless one named `standard` exists. */
export async function ensureDefaultStorageClass(client: Client): Promise<void> {
  await client
    .resource<StorageClass>(C.storageClasses)
    .create(structuredClone(DEFAULT_STORAGE_CLASS))
    .catch((err: unknown) => (isAlreadyExists(err) ? undefined : Promise.reject(err)));
}
