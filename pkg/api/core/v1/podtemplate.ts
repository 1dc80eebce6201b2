/**
 * core/v1 PodTemplate: a stored pod template (`template` at the top level, no spec or status),
 * and upstream ValidatePodTemplateSpec, which ReplicationControllers share.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { child, forbidden } from '../../validation/field-errors.ts';
import { validateAnnotations, validateLabels, validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource } from './common.ts';
import { podTemplateWarnings } from './pod-warnings.ts';
import { whenGenerationChanged } from './spec-change-warnings.ts';
import { applyPodSpecDefaults, podSpecPatchMeta, PodTemplateSpecSchema, type PodTemplateSpec } from './pod-spec.ts';
import { validatePodSpec } from './pod-validation.ts';
import { validateAppArmorPodAnnotations } from './pod-apparmor-validation.ts';

export const PodTemplateSchema = kubeObject({
  template: PodTemplateSpecSchema.optional(),
});
export type PodTemplate = z.infer<typeof PodTemplateSchema>;

/**
 * Upstream ValidatePodTemplateSpec at `path`: labels and annotations (reported at
 * `<path>.labels` / `<path>.annotations`, as upstream names them), the pod spec, and no
 * ephemeral containers. A missing template is validated as an empty one.
 */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const meta = template?.metadata;
  const errs = [
    ...validateLabels(meta?.labels, child(path, 'labels')),
    ...validateAnnotations(meta?.annotations, child(path, 'annotations')),
    ...validateAppArmorPodAnnotations(meta?.annotations, template?.spec, child(path, 'annotations')),
    ...validatePodSpec(template?.spec, child(path, 'spec')),
  ];
  if (template?.spec?.ephemeralContainers?.length) {
    errs.push(forbidden(child(path, 'spec.ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

/** SetDefaults_PodTemplate: the template's pod spec defaults (the Go field is a struct, never nil). */
export function applyPodTemplateDefaults(pt: PodTemplate): void {
  const template = (pt.template ??= {});
  applyPodSpecDefaults((template.spec ??= {}));
}

/** Upstream ValidatePodTemplate / ValidatePodTemplateUpdate (the template stays mutable). */
export function validatePodTemplate(pt: PodTemplate): FieldError[] {
  return [...validateObjectMeta(pt.metadata, { namespaced: true }), ...validatePodTemplateSpec(pt.template, 'template')];
}

export const podTemplateResource = defineResource<PodTemplate>({
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  plural: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  schema: PodTemplateSchema,
  patchMeta: {
    'metadata.finalizers': { strategy: 'merge' },
    'metadata.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
    ...podSpecPatchMeta('template.spec'),
  },
  applyDefaults: applyPodTemplateDefaults,
  validate: (pt) => validatePodTemplate(pt),
  warningsOnCreate: (pt) => podTemplateWarnings('template', pt.template ?? {}),
  // The generation advances exactly when the template changes (upstream's strategy; the generic one here).
  warningsOnUpdate: (pt, old) => whenGenerationChanged(pt, old, () => podTemplateWarnings('template', pt.template ?? {}, old.template)),
});
