/**
 * Admission plugin `PersistentVolumeClaimResize` (upstream plugin/pkg/admission/storage/persistentvolume/resize):
 * an update that grows a claim's `spec.resources.requests.storage` is allowed only for a bound
 * claim whose class (unchanged by the update) has `allowVolumeExpansion: true`; otherwise 403
 * with upstream's message. Validating phase, main resource only.
 */
import { compareQuantity } from '../../pkg/api/quantity.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { forbidden } from '../../pkg/errors/index.ts';
import { storageClassNameOf } from '../../pkg/api/core/v1/storage-rules.ts';
import { createStorageClassReader } from './storage-classes.ts';
import type { AdmissionContext, AdmissionPlugin } from './types.ts';

export const PVC_RESIZE_PLUGIN = 'PersistentVolumeClaimResize';
export const ONLY_BOUND_MESSAGE = 'Only bound persistent volume claims can be expanded';
export const NOT_EXPANDABLE_MESSAGE = 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize';

function requestedStorage(pvc: KubeObject): string | number {
  return (pvc.spec as { resources?: { requests?: Record<string, string | number> } } | undefined)?.resources?.requests?.storage ?? 0;
}

export function createPersistentVolumeClaimResizePlugin(ctx: AdmissionContext): AdmissionPlugin {
  const classes = createStorageClassReader(ctx);
  const refuse = (name: string, why: string) => forbidden({ group: '', resource: 'persistentvolumeclaims' }, name, why);
  return {
    name: PVC_RESIZE_PLUGIN,
    validate(attrs) {
      const { object: pvc, oldObject: old } = attrs;
      if (attrs.operation !== 'UPDATE' || attrs.subresource || attrs.info.group !== '' || attrs.info.plural !== 'persistentvolumeclaims' || !pvc || !old) return;
      if (compareQuantity(requestedStorage(pvc), requestedStorage(old)) <= 0) return;
      if ((old.status as { phase?: string } | undefined)?.phase !== 'Bound') throw refuse(attrs.name, ONLY_BOUND_MESSAGE);
      const className = storageClassNameOf(pvc);
      if (!className || className !== storageClassNameOf(old)) throw refuse(attrs.name, NOT_EXPANDABLE_MESSAGE);
      return classes.get(className).then((sc) => {
        if ((sc as { allowVolumeExpansion?: boolean } | undefined)?.allowVolumeExpansion !== true) throw refuse(attrs.name, NOT_EXPANDABLE_MESSAGE);
      });
    },
  };
}
