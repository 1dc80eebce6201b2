/**
 * storage.k8s.io/v1 VolumeAttachment (cluster-scoped, with a `status` subresource): the intent
 * to attach one volume — a PersistentVolume by name, or an inline CSI volume spec — to one node
 * through one CSI attacher. The attach/detach controller writes the spec, which never changes;
 * the external-attacher reports the outcome in `status` (`attached`, metadata, errors).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { PersistentVolumeSpecSchema, type PersistentVolumeSpec } from '../../core/v1/persistentvolume.ts';
import { validateAccessModeValues, validateVolumeMode } from '../../core/v1/storage-rules.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { child, forbidden, invalidValue, required } from '../../validation/field-errors.ts';
import { isDNS1123Subdomain } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { goPointers, invalidGo, validateCSIDriverNameField } from './csi-rules.ts';

const VolumeErrorSchema = z.object({
  time: z.string().optional(),
  message: z.string().optional(),
  errorCode: z.number().int().optional(),
});

export const VolumeAttachmentSchema = kubeObject({
  spec: z.object({
    attacher: z.string().default(''),
    source: z.object({
      persistentVolumeName: z.string().optional(),
      inlineVolumeSpec: PersistentVolumeSpecSchema.optional(),
    }).default({}),
    nodeName: z.string().default(''),
  }).default({ attacher: '', source: {}, nodeName: '' }),
  status: z.object({
    attached: z.boolean().default(false),
    attachmentMetadata: z.record(z.string(), z.string()).optional(),
    attachError: VolumeErrorSchema.optional(),
    detachError: VolumeErrorSchema.optional(),
  }).optional(),
});
export type VolumeAttachment = z.infer<typeof VolumeAttachmentSchema>;
type Spec = VolumeAttachment['spec'];

const MAX_METADATA_SIZE = 256 * 1024;
const MAX_ERROR_MESSAGE = 1024;
const MAX_INT32 = 2147483647;
const ONE_SOURCE = 'must specify exactly one of inlineVolumeSpec and persistentVolumeName';
const INLINE_ONLY = 'may not be specified in the context of inline volumes';

/** `status.attached` has no omitempty upstream: every object carries it. */
export function applyVolumeAttachmentDefaults(va: VolumeAttachment): void {
  va.status ??= { attached: false };
  va.status.attached ??= false;
}

/** ValidatePersistentVolumeSpec in its inline mode: a CSI source, no claim or capacity. */
function validateInlineSpec(spec: PersistentVolumeSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.claimRef) errs.push(forbidden(child(path, 'claimRef'), INLINE_ONLY));
  if (Object.keys(spec.capacity ?? {}).length) errs.push(forbidden(child(path, 'capacity'), INLINE_ONLY));
  if (!spec.csi) errs.push(required(child(path, 'csi'), 'has to be specified in the context of inline volumes'));
  if (!spec.accessModes?.length) errs.push(required(child(path, 'accessModes')));
  errs.push(...validateAccessModeValues(spec.accessModes, child(path, 'accessModes')));
  errs.push(...validateVolumeMode(spec.volumeMode, child(path, 'volumeMode')));
  return errs;
}

function validateSource(source: Spec['source'], path: string): FieldError[] {
  const { persistentVolumeName: pv, inlineVolumeSpec: inline } = source;
  if (pv === undefined && inline === undefined) return [required(path, ONE_SOURCE)];
  if (pv !== undefined && inline !== undefined) return [forbidden(path, ONE_SOURCE)];
  if (pv !== undefined) return pv ? [] : [required(child(path, 'persistentVolumeName'), 'must specify non empty persistentVolumeName')];
  return validateInlineSpec(inline!, child(path, 'inlineVolumeSpec'));
}

function validateVolumeError(error: z.infer<typeof VolumeErrorSchema> | undefined, path: string): FieldError[] {
  if (!error) return [];
  const errs: FieldError[] = [];
  // Upstream reports the metadata limit here, not the message limit.
  if ((error.message ?? '').length > MAX_ERROR_MESSAGE) errs.push({ type: 'FieldValueTooLong', field: child(path, 'message'), detail: `Too long: may not be more than ${MAX_METADATA_SIZE} bytes` });
  if (error.errorCode !== undefined && error.errorCode < 0) errs.push(invalidValue(child(path, 'errorCode'), error.errorCode, `must be between 0 and ${MAX_INT32}, inclusive`));
  return errs;
}

function validateStatus(status: VolumeAttachment['status']): FieldError[] {
  if (!status) return [];
  const errs: FieldError[] = [];
  const size = Object.entries(status.attachmentMetadata ?? {}).reduce((n, [k, v]) => n + k.length + v.length, 0);
  if (size > MAX_METADATA_SIZE) errs.push({ type: 'FieldValueTooLong', field: 'status.attachmentMetadata', detail: `Too long: may not be more than ${MAX_METADATA_SIZE} bytes` });
  errs.push(...validateVolumeError(status.attachError, 'status.attachError'));
  errs.push(...validateVolumeError(status.detachError, 'status.detachError'));
  return errs;
}

/** Go `%#v` of the internal storage.VolumeAttachmentSpec (pointers as made-up addresses). */
export function goVolumeAttachmentSpec(spec: Spec): string {
  const ptr = goPointers();
  const source = `storage.VolumeAttachmentSource{PersistentVolumeName:${ptr('string', spec.source.persistentVolumeName !== undefined)}, InlineVolumeSpec:${ptr('core.PersistentVolumeSpec', spec.source.inlineVolumeSpec !== undefined)}}`;
  return `storage.VolumeAttachmentSpec{Attacher:${JSON.stringify(spec.attacher)}, Source:${source}, NodeName:${JSON.stringify(spec.nodeName)}}`;
}

/**
 * Upstream ValidateVolumeAttachment; on create also ValidateVolumeAttachmentV1 (the attacher a
 * CSI driver name, the PV name a DNS subdomain); on update the spec is immutable. Pure.
 */
export function validateVolumeAttachment(va: VolumeAttachment, old?: VolumeAttachment): FieldError[] {
  const errs = validateObjectMeta(va.metadata, { namespaced: false });
  const spec = va.spec;
  if (!spec.attacher) errs.push(required('spec.attacher'));
  errs.push(...validateSource(spec.source, 'spec.source'));
  errs.push(...isDNS1123Subdomain(spec.nodeName).map((msg) => invalidValue('spec.nodeName', spec.nodeName, msg)));
  errs.push(...validateStatus(va.status));
  if (!old) {
    errs.push(...validateCSIDriverNameField('spec.attacher', spec.attacher));
    const pv = spec.source.persistentVolumeName;
    if (pv !== undefined) errs.push(...isDNS1123Subdomain(pv).map((msg) => invalidValue('spec.source.persistentVolumeName', pv, msg)));
  } else if (!deepEqual(spec, old.spec)) {
    errs.push(invalidGo('spec', goVolumeAttachmentSpec(spec), 'field is immutable'));
  }
  return errs;
}

export const volumeAttachmentResource = defineResource<VolumeAttachment>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'VolumeAttachment',
  plural: 'volumeattachments',
  singular: 'volumeattachment',
  namespaced: false,
  schema: VolumeAttachmentSchema,
  subresources: { status: true },
  applyDefaults: applyVolumeAttachmentDefaults,
  validate: validateVolumeAttachment,
  // Upstream PrepareForCreate: the status is the external-attacher's to write.
  prepareForCreate: (va) => {
    va.status = { attached: false };
  },
});
