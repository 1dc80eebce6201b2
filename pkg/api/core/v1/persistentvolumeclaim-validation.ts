/**
 * PersistentVolumeClaim validation (upstream ValidatePersistentVolumeClaim(Spec) and
 * ValidatePersistentVolumeClaimUpdate): at least one supported access mode, a positive
 * `resources.requests.storage`, a valid selector, volume mode, class names and data sources; on
 * update the spec is immutable except the requested storage of a bound claim, a first
 * `volumeName`, and a class name set once on a claim that had none (with upstream's go-cmp diff
 * appended to the message). Requests may shrink only while they stay above `status.capacity`
 * (RecoverVolumeExpansionFailure, on by default in 1.33).
 */
import type { FieldError } from '../../../errors/index.ts';
import { compareQuantity } from '../../quantity.ts';
import { deepEqual, validateImmutable } from '../../validation/common-rules.ts';
import { child, forbidden, invalidValue, required } from '../../validation/field-errors.ts';
import { goStructDiff, type GoField } from '../../validation/go-diff.ts';
import { labelSelectorHasInvalidLabelValue, validateLabelSelector } from '../../validation/label-selector.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import type { PersistentVolumeClaim } from './persistentvolumeclaim.ts';
import { BETA_STORAGE_CLASS_ANNOTATION, validateAccessModeValues, validateClassName, validateVolumeMode } from './storage-rules.ts';
import type { z } from 'zod';
import type { PersistentVolumeClaimSpecSchema } from './pod-volume.ts';

export type PersistentVolumeClaimSpec = z.infer<typeof PersistentVolumeClaimSpecSchema>;

/** Options upstream derives from the old object (ValidationOptionsForPersistentVolumeClaim). */
export interface ClaimSpecValidationOptions {
  /** The old claim's selector had an invalid label value: keep accepting one. */
  allowInvalidLabelValueInSelector?: boolean;
  /** The old claim's data source named an API group: do not check it. */
  allowInvalidAPIGroupInDataSource?: boolean;
}

type DataSource = { apiGroup?: string | undefined; kind: string; name: string; namespace?: string | undefined };

/** validateDataSource / validateDataSourceRef. */
function validateDataSource(source: DataSource, path: string, options: ClaimSpecValidationOptions, isRef: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!source.name) errs.push(required(child(path, 'name')));
  if (!source.kind) errs.push(required(child(path, 'kind')));
  const group = source.apiGroup ?? '';
  if (!group && source.kind !== 'PersistentVolumeClaim') errs.push(invalidValue(path, source.kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  if (group && !options.allowInvalidAPIGroupInDataSource) errs.push(...isDNS1123Subdomain(group).map((msg) => invalidValue(child(path, 'apiGroup'), group, msg)));
  if (isRef && source.namespace) errs.push(...isDNS1123Label(source.namespace).map((msg) => invalidValue(child(path, 'namespace'), source.namespace, msg)));
  return errs;
}

/** Upstream reports these with the `dataSource` path itself as the value (printed unquoted). */
function pathInvalid(path: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: path, detail: `Invalid value: ${child(path, 'dataSource')}: ${detail}` };
}

