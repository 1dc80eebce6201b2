/**
 * Admission plugin `DefaultStorageClass` (upstream plugin/pkg/admission/storage/storageclass/setdefault):
 * a PersistentVolumeClaim created without a class (no `spec.storageClassName`, not even `""`, and
 * no beta class annotation) gets the default StorageClass's name, when there is a default. Only
 * CREATE of the main resource.
 */
import type { AdmissionContext, AdmissionPlugin } from './types.ts';
import { namesStorageClass } from '../../pkg/api/core/v1/storage-rules.ts';
import { createStorageClassReader } from './storage-classes.ts';

export const DEFAULT_STORAGE_CLASS_PLUGIN = 'DefaultStorageClass';

export function createDefaultStorageClassPlugin(ctx: AdmissionContext): AdmissionPlugin {
  const classes = createStorageClassReader(ctx);
  return {
    name: DEFAULT_STORAGE_CLASS_PLUGIN,
    admit(attrs) {
      const pvc = attrs.object;
      if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.info.group !== '' || attrs.info.plural !== 'persistentvolumeclaims' || !pvc) return;
      if (namesStorageClass(pvc)) return;
      return classes.defaultClass().then((def) => {
        if (def?.metadata.name) ((pvc.spec ??= {}) as { storageClassName?: string }).storageClassName = def.metadata.name;
      });
    },
  };
}
