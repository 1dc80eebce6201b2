/**
 * autoscaling/v1 HorizontalPodAutoscaler: served beside autoscaling/v2 and stored as v2 objects.
 * Its spec knows only a CPU utilization target; the rest of a v2 object travels in annotations
 * (see `conversion.ts`). Defaults as upstream's v1 SetDefaults_HorizontalPodAutoscaler
 * (`minReplicas` 1); validation is v2's, on the converted object, as upstream validates the
 * internal one. The strategy mirrors v2's: status reset on create and kept on update — and with
 * it the status annotations (`current-metrics`, `conditions`), which belong to the status.
 */
import { z } from 'zod';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { applyHpaDefaults } from '../v2/horizontalpodautoscaler-defaults.ts';
import { CrossVersionObjectReferenceSchema } from '../v2/horizontalpodautoscaler.ts';
import { horizontalPodAutoscalerResource } from '../v2/horizontalpodautoscaler-resource.ts';
import { validateHorizontalPodAutoscaler } from '../v2/horizontalpodautoscaler-validation.ts';
import type { KubeObject } from '../../meta.ts';
import { behaviorFromGoJson, behaviorToGoJson, HPA_ANNOTATIONS, hpaFromV1, hpaToV1 } from './conversion.ts';

const int = () => z.number().int().optional();

/** autoscaling/v1 HorizontalPodAutoscalerSpec. */
export const HorizontalPodAutoscalerV1SpecSchema = z.object({
  scaleTargetRef: CrossVersionObjectReferenceSchema.prefault({}),
  minReplicas: int(),
  maxReplicas: z.number().int().default(0),
  targetCPUUtilizationPercentage: int(),
});

/** autoscaling/v1 HorizontalPodAutoscalerStatus (both replica counts always present). */
export const HorizontalPodAutoscalerV1StatusSchema = z.object({
  observedGeneration: int(),
  lastScaleTime: z.string().optional(),
  currentReplicas: z.number().int().default(0),
  desiredReplicas: z.number().int().default(0),
  currentCPUUtilizationPercentage: int(),
});

export const HorizontalPodAutoscalerV1Schema = kubeObject({
  spec: HorizontalPodAutoscalerV1SpecSchema.optional(),
  status: HorizontalPodAutoscalerV1StatusSchema.optional(),
});
/** An autoscaling/v1 HorizontalPodAutoscaler. */
export type HorizontalPodAutoscalerV1 = z.infer<typeof HorizontalPodAutoscalerV1Schema>;

/** v1 SetDefaults_HorizontalPodAutoscaler, plus the always-present spec and status. Idempotent. */
export function applyHpaV1Defaults(hpa: HorizontalPodAutoscalerV1): void {
  const spec = (hpa.spec ??= { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 });
  spec.minReplicas ??= 1;
  hpa.status ??= { currentReplicas: 0, desiredReplicas: 0 };
}

const STATUS_ANNOTATIONS = [HPA_ANNOTATIONS.currentMetrics, HPA_ANNOTATIONS.conditions];

/** The object's annotations with the status ones taken from `from` (absent there: removed). Mutates. */
export function withStatusAnnotationsOf(hpa: KubeObject, from: KubeObject | undefined): void {
  const annotations = { ...(hpa.metadata.annotations ?? {}) };
  for (const key of STATUS_ANNOTATIONS) {
    const value = from?.metadata.annotations?.[key];
    if (value === undefined) delete annotations[key];
    else annotations[key] = value;
  }
  if (Object.keys(annotations).length) hpa.metadata.annotations = annotations;
  else delete hpa.metadata.annotations;
}

/**
 * The v2 strategy's dropDisabledFields for a v1 object: the gated `tolerance` travels in the
 * behavior annotation, and is dropped there unless the stored object already uses it. Mutates.
 */
export function dropDisabledBehaviorAnnotationFields(hpa: KubeObject, old?: KubeObject): void {
  const text = hpa.metadata.annotations?.[HPA_ANNOTATIONS.behavior];
  const behavior = text === undefined ? undefined : behaviorFromGoJson(text);
  if (!behavior || (behavior.scaleUp?.tolerance === undefined && behavior.scaleDown?.tolerance === undefined)) return;
  const oldText = old?.metadata.annotations?.[HPA_ANNOTATIONS.behavior];
  const oldBehavior = oldText === undefined ? undefined : behaviorFromGoJson(oldText);
  if (oldBehavior?.scaleUp?.tolerance !== undefined || oldBehavior?.scaleDown?.tolerance !== undefined) return;
  delete behavior.scaleUp?.tolerance;
  delete behavior.scaleDown?.tolerance;
  hpa.metadata.annotations = { ...hpa.metadata.annotations, [HPA_ANNOTATIONS.behavior]: behaviorToGoJson(behavior) };
}

/** The v2 object a v1 one stands for, defaulted as a v2 reader sees it (what is stored). */
export function v1ToStoredV2(obj: KubeObject): KubeObject {
  const v2 = hpaFromV1(obj as HorizontalPodAutoscalerV1);
  applyHpaDefaults(v2);
  return { ...v2, apiVersion: 'autoscaling/v2' };
}

export const horizontalPodAutoscalerV1Resource = defineResource<HorizontalPodAutoscalerV1>({
  group: horizontalPodAutoscalerResource.group,
  version: 'v1',
  kind: horizontalPodAutoscalerResource.kind,
  plural: horizontalPodAutoscalerResource.plural,
  singular: horizontalPodAutoscalerResource.singular,
  namespaced: true,
  shortNames: horizontalPodAutoscalerResource.shortNames,
  categories: horizontalPodAutoscalerResource.categories,
  subresources: { status: true },
  patchMeta: {},
  schema: HorizontalPodAutoscalerV1Schema,
  applyDefaults: applyHpaV1Defaults,
  validate: (hpa, old) => validateHorizontalPodAutoscaler(hpaFromV1(hpa), old && hpaFromV1(old)),
  prepareForCreate(hpa) {
    hpa.status = { currentReplicas: 0, desiredReplicas: 0 };
    withStatusAnnotationsOf(hpa, undefined);
    dropDisabledBehaviorAnnotationFields(hpa);
  },
  prepareForUpdate(hpa, old) {
    if (old.status === undefined) delete hpa.status;
    else hpa.status = old.status;
    withStatusAnnotationsOf(hpa, old);
    dropDisabledBehaviorAnnotationFields(hpa, old);
  },
  conversion: {
    storageGroup: 'autoscaling',
    storageVersion: 'v2',
    toStorage: v1ToStoredV2,
    fromStorage: (obj) => ({ ...hpaToV1(obj as never), apiVersion: 'autoscaling/v1' }),
  },
});
