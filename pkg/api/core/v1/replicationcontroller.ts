/**
 * core/v1 ReplicationController (short name `rc`): the pre-apps ReplicaSet, with a plain
 * label map as selector. Schema, SetDefaults_ReplicationController (selector and labels from
 * the template's labels, replicas 1), ValidateReplicationController(Update|StatusUpdate) with
 * upstream paths and messages, `status` and `scale` subresources.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { child, forbidden, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { podNameWarnings } from '../../validation/pod-name-warnings.ts';
import { podTemplateWarnings } from './pod-warnings.ts';
import { whenGenerationChanged } from './spec-change-warnings.ts';
import { goStringMap, invalidGo, workloadPatchMeta } from '../../apps/v1/workload.ts';
import { defineResource } from './common.ts';
import { applyPodSpecDefaults, PodTemplateSpecSchema, type PodTemplateSpec } from './pod-spec.ts';
import { validatePodTemplateSpec } from './podtemplate.ts';

const int = () => z.number().int().optional();

export const ReplicationControllerSpecSchema = z.object({
  replicas: int(),
  minReadySeconds: int(),
  selector: z.record(z.string(), z.string()).optional(),
  template: PodTemplateSpecSchema.optional(),
});

export const ReplicationControllerConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: z.string().nullable().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

export const ReplicationControllerStatusSchema = z.object({
  replicas: z.number().int().optional().default(0),
  fullyLabeledReplicas: int(),
  readyReplicas: int(),
  availableReplicas: int(),
  observedGeneration: int(),
  conditions: z.array(ReplicationControllerConditionSchema).optional(),
});

export const ReplicationControllerSchema = kubeObject({
  spec: ReplicationControllerSpecSchema.optional(),
  status: ReplicationControllerStatusSchema.optional(),
});
export type ReplicationController = z.infer<typeof ReplicationControllerSchema>;
export type ReplicationControllerStatus = z.infer<typeof ReplicationControllerStatusSchema>;

/**
 * core/v1 SetDefaults_ReplicationController: with template labels, an empty selector and empty
 * object labels both become those labels; replicas default to 1; the template's pod spec is
 * defaulted. A missing template stays missing (validation requires it).
 */
export function applyReplicationControllerDefaults(rc: ReplicationController): void {
  const spec = (rc.spec ??= {});
  const labels = spec.template?.metadata?.labels;
  if (labels) {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...labels };
  }
  spec.replicas ??= 1;
  if (spec.template) applyPodSpecDefaults((spec.template.spec ??= {}));
}

function nonNegative(path: string, value: number | undefined): FieldError[] {
  return value !== undefined && value < 0 ? [invalidValue(path, value, 'must be greater than or equal to 0')] : [];
}

/** Whether every selector entry is among the labels (labels.Set(selector).AsSelector().Matches). */
function mapSelects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Upstream ValidatePodTemplateSpecForRC at `path`. */
function validateTemplateForRC(template: PodTemplateSpec | undefined, selector: Record<string, string> | undefined, path: string): FieldError[] {
  if (!template) return [required(path)];
  const errs: FieldError[] = [];
  const labels = template.metadata?.labels;
  if (selector && Object.keys(selector).length > 0 && !mapSelects(selector, labels)) {
    errs.push(invalidGo(child(path, 'metadata.labels'), goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, path));
  const restart = template.spec?.restartPolicy ?? '';
  if (restart !== 'Always') errs.push(notSupported(child(path, 'spec.restartPolicy'), restart, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbidden(child(path, 'spec.activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

/** Upstream ValidateReplicationControllerSpec (the selector stays mutable, unlike apps/v1). */
export function validateReplicationControllerSpec(spec: ReplicationController['spec'], path = 'spec'): FieldError[] {
  const s = spec ?? {};
  const errs = nonNegative(child(path, 'minReadySeconds'), s.minReadySeconds);
  if (!s.selector || Object.keys(s.selector).length === 0) errs.push(required(child(path, 'selector')));
  errs.push(...nonNegative(child(path, 'replicas'), s.replicas));
  errs.push(...validateTemplateForRC(s.template, s.selector, child(path, 'template')));
  return errs;
}

/** Upstream ValidateReplicationControllerStatus. */
export function validateReplicationControllerStatus(status: ReplicationControllerStatus | undefined, path = 'status'): FieldError[] {
  const s = status ?? { replicas: 0 };
  const errs: FieldError[] = [];
  for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const) errs.push(...nonNegative(child(path, f), s[f]));
  const replicas = s.replicas ?? 0;
  const ready = s.readyReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const msg = 'cannot be greater than status.replicas';
  if ((s.fullyLabeledReplicas ?? 0) > replicas) errs.push(invalidValue(child(path, 'fullyLabeledReplicas'), s.fullyLabeledReplicas, msg));
  if (ready > replicas) errs.push(invalidValue(child(path, 'readyReplicas'), ready, msg));
  if (available > replicas) errs.push(invalidValue(child(path, 'availableReplicas'), available, msg));
  if (available > ready) errs.push(invalidValue(child(path, 'availableReplicas'), available, 'cannot be greater than readyReplicas'));
  return errs;
}

/** ValidateReplicationController, …Update (same rules) and …StatusUpdate (the status only). */
export function validateReplicationController(rc: ReplicationController, _old?: ReplicationController, context?: { subresource?: string }): FieldError[] {
  const errs = validateObjectMeta(rc.metadata, { namespaced: true });
  if (context?.subresource === 'status') return [...errs, ...validateReplicationControllerStatus(rc.status)];
  return [...errs, ...validateReplicationControllerSpec(rc.spec)];
}

export const replicationControllerResource = defineResource<ReplicationController>({
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  schema: ReplicationControllerSchema,
  subresources: {
    status: true,
    scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector', labelSelectorIsMap: true },
  },
  patchMeta: workloadPatchMeta(),
  applyDefaults: applyReplicationControllerDefaults,
  validate: validateReplicationController,
  warningsOnCreate: (rc) => [...podNameWarnings(rc.metadata.name), ...podTemplateWarnings('spec.template', rc.spec?.template)],
  // Upstream rcStrategy.WarningsOnUpdate passes the stored template where the new one belongs, so it
  // warns about the template being replaced; kept as upstream does.
  warningsOnUpdate: (rc, old) => whenGenerationChanged(rc, old, () => podTemplateWarnings('spec.template', old.spec?.template, rc.spec?.template)),
  prepareForCreate(rc) {
    rc.status = { replicas: 0 };
  },
  prepareForUpdate(rc, old) {
    if (old.status === undefined) delete rc.status;
    else rc.status = old.status;
  },
});