/** ValidatePersistentVolumeClaimSpec (also for claim templates and ephemeral volumes). Pure. */
export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec, path: string, options: ClaimSpecValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.accessModes?.length) errs.push(required(child(path, 'accessModes'), 'at least 1 access mode is required'));
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, child(path, 'selector'), { allowInvalidLabelValueInSelector: options.allowInvalidLabelValueInSelector }));
  errs.push(...validateAccessModeValues(spec.accessModes, child(path, 'accessModes')));
  const storagePath = `${child(path, 'resources')}[storage]`;
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errs.push(required(storagePath));
  else if (compareQuantity(storage, 0) <= 0) errs.push(invalidValue(storagePath, String(storage), 'must be greater than zero'));
  if (spec.storageClassName) errs.push(...validateClassName(spec.storageClassName, child(path, 'storageClassName')));
  errs.push(...validateVolumeMode(spec.volumeMode, child(path, 'volumeMode')));
  if (spec.dataSource) errs.push(...validateDataSource(spec.dataSource, child(path, 'dataSource'), options, false));
  if (spec.dataSourceRef) errs.push(...validateDataSource(spec.dataSourceRef, child(path, 'dataSourceRef'), options, true));
  const ds = spec.dataSource;
  const ref = spec.dataSourceRef;
  if (ref?.namespace) {
    if (ds) errs.push(pathInvalid(path, 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (ds && ref && !((ds.apiGroup ?? undefined) === (ref.apiGroup ?? undefined) && ds.kind === ref.kind && ds.name === ref.name)) {
    errs.push(pathInvalid(path, 'must match dataSourceRef'));
  }
  return errs;
}

/** Go field names of PersistentVolumeClaimSpec in declaration order, and which are pointers. */
const SPEC_FIELDS: readonly GoField[] = [
  ['AccessModes', 'accessModes'], ['Selector', 'selector'], ['Resources', 'resources'], ['VolumeName', 'volumeName'],
  ['StorageClassName', 'storageClassName'], ['VolumeMode', 'volumeMode'], ['DataSource', 'dataSource'],
  ['DataSourceRef', 'dataSourceRef'], ['VolumeAttributesClassName', 'volumeAttributesClassName'],
].map(([goName, jsonName]) => ({ goName: goName!, jsonName: jsonName! }));
const SPEC_POINTERS = ['selector', 'storageClassName', 'volumeMode', 'dataSource', 'dataSourceRef', 'volumeAttributesClassName'];

/** Upstream's message for a changed claim spec (followed by the diff). */
export const CLAIM_SPEC_IMMUTABLE = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

/** The options the old claim allows (ValidationOptionsForPersistentVolumeClaim). Pure. */
export function claimValidationOptions(old: PersistentVolumeClaim | undefined): ClaimSpecValidationOptions {
  if (!old) return {};
  return {
    allowInvalidLabelValueInSelector: labelSelectorHasInvalidLabelValue(old.spec?.selector),
    allowInvalidAPIGroupInDataSource: old.spec?.dataSource?.apiGroup !== undefined || old.spec?.dataSourceRef?.apiGroup !== undefined,
  };
}

/** The class-name moves upstream allows: from the beta annotation to the field, or from unset to a name. */
function classNameMoveAllowed(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): { allowed: boolean; errors: FieldError[] } {
  const oldAnn = old.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  const newAnn = pvc.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  const oldName = old.spec?.storageClassName;
  const newName = pvc.spec?.storageClassName;
  if (oldAnn !== undefined && newAnn === oldAnn && oldName === undefined && newName === oldAnn) return { allowed: true, errors: [] };
  const errors = (newAnn ?? '') === (oldAnn ?? '') ? [] : [invalidValue(`metadata.annotations[${BETA_STORAGE_CLASS_ANNOTATION}]`, newAnn ?? '', 'field is immutable')];
  return { allowed: oldAnn === undefined && oldName === undefined && !!newName, errors };
}

/** ValidatePersistentVolumeClaimUpdate's own checks (the new claim is validated in full besides). Pure. */
export function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs: FieldError[] = [];
  const next: Record<string, unknown> = structuredClone(pvc.spec ?? {});
  const prev: Record<string, unknown> = structuredClone(old.spec ?? {});
  if (!old.spec?.volumeName) prev.volumeName = next.volumeName;
  const move = classNameMoveAllowed(pvc, old);
  errs.push(...move.errors);
  if (move.allowed) prev.storageClassName = next.storageClassName;
  const requests = (next.resources as PersistentVolumeClaimSpec['resources'])?.requests;
  if (pvc.status?.phase === 'Bound' && requests) {
    const oldStorage = old.spec?.resources?.requests?.storage;
    if (oldStorage === undefined) delete requests.storage;
    else requests.storage = oldStorage;
  }
  next.volumeAttributesClassName = prev.volumeAttributesClassName;
  if (!deepEqual(next, prev)) {
    errs.push(forbidden('spec', `${CLAIM_SPEC_IMMUTABLE}\n${goStructDiff('core.PersistentVolumeClaimSpec', SPEC_FIELDS, prev, next, SPEC_POINTERS)}`));
  }
  const newSize = pvc.spec?.resources?.requests?.storage ?? 0;
  const oldSize = old.spec?.resources?.requests?.storage ?? 0;
  const statusSize = old.status?.capacity?.storage ?? 0;
  if (compareQuantity(newSize, oldSize) < 0 && compareQuantity(newSize, statusSize) <= 0) {
    errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  errs.push(...validateImmutable('volumeMode', pvc.spec?.volumeMode, old.spec?.volumeMode));
  const vac = pvc.spec?.volumeAttributesClassName;
  const oldVac = old.spec?.volumeAttributesClassName;
  if (vac !== oldVac) {
    errs.push(forbidden('spec.volumeAttributesClassName', 'update is forbidden when the VolumeAttributesClass feature gate is disabled'));
    if (oldVac !== undefined && vac === undefined) errs.push(forbidden('spec.volumeAttributesClassName', 'update from non-nil value to nil is forbidden'));
    else if (oldVac !== undefined && vac === '') errs.push(forbidden('spec.volumeAttributesClassName', 'update from non-nil value to an empty string is forbidden'));
  }
  return errs;
}

/** ValidatePersistentVolumeClaim (+ Update when `old` is given). Pure. */
export function validatePersistentVolumeClaim(pvc: PersistentVolumeClaim, old?: PersistentVolumeClaim): FieldError[] {
  const errs = validateObjectMeta(pvc.metadata, { namespaced: true });
  errs.push(...validatePersistentVolumeClaimSpec(pvc.spec ?? {}, 'spec', claimValidationOptions(old)));
  if (old) errs.push(...validatePersistentVolumeClaimUpdate(pvc, old));
  return errs;
}
