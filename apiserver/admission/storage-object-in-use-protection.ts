/**
 * Admission plugin `StorageObjectInUseProtection` (upstream plugin/pkg/admission/storage/storageobjectinuseprotection):
 * a PersistentVolumeClaim created gets the `kubernetes.io/pvc-protection` finalizer and a
 * PersistentVolume `kubernetes.io/pv-protection`, so neither goes away while in use (the
 * protection controllers remove them). CREATE of the main resource only; never twice.
 */
import type { AdmissionPlugin } from './types.ts';

export const STORAGE_OBJECT_IN_USE_PROTECTION_PLUGIN = 'StorageObjectInUseProtection';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

const FINALIZER_BY_PLURAL: Readonly<Record<string, string>> = {
  persistentvolumeclaims: PVC_PROTECTION_FINALIZER,
  persistentvolumes: PV_PROTECTION_FINALIZER,
};

export function createStorageObjectInUseProtectionPlugin(): AdmissionPlugin {
  return {
    name: STORAGE_OBJECT_IN_USE_PROTECTION_PLUGIN,
    admit(attrs) {
      const finalizer = attrs.info.group === '' ? FINALIZER_BY_PLURAL[attrs.info.plural] : undefined;
      if (!finalizer || attrs.operation !== 'CREATE' || attrs.subresource || !attrs.object) return;
      const meta = attrs.object.metadata;
      if (!meta.finalizers?.includes(finalizer)) meta.finalizers = [...(meta.finalizers ?? []), finalizer];
    },
  };
}
