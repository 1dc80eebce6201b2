/**
 * Upstream ValidateStatefulSet / ValidateStatefulSetUpdate / ValidateStatefulSetStatus
 * (pkg/apis/apps/validation), with upstream's paths and messages. As upstream, the pod template's
 * spec is not validated here (only labels, annotations, restartPolicy and activeDeadlineSeconds):
 * an invalid one is refused when the controller creates the pod (a `FailedCreate` event).
 */
import type { FieldError } from '../../../errors/index.ts';
import type { IntOrString } from '../../meta.ts';
import { forbidden, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { validateLabelSelector } from '../../validation/label-selector.ts';
import { isDNS1123Label } from '../../validation/names.ts';
import { validateAnnotations, validateLabels, validateObjectMeta } from '../../validation/object-meta.ts';
import type { StatefulSet, StatefulSetSpec, StatefulSetStatus } from './statefulset.ts';
import { goLabelSelector, goStringMap, isEmptySelector, nonNegative, selectorMatches } from './workload.ts';

type RollingUpdate = NonNullable<NonNullable<StatefulSetSpec['updateStrategy']>['rollingUpdate']>;

/** The forbidden-update message of 1.33 (ValidateStatefulSetUpdate). */
export const FORBIDDEN_UPDATE_MESSAGE = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

const RETENTION_TYPES = ['Retain', 'Delete'];

function invalidGo(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: detail ? `Invalid value: ${rendered}: ${detail}` : `Invalid value: ${rendered}` };
}

function goIntOrString(v: IntOrString | undefined): string {
  if (v === undefined) return '(*intstr.IntOrString)(nil)';
  return typeof v === 'number' ? `(*intstr.IntOrString)(${v})` : `(*intstr.IntOrString)(${JSON.stringify(v)})`;
}

/** Go `%#v` of the internal apps.RollingUpdateStatefulSetStrategy. */
function goRollingUpdate(ru: RollingUpdate): string {
  return `apps.RollingUpdateStatefulSetStrategy{Partition:${ru.partition ?? 0}, MaxUnavailable:${goIntOrString(ru.maxUnavailable)}}`;
}

/** Go `%#v` of the internal apps.StatefulSetUpdateStrategy. */
function goUpdateStrategy(s: NonNullable<StatefulSetSpec['updateStrategy']>): string {
  const ru = s.rollingUpdate ? `&${goRollingUpdate(s.rollingUpdate)}` : '(*apps.RollingUpdateStatefulSetStrategy)(nil)';
  return `apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(s.type ?? '')}, RollingUpdate:${ru}}`;
}

const isPercent = (v: string) => /^[0-9]+%$/.test(v);

