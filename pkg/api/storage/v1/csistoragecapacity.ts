/**
 * storage.k8s.io/v1 CSIStorageCapacity (namespaced): one CSI GetCapacity answer — how much a
 * StorageClass can still provision (`capacity`, `maximumVolumeSize`) on the nodes a label
 * selector picks (`nodeTopology`). The scheduler reads them for drivers with
 * `storageCapacity: true`. The class and the topology never change after creation.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject, LabelSelectorSchema, QuantitySchema } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { validateClassName } from '../../core/v1/storage-rules.ts';
import { labelSelectorNodeLabelWarnings } from '../../core/v1/storage-warnings.ts';
import { canonicalQuantity, parseQuantity, QUANTITY_FORMAT_ERROR } from '../../quantity.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { invalidValue } from '../../validation/field-errors.ts';
import { labelSelectorHasInvalidLabelValue, validateLabelSelector } from '../../validation/label-selector.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { goLabelSelector, invalidGo } from './csi-rules.ts';

export const CSIStorageCapacitySchema = kubeObject({
  nodeTopology: LabelSelectorSchema.optional(),
  storageClassName: z.string().default(''),
  capacity: QuantitySchema.optional(),
  maximumVolumeSize: QuantitySchema.optional(),
});
export type CSIStorageCapacity = z.infer<typeof CSIStorageCapacitySchema>;


/** No defaults upstream; quantities are stored in canonical form, as a Go round trip writes them. */
export function applyCSIStorageCapacityDefaults(capacity: CSIStorageCapacity): void {
  if (capacity.capacity !== undefined) capacity.capacity = canonicalQuantity(capacity.capacity);
  if (capacity.maximumVolumeSize !== undefined) capacity.maximumVolumeSize = canonicalQuantity(capacity.maximumVolumeSize);
}

function validateQuantity(path: string, value: string | number | undefined, nonNegative: boolean): FieldError[] {
  if (value === undefined) return [];
  const q = parseQuantity(value);
  if (!q) return [invalidValue(path, String(value), QUANTITY_FORMAT_ERROR)];
  return nonNegative && q.nano < 0n ? [invalidValue(path, canonicalQuantity(value), 'must be greater than or equal to 0')] : [];
}

/**
 * Upstream ValidateCSIStorageCapacity (+ ValidateCSIStorageCapacityUpdate when `old` is given:
 * `nodeTopology` and `storageClassName` are immutable; invalid label values already stored stay
 * allowed). Pure.
 */
export function validateCSIStorageCapacity(capacity: CSIStorageCapacity, old?: CSIStorageCapacity): FieldError[] {
  const errs = validateObjectMeta(capacity.metadata, { namespaced: true });
  const allowInvalidLabelValueInSelector = old !== undefined && labelSelectorHasInvalidLabelValue(old.nodeTopology);
  errs.push(...validateLabelSelector(capacity.nodeTopology, 'nodeTopology', { allowInvalidLabelValueInSelector }));
  errs.push(...validateClassName(capacity.storageClassName, 'storageClassName'));
  errs.push(...validateQuantity('capacity', capacity.capacity, true));
  errs.push(...validateQuantity('maximumVolumeSize', capacity.maximumVolumeSize, false));
  if (!old) return errs;
  if (!deepEqual(capacity.nodeTopology, old.nodeTopology)) {
    errs.push(invalidGo('nodeTopology', capacity.nodeTopology ? goLabelSelector(capacity.nodeTopology) : 'null', 'field is immutable'));
  }
  if (capacity.storageClassName !== old.storageClassName) errs.push(invalidValue('storageClassName', capacity.storageClassName, 'field is immutable'));
  return errs;
}

export const csiStorageCapacityResource = defineResource<CSIStorageCapacity>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSIStorageCapacity',
  plural: 'csistoragecapacities',
  singular: 'csistoragecapacity',
  namespaced: true,
  schema: CSIStorageCapacitySchema,
  applyDefaults: applyCSIStorageCapacityDefaults,
  validate: validateCSIStorageCapacity,
  // Upstream GetWarningsForCSIStorageCapacity: deprecated node labels in the topology.
  warningsOnCreate: (capacity) => labelSelectorNodeLabelWarnings(capacity.nodeTopology, 'nodeTopology'),
});
