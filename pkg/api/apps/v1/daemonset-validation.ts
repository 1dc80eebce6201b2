/**
 * DaemonSet validation as upstream's ValidateDaemonSet / ValidateDaemonSetSpec /
 * ValidateDaemonSetUpdateStrategy and the strategy's update rules (selector immutable except in
 * extensions/v1beta1; status counts non-negative, collisionCount never decremented). Messages
 * render values as upstream 1.33 does (`%#v` of the internal Go types). Pure.
 */
import type { FieldError } from '../../../errors/index.ts';
import type { IntOrString } from '../../meta.ts';
import { validatePodSpec } from '../../core/v1/pod-spec.ts';
import { validateAppArmorPodAnnotations } from '../../core/v1/pod-apparmor-validation.ts';
import { child, forbidden, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateLabelSelector } from '../../validation/label-selector.ts';
import { validateAnnotations, validateLabels, validateObjectMeta } from '../../validation/object-meta.ts';
import type { DaemonSet } from './daemonset.ts';
import { PERCENT_MESSAGE } from './deployment.ts';
import { goLabelSelector, goStringMap, isEmptySelector, nonNegative, selectorMatches, validateSelectorImmutable } from './workload.ts';

type Spec = NonNullable<DaemonSet['spec']>;
type RollingUpdate = NonNullable<NonNullable<Spec['updateStrategy']>['rollingUpdate']>;

/** Go `%#v` of an `intstr.IntOrString` (unset = the zero value). */
export function goIntOrString(value: IntOrString | undefined): string {
  if (typeof value === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(value)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${value ?? 0}, StrVal:""}`;
}

function invalidGo(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${detail}` };
}

/** Upstream `getIntOrPercentValue`: the number of an int, or of a valid percent ("25%" → 25). */
function intOrPercentValue(value: IntOrString | undefined): number {
  if (typeof value === 'number') return value;
  if (value === undefined) return 0;
  if (/^[0-9]+%$/.test(value)) return Number(value.slice(0, -1));
  return /^-?\d+$/.test(value) ? Number(value) : 0;
}

/** ValidatePositiveIntOrPercent + IsNotMoreThan100Percent for one field. */
function validateIntOrPercent(path: string, value: IntOrString | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof value === 'string') {
    if (!/^[0-9]+%$/.test(value)) errs.push(invalidGo(path, goIntOrString(value), PERCENT_MESSAGE));
    else if (Number(value.slice(0, -1)) > 100) errs.push(invalidGo(path, goIntOrString(value), 'must not be greater than 100%'));
  } else if ((value ?? 0) < 0) {
    errs.push(invalidValue(path, value, 'must be greater than or equal to 0'));
  }
  return errs;
}

