/**
 * The autoscaling/v2 HorizontalPodAutoscaler resource (the storage version; short name `hpa`,
 * category `all`, `status` subresource). Upstream's strategy: a create starts with an empty
 * status, a main-resource update keeps the stored status (the generic status split), and the
 * `tolerance` fields of the HPAConfigurableTolerance gate (off in 1.33) are dropped unless the
 * stored object already uses them. No `metadata.generation` (upstream's strategy sets none).
 */
import { defineResource } from '../../core/v1/common.ts';
import { applyHpaDefaults } from './horizontalpodautoscaler-defaults.ts';
import { type HorizontalPodAutoscaler, HorizontalPodAutoscalerSchema } from './horizontalpodautoscaler.ts';
import { validateHorizontalPodAutoscaler } from './horizontalpodautoscaler-validation.ts';

/** Whether any scaling rule of the object sets a tolerance (upstream toleranceInUse). */
export function toleranceInUse(hpa: HorizontalPodAutoscaler | undefined): boolean {
  const behavior = hpa?.spec?.behavior;
  return behavior?.scaleUp?.tolerance !== undefined || behavior?.scaleDown?.tolerance !== undefined;
}

/** Upstream dropDisabledFields with HPAConfigurableTolerance off. Mutates. */
export function dropDisabledHpaFields(hpa: HorizontalPodAutoscaler, old?: HorizontalPodAutoscaler): void {
  if (toleranceInUse(old)) return;
  const behavior = hpa.spec?.behavior;
  if (behavior?.scaleUp) delete behavior.scaleUp.tolerance;
  if (behavior?.scaleDown) delete behavior.scaleDown.tolerance;
}

export const horizontalPodAutoscalerResource = defineResource<HorizontalPodAutoscaler>({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  schema: HorizontalPodAutoscalerSchema,
  subresources: { status: true },
  // status.conditions: patchStrategy merge on `type`; spec.metrics and the policies are atomic.
  patchMeta: { 'status.conditions': { strategy: 'merge', mergeKey: 'type' } },
  applyDefaults: applyHpaDefaults,
  validate: (hpa, old) => validateHorizontalPodAutoscaler(hpa, old),
  prepareForCreate(hpa) {
    hpa.status = { desiredReplicas: 0 };
    dropDisabledHpaFields(hpa);
  },
  prepareForUpdate(hpa, old) {
    if (old.status === undefined) delete hpa.status;
    else hpa.status = old.status;
    dropDisabledHpaFields(hpa, old);
  },
});