function validateMaxUnavailable(path: string, v: IntOrString | undefined): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'string') {
    if (!isPercent(v)) return [invalidValue(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    const n = Number(v.slice(0, -1));
    if (n === 0) return [invalidValue(path, v, 'cannot be 0')];
    return n > 100 ? [invalidValue(path, v, 'must not be greater than 100%')] : [];
  }
  const errs = nonNegative(path, v);
  if (v === 0) errs.push(invalidValue(path, v, 'cannot be 0'));
  return errs;
}

function validateUpdateStrategy(spec: StatefulSetSpec): FieldError[] {
  const strategy = spec.updateStrategy ?? {};
  const path = 'spec.updateStrategy';
  switch (strategy.type ?? '') {
    case '':
      return [required(path)];
    case 'OnDelete':
      return strategy.rollingUpdate ? [invalidGo(`${path}.rollingUpdate`, goRollingUpdate(strategy.rollingUpdate), "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (!ru) return [];
      return [...nonNegative(`${path}.rollingUpdate.partition`, ru.partition ?? 0), ...validateMaxUnavailable(`${path}.rollingUpdate.maxUnavailable`, ru.maxUnavailable)];
    }
    default:
      return [invalidGo(path, goUpdateStrategy(strategy), "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

function validateRetention(spec: StatefulSetSpec): FieldError[] {
  const policy = spec.persistentVolumeClaimRetentionPolicy;
  if (!policy) return [];
  const path = 'spec.persistentVolumeClaimRetentionPolicy';
  const errs: FieldError[] = [];
  for (const field of ['whenDeleted', 'whenScaled'] as const) {
    const value = policy[field] ?? '';
    if (!RETENTION_TYPES.includes(value)) errs.push(notSupported(`${path}.${field}`, value, RETENTION_TYPES));
  }
  return errs;
}

/** Selector and template rules of ValidateStatefulSetSpec. */
function validateSelectorAndTemplate(spec: StatefulSetSpec): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec.selector;
  const selectorErrors = validateLabelSelector(selector, 'spec.selector');
  if (!selector) errs.push(required('spec.selector'));
  else {
    errs.push(...selectorErrors);
    if (isEmptySelector(selector)) errs.push(invalidGo('spec.selector', goLabelSelector(selector), 'empty selector is invalid for statefulset'));
  }
  const template = spec.template ?? {};
  const labels = template.metadata?.labels;
  if (selector && selectorErrors.length) errs.push(invalidGo('spec.selector', goLabelSelector(selector), ''));
  else {
    // A missing selector selects nothing (so never matches); an empty one selects everything.
    const matches = selector ? isEmptySelector(selector) || selectorMatches(selector, labels) : false;
    if (!matches) errs.push(invalidGo('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
    errs.push(...validateLabels(labels, 'spec.template.labels'));
    errs.push(...validateAnnotations(template.metadata?.annotations, 'spec.template.annotations'));
  }
  const restart = template.spec?.restartPolicy ?? '';
  if (restart !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', restart, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

/** ValidateStatefulSetSpec. */
export function validateStatefulSetSpec(spec: StatefulSetSpec): FieldError[] {
  const errs: FieldError[] = [];
  const policy = spec.podManagementPolicy ?? '';
  if (policy === '') errs.push(required('spec.podManagementPolicy'));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') errs.push(invalidValue('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateUpdateStrategy(spec));
  errs.push(...validateRetention(spec));
  errs.push(...nonNegative('spec.replicas', spec.replicas ?? 0));
  errs.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds ?? 0));
  if (spec.ordinals) errs.push(...nonNegative('spec.ordinals.start', spec.ordinals.start ?? 0));
  errs.push(...validateSelectorAndTemplate(spec));
  return errs;
}

/** An empty list or map is the same as an absent one (Semantic.DeepEqual on internal types). */
function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? value.map(normalized) : undefined;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const n = normalized(v);
      if (n !== undefined && n !== '') out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

const MUTABLE = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy'] as const;

/** The update rule: only the fields of {@link MUTABLE} may change. */
export function validateStatefulSetSpecUpdate(spec: StatefulSetSpec, old: StatefulSetSpec): FieldError[] {
  const strip = (s: StatefulSetSpec) => {
    const rest: Record<string, unknown> = { ...s };
    for (const k of MUTABLE) delete rest[k];
    return normalized(rest);
  };
  return deepEqual(strip(spec), strip(old)) ? [] : [forbidden('spec', FORBIDDEN_UPDATE_MESSAGE)];
}

/** ValidateStatefulSetStatus (what a `/status` write may hold). */
export function validateStatefulSetStatus(status: StatefulSetStatus | undefined, old?: StatefulSetStatus): FieldError[] {
  if (!status) return [];
  const n = (v: number | undefined) => v ?? 0;
  const errs: FieldError[] = [];
  for (const f of ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'] as const) errs.push(...nonNegative(`status.${f}`, n(status[f])));
  if (status.observedGeneration !== undefined) errs.push(...nonNegative('status.observedGeneration', status.observedGeneration));
  if (status.collisionCount !== undefined) errs.push(...nonNegative('status.collisionCount', status.collisionCount));
  const msg = 'cannot be greater than status.replicas';
  for (const f of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'] as const) {
    if (n(status[f]) > n(status.replicas)) errs.push(invalidValue(`status.${f}`, n(status[f]), msg));
  }
  if (n(status.availableReplicas) > n(status.readyReplicas)) errs.push(invalidValue('status.availableReplicas', n(status.availableReplicas), 'cannot be greater than status.readyReplicas'));
  if (old?.collisionCount !== undefined && n(status.collisionCount) < old.collisionCount) {
    errs.push(invalidValue('status.collisionCount', n(status.collisionCount), 'cannot be decremented'));
  }
  return errs;
}

/**
 * Create: object meta (the name a DNS-1123 label, as pod hostnames come from it) and spec. Update:
 * spec, the update rule and the status rules (the generic `/status` path validates through here).
 */
export function validateStatefulSet(set: StatefulSet, old?: StatefulSet): FieldError[] {
  const spec = set.spec ?? {};
  const errs = validateObjectMeta(set.metadata, { namespaced: true, nameValidator: old ? () => [] : isDNS1123Label });
  errs.push(...validateStatefulSetSpec(spec));
  if (old) {
    errs.push(...validateStatefulSetSpecUpdate(spec, old.spec ?? {}));
    errs.push(...validateStatefulSetStatus(set.status, old.status));
  }
  return errs;
}
