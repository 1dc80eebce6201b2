/**
 * apps/v1 DaemonSet: schema, defaulting (apps/v1 SetDefaults_DaemonSet), the registry strategy
 * (status reset on create and kept on update; the deprecated template generation, which apps/v1
 * carries in the `deprecated.daemonset.template.generation` annotation, starts at 1 and grows by
 * one whenever the pod template changes) and the status subresource. Validation lives in
 * `daemonset-validation.ts`.
 */
import { z } from 'zod';
import { IntOrStringSchema, kubeObject, LabelSelectorSchema } from '../../meta.ts';
import { PodTemplateSpecSchema } from '../../core/v1/pod-spec.ts';
import { defineResource } from '../../core/v1/common.ts';
import { namedTemplateCreateWarnings, templateUpdateWarnings } from './workload-warnings.ts';
import { copyJson } from '../../../util/json-copy.ts';
import { semanticEqual } from '../../../util/semantic-json.ts';
import { applyTemplateDefaults, workloadPatchMeta } from './workload.ts';
import { validateDaemonSet } from './daemonset-validation.ts';

const int = () => z.number().int().optional();

/** The annotation apps/v1 (and v1beta2) DaemonSets carry their template generation in. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export const DaemonSetSpecSchema = z.object({
  selector: LabelSelectorSchema.optional(),
  template: PodTemplateSpecSchema.optional(),
  updateStrategy: z.object({
    type: z.string().optional(),
    rollingUpdate: z.object({ maxUnavailable: IntOrStringSchema.optional(), maxSurge: IntOrStringSchema.optional() }).optional(),
  }).optional(),
  minReadySeconds: int(),
  revisionHistoryLimit: int(),
});

export const DaemonSetConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: z.string().nullable().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** Upstream writes the first four counts always (no `omitempty`), the others only when set. */
export const DaemonSetStatusSchema = z.object({
  currentNumberScheduled: z.number().int().default(0),
  numberMisscheduled: z.number().int().default(0),
  desiredNumberScheduled: z.number().int().default(0),
  numberReady: z.number().int().default(0),
  observedGeneration: int(),
  updatedNumberScheduled: int(),
  numberAvailable: int(),
  numberUnavailable: int(),
  collisionCount: int(),
  conditions: z.array(DaemonSetConditionSchema).optional(),
});

export const DaemonSetSchema = kubeObject({
  spec: DaemonSetSpecSchema.optional(),
  status: DaemonSetStatusSchema.optional(),
});
export type DaemonSet = z.infer<typeof DaemonSetSchema>;
export type DaemonSetStatus = z.infer<typeof DaemonSetStatusSchema>;

/** apps/v1 SetDefaults_DaemonSet (and the template's pod defaults). */
export function applyDaemonSetDefaults(ds: DaemonSet): void {
  const spec = (ds.spec ??= {});
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  applyTemplateDefaults(spec);
}

/** The template generation an object carries, or undefined when absent or not an integer. */
export function templateGenerationOf(ds: { metadata: { annotations?: Readonly<Record<string, string>> } }): number | undefined {
  const text = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
}

function setTemplateGeneration(ds: DaemonSet, generation: number): void {
  ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
}

/** The status a new DaemonSet starts with (what upstream serialises for an empty status). */
export function emptyDaemonSetStatus(): DaemonSetStatus {
  return { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
}

/** Strategy PrepareForCreate: status cleared, template generation at least 1. */
export function prepareDaemonSetForCreate(ds: DaemonSet): void {
  ds.status = emptyDaemonSetStatus();
  const generation = templateGenerationOf(ds);
  setTemplateGeneration(ds, generation !== undefined && generation >= 1 ? generation : 1);
}

/**
 * Strategy PrepareForUpdate: status kept; the template generation is the stored one, plus one
 * when the (defaulted) template changed semantically.
 */
export function prepareDaemonSetForUpdate(ds: DaemonSet, old: DaemonSet): void {
  if (old.status === undefined) delete ds.status;
  else ds.status = old.status;
  const generation = templateGenerationOf(old) ?? 1;
  setTemplateGeneration(ds, templateGenerationChanged(ds, old) ? generation + 1 : generation);
}

/** Whether an update changes the pod template (compared semantically, once defaulted). */
export function templateGenerationChanged(ds: DaemonSet, old: DaemonSet): boolean {
  const spec = { template: copyJson(ds.spec?.template) };
  applyTemplateDefaults(spec);
  return !semanticEqual(spec.template, old.spec?.template);
}

export const daemonSetResource = defineResource<DaemonSet>({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  schema: DaemonSetSchema,
  subresources: { status: true },
  patchMeta: workloadPatchMeta(),
  applyDefaults: applyDaemonSetDefaults,
  validate: (ds, old) => validateDaemonSet(ds, old),
  warningsOnCreate: namedTemplateCreateWarnings,
  warningsOnUpdate: templateUpdateWarnings,
  prepareForCreate: prepareDaemonSetForCreate,
  prepareForUpdate: prepareDaemonSetForUpdate,
});