/** ValidateRollingUpdateDaemonSet: exactly one of maxSurge and maxUnavailable is non-zero. */
function validateRollingUpdate(ru: RollingUpdate, path: string): FieldError[] {
  const errs = [...validateIntOrPercent(child(path, 'maxUnavailable'), ru.maxUnavailable), ...validateIntOrPercent(child(path, 'maxSurge'), ru.maxSurge)];
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalidGo(child(path, 'maxSurge'), goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) errs.push(required(child(path, 'maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** Go `%#v` of the internal `*apps.DaemonSetUpdateStrategy` (an unsupported type's message). */
function goUpdateStrategy(strategy: Spec['updateStrategy']): string {
  const ru = strategy?.rollingUpdate
    ? `&apps.RollingUpdateDaemonSet{MaxUnavailable:${goIntOrString(strategy.rollingUpdate.maxUnavailable)}, MaxSurge:${goIntOrString(strategy.rollingUpdate.maxSurge)}}`
    : '(*apps.RollingUpdateDaemonSet)(nil)';
  return `apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(strategy?.type ?? '')}, RollingUpdate:${ru}}`;
}

/** ValidateDaemonSetUpdateStrategy at `spec.updateStrategy`. */
function validateUpdateStrategy(strategy: Spec['updateStrategy'], path: string): FieldError[] {
  switch (strategy?.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate':
      return strategy.rollingUpdate ? validateRollingUpdate(strategy.rollingUpdate, child(path, 'rollingUpdate')) : [required(child(path, 'rollingUpdate'))];
    default:
      return [{ type: 'FieldValueNotSupported', field: path, detail: `Unsupported value: ${goUpdateStrategy(strategy)}: supported values: "RollingUpdate", "OnDelete"` }];
  }
}

/**
 * ValidateDaemonSetSpec at `spec`. A missing selector selects nothing, so only the template
 * labels are reported (upstream has no "Required" for it); `{}` selects everything and is refused.
 */
export function validateDaemonSetSpec(spec: Spec, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec.selector;
  const template = spec.template ?? {};
  const tPath = child(path, 'template');
  const selectorErrors = validateLabelSelector(selector, child(path, 'selector'));
  errs.push(...selectorErrors);
  const labels = template.metadata?.labels;
  const matches = selector ? isEmptySelector(selector) || selectorMatches(selector, labels) : false;
  if (selectorErrors.length === 0 && !matches) errs.push(invalidGo(child(tPath, 'metadata.labels'), goStringMap(labels), '`selector` does not match template `labels`'));
  if (selector && isEmptySelector(selector)) errs.push(invalidGo(child(path, 'selector'), goLabelSelector(selector), 'empty selector is invalid for daemonset'));
  errs.push(...validateLabels(labels, child(tPath, 'metadata.labels')));
  errs.push(...validateAnnotations(template.metadata?.annotations, child(tPath, 'metadata.annotations')));
  errs.push(...validateAppArmorPodAnnotations(template.metadata?.annotations, template.spec, child(tPath, 'annotations')));
  errs.push(...validatePodSpec(template.spec, child(tPath, 'spec')));
  const restart = template.spec?.restartPolicy;
  if (restart !== 'Always') errs.push(notSupported(child(tPath, 'spec.restartPolicy'), restart ?? '', ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined) errs.push(forbidden(child(tPath, 'spec.activeDeadlineSeconds'), 'activeDeadlineSeconds in DaemonSet is not Supported'));
  errs.push(...nonNegative(child(path, 'minReadySeconds'), spec.minReadySeconds));
  errs.push(...validateUpdateStrategy(spec.updateStrategy, child(path, 'updateStrategy')));
  errs.push(...nonNegative(child(path, 'revisionHistoryLimit'), spec.revisionHistoryLimit));
  return errs;
}

/** validateDaemonSetStatus, and ValidateDaemonSetStatusUpdate's collisionCount rule. */
export function validateDaemonSetStatus(status: DaemonSet['status'], old?: DaemonSet['status']): FieldError[] {
  if (!status) return [];
  const errs: FieldError[] = [];
  for (const field of ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'collisionCount'] as const) {
    errs.push(...nonNegative(`status.${field}`, status[field]));
  }
  const before = old?.collisionCount;
  if (before !== undefined && (status.collisionCount === undefined || status.collisionCount < before)) {
    errs.push(invalidValue('status.collisionCount', status.collisionCount ?? 0, 'cannot be decremented'));
  }
  return errs;
}

/** Options of {@link validateDaemonSet}. */
export interface ValidateDaemonSetOptions {
  /** apps/v1 and apps/v1beta2 refuse a selector change; extensions/v1beta1 allowed it (default true). */
  selectorImmutable?: boolean;
}

/** The DaemonSet's field errors; `old` is given on update. */
export function validateDaemonSet(ds: DaemonSet, old?: DaemonSet, options: ValidateDaemonSetOptions = {}): FieldError[] {
  const errs = validateObjectMeta(ds.metadata, { namespaced: true });
  errs.push(...validateDaemonSetSpec(ds.spec ?? {}));
  errs.push(...validateDaemonSetStatus(ds.status, old?.status));
  if (old && options.selectorImmutable !== false) errs.push(...validateSelectorImmutable(ds.spec?.selector, old.spec?.selector));
  return errs;
}
