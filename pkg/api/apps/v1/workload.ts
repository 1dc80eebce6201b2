/**
 * Rules shared by the apps/v1 workloads (Deployment, ReplicaSet): label-selector matching,
 * selector/template validation and template defaulting (pkg/apis/apps/validation).
 */
import type { FieldError } from '../../../errors/index.ts';
import type { LabelSelector } from '../../meta.ts';
import { child, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { goStringSlice, validateImmutable } from '../../validation/common-rules.ts';
import { validateLabels } from '../../validation/object-meta.ts';
import { applyPodSpecDefaults, podSpecPatchMeta, type PodTemplateSpec, validatePodSpec } from '../../core/v1/pod-spec.ts';
import { validateAppArmorPodAnnotations } from '../../core/v1/pod-apparmor-validation.ts';
import type { PatchMeta } from '../../resource.ts';

/** Whether `labels` satisfy `selector` (metav1.LabelSelectorAsSelector semantics). */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = req.key in l;
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In': if (!has || !values.includes(l[req.key]!)) return false; break;
      case 'NotIn': if (has && values.includes(l[req.key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Whether a selector selects nothing in particular (no labels and no expressions). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** Go `%#v` of a `map[string]string`, as upstream prints invalid label maps. */
export function goStringMap(m: Record<string, string> | undefined): string {
  if (!m) return 'map[string]string(nil)';
  const entries = Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** Go `%#v` of a `*v1.LabelSelector`. */
export function goLabelSelector(s: LabelSelector): string {
  const exprs = s.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions.map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${goStringSlice(e.values)}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** A field.Invalid whose value is rendered the Go way (`%#v`). */
export function invalidGo(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${detail}` };
}

export function nonNegative(path: string, value: number | undefined): FieldError[] {
  return value !== undefined && value < 0 ? [invalidValue(path, value, 'must be greater than or equal to 0')] : [];
}

/** Defaults the template's pod spec in place (SetDefaults_PodSpec via the template, which always exists upstream). */
export function applyTemplateDefaults(spec: { template?: PodTemplateSpec }): void {
  const template = (spec.template ??= {});
  applyPodSpecDefaults((template.spec ??= {}));
}

/**
 * Selector + template rules of ValidateDeploymentSpec / ValidateReplicaSetSpec at `spec`:
 * selector required and non-empty, template labels matched (a missing selector selects
 * nothing, so upstream reports the mismatch too), restartPolicy Always, no
 * activeDeadlineSeconds, pod spec valid. A missing template is validated as an empty one
 * (the Go field is a struct, never nil).
 */
export function validateSelectorAndTemplate(
  spec: { selector?: LabelSelector; template?: PodTemplateSpec } | undefined,
  path = 'spec',
): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec?.selector;
  const template = spec?.template ?? {};
  if (!selector) errs.push(required(child(path, 'selector')));
  else if (isEmptySelector(selector)) errs.push(invalidGo(child(path, 'selector'), goLabelSelector(selector), 'empty selector is invalid for deployment'));
  const tPath = child(path, 'template');
  const labels = template.metadata?.labels;
  const matches = selector ? isEmptySelector(selector) || selectorMatches(selector, labels) : false;
  if (!matches) {
    errs.push(invalidGo(child(tPath, 'metadata.labels'), goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validateLabels(labels, child(tPath, 'metadata.labels')));
  errs.push(...validateAppArmorPodAnnotations(template.metadata?.annotations, template.spec, child(tPath, 'annotations')));
  errs.push(...validatePodSpec(template.spec, child(tPath, 'spec')));
  const restart = template.spec?.restartPolicy;
  if (restart !== 'Always') errs.push(notSupported(child(tPath, 'spec.restartPolicy'), restart ?? '', ['Always']));
  const deadline = template.spec?.activeDeadlineSeconds;
  if (deadline !== undefined) {
    errs.push(invalidValue(child(tPath, 'spec.activeDeadlineSeconds'), deadline, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** apps/v1 makes the selector immutable after creation. */
export function validateSelectorImmutable(selector: LabelSelector | undefined, old: LabelSelector | undefined): FieldError[] {
  const errs = validateImmutable('spec.selector', selector, old);
  return errs.map((e) => (selector ? invalidGo('spec.selector', goLabelSelector(selector), 'field is immutable') : e));
}

/**
 * Strategic-merge metadata of a workload kind (Deployment, ReplicaSet, DaemonSet, StatefulSet,
 * Job): finalizers and owner references merged, its pod template's lists by their upstream keys,
 * status conditions by type; `extra` adds the kind's own fields.
 */
export function workloadPatchMeta(extra: PatchMeta = {}): PatchMeta {
  return {
    'metadata.finalizers': { strategy: 'merge' },
    'metadata.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
    ...extra,
    ...podSpecPatchMeta('spec.template.spec'),
    'status.conditions': { strategy: 'merge', mergeKey: 'type' },
  };
}
