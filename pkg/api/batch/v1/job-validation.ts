/**
 * Job validation as upstream pkg/apis/batch/validation (ValidateJob, ValidateJobUpdate and the
 * JobSpec rules CronJob's jobTemplate shares), with upstream field paths and messages.
 */
import type { FieldError } from '../../../errors/index.ts';
import type { LabelSelector, ObjectMeta } from '../../meta.ts';
import type { PodTemplateSpec } from '../../core/v1/pod-spec.ts';
import { validatePodSpec } from '../../core/v1/pod-spec.ts';
import { validateAppArmorPodAnnotations } from '../../core/v1/pod-apparmor-validation.ts';
import { child, index, invalidValue, key, notSupported, required, tooLong, tooMany } from '../../validation/field-errors.ts';
import { deepEqual, validateImmutable } from '../../validation/common-rules.ts';
import { validateLabelSelector, labelSelectorHasInvalidLabelValue } from '../../validation/label-selector.ts';
import { isDNS1123Label } from '../../validation/names.ts';
import { validateAnnotations, validateLabels, validateObjectMeta } from '../../validation/object-meta.ts';
import { goLabelSelector, goStringMap, nonNegative, selectorMatches } from '../../apps/v1/workload.ts';
import { validateIndexesFormat } from './indexes.ts';
import type { Job, JobSpec } from './job.ts';

const INDEXED = 'Indexed';
const NON_INDEXED = 'NonIndexed';
const MAX_PARALLELISM_INDEXED = 100_000;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const HIGH_COMPLETIONS_LIMIT = 10_000;
const POD_FAILURE_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];

function invalidSelector(field: string, selector: LabelSelector, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${goLabelSelector(selector)}: ${detail}` };
}

/** Upstream ValidateHasLabel: `metadata.labels[k]` must be present with the expected value. */
function validateHasLabel(meta: ObjectMeta | undefined, path: string, k: string, expected: string): FieldError[] {
  const labels = meta?.labels ?? {};
  const field = key(child(path, 'labels'), k);
  if (!(k in labels)) return [required(field, `must be '${expected}'`)];
  if (labels[k] !== expected) return [{ type: 'FieldValueInvalid', field, detail: `Invalid value: ${goStringMap(labels)}: must be '${expected}'` }];
  return [];
}

/** Upstream validateGeneratedSelector (skipped for manualSelector or a missing selector). */
function validateGeneratedSelector(job: Job, requirePrefixedLabels: boolean): FieldError[] {
  const spec = job.spec ?? {};
  if (spec.manualSelector || !spec.selector) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  if (!uid) errs.push(required('metadata.uid'));
  const meta = spec.template?.metadata;
  const path = 'spec.template.metadata';
  errs.push(...validateHasLabel(meta, path, 'controller-uid', uid), ...validateHasLabel(meta, path, 'job-name', name));
  const expected: Record<string, string> = { 'controller-uid': uid, 'job-name': name };
  if (requirePrefixedLabels) {
    errs.push(...validateHasLabel(meta, path, 'batch.kubernetes.io/controller-uid', uid), ...validateHasLabel(meta, path, 'batch.kubernetes.io/job-name', name));
    expected['batch.kubernetes.io/controller-uid'] = uid;
    expected['batch.kubernetes.io/job-name'] = name;
  }
  if (!selectorMatches(spec.selector, expected)) errs.push(invalidSelector('spec.selector', spec.selector, '`selector` not auto-generated'));
  return errs;
}

function validateIndexedRules(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const { completions, parallelism, maxFailedIndexes, backoffLimitPerIndex } = spec;
  if (completions === undefined) errs.push(required(child(path, 'completions'), `when completion mode is ${INDEXED}`));
  if (parallelism !== undefined && parallelism > MAX_PARALLELISM_INDEXED) {
    errs.push(invalidValue(child(path, 'parallelism'), parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is ${INDEXED}`));
  }
  if (completions !== undefined && maxFailedIndexes !== undefined && maxFailedIndexes > completions) {
    errs.push(invalidValue(child(path, 'maxFailedIndexes'), maxFailedIndexes, 'must be less than or equal to completions'));
  }
  if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES) {
    errs.push(invalidValue(child(path, 'maxFailedIndexes'), maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
  }
  if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && backoffLimitPerIndex !== undefined) {
    const high = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (maxFailedIndexes === undefined) errs.push(required(child(path, 'maxFailedIndexes'), `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
    if (parallelism !== undefined && parallelism > HIGH_COMPLETIONS_LIMIT) errs.push(invalidValue(child(path, 'parallelism'), parallelism, `must be less than or equal to ${HIGH_COMPLETIONS_LIMIT} ${high}`));
    if (maxFailedIndexes !== undefined && maxFailedIndexes > HIGH_COMPLETIONS_LIMIT) errs.push(invalidValue(child(path, 'maxFailedIndexes'), maxFailedIndexes, `must be less than or equal to ${HIGH_COMPLETIONS_LIMIT} ${high}`));
  }
  return errs;
}

function validateCompletionMode(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mode = spec.completionMode;
  if (mode !== undefined) {
    if (mode !== NON_INDEXED && mode !== INDEXED) errs.push(notSupported(child(path, 'completionMode'), mode, [NON_INDEXED, INDEXED]));
    if (mode === INDEXED) errs.push(...validateIndexedRules(spec, path));
  }
  if (mode === undefined || mode === NON_INDEXED) {
    if (spec.backoffLimitPerIndex !== undefined) errs.push(invalidValue(child(path, 'backoffLimitPerIndex'), spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes !== undefined) errs.push(invalidValue(child(path, 'maxFailedIndexes'), spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  return errs;
}

function validatePodFailurePolicy(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules = spec.podFailurePolicy?.rules ?? [];
  const rulesPath = child(path, 'rules');
  if (rules.length > 20) errs.push(tooMany(rulesPath, rules.length, 20));
  const containers = new Set([...(spec.template?.spec?.containers ?? []), ...(spec.template?.spec?.initContainers ?? [])].map((c) => c.name));
  rules.forEach((rule, i) => {
    const rp = index(rulesPath, i);
    const actionPath = child(rp, 'action');
    if (!rule.action) errs.push(required(actionPath, `valid values: [${POD_FAILURE_ACTIONS.map((a) => JSON.stringify(a)).join(' ')}]`));
    else if (rule.action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined) errs.push(invalidValue(actionPath, rule.action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!POD_FAILURE_ACTIONS.includes(rule.action)) errs.push(notSupported(actionPath, rule.action, POD_FAILURE_ACTIONS));
    const codes = rule.onExitCodes;
    if (codes) {
      const cp = child(rp, 'onExitCodes');
      if (!codes.operator) errs.push(required(child(cp, 'operator'), 'valid values: ["In" "NotIn"]'));
      else if (codes.operator !== 'In' && codes.operator !== 'NotIn') errs.push(notSupported(child(cp, 'operator'), codes.operator, ['In', 'NotIn']));
      if (codes.containerName !== undefined && !containers.has(codes.containerName)) {
        errs.push(invalidValue(child(cp, 'containerName'), codes.containerName, 'must be one of the container or initContainer names in the pod template'));
      }
      const vp = child(cp, 'values');
      if (codes.values.length === 0) errs.push({ type: 'FieldValueInvalid', field: vp, detail: 'Invalid value: []int32{}: at least one value is required' });
      else if (codes.values.length > 255) errs.push(tooMany(vp, codes.values.length, 255));
      const seen = new Set<number>();
      codes.values.forEach((v, j) => {
        if (codes.operator === 'In' && v === 0) errs.push(invalidValue(index(vp, j), v, 'must not be 0 for the In operator'));
        if (seen.has(v)) errs.push({ type: 'FieldValueDuplicate', field: index(vp, j), detail: `Duplicate value: ${v}` });
        seen.add(v);
      });
      if (codes.values.some((v, j) => j > 0 && codes.values[j - 1]! > v)) {
        errs.push({ type: 'FieldValueInvalid', field: vp, detail: `Invalid value: []int32{${codes.values.join(', ')}}: must be ordered` });
      }
    }
    const conds = rule.onPodConditions ?? [];
    conds.forEach((pattern, j) => {
      const pp = index(child(rp, 'onPodConditions'), j);
      if (!pattern.status) errs.push(required(child(pp, 'status'), 'valid values: ["False" "True" "Unknown"]'));
      else if (!['False', 'True', 'Unknown'].includes(pattern.status)) errs.push(notSupported(child(pp, 'status'), pattern.status, ['False', 'True', 'Unknown']));
    });
    if (codes && conds.length) errs.push({ type: 'FieldValueInvalid', field: rp, detail: 'Invalid value: specifying both OnExitCodes and OnPodConditions is not supported' });
    if (!codes && !conds.length) errs.push({ type: 'FieldValueInvalid', field: rp, detail: 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required' });
  });
  return errs;
}

function validateSuccessPolicy(spec: JobSpec, path: string): FieldError[] {
  const rules = spec.successPolicy?.rules ?? [];
  const rulesPath = child(path, 'rules');
  const errs: FieldError[] = [];
  if (rules.length === 0) errs.push(required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > 20) errs.push(tooMany(rulesPath, rules.length, 20));
  const completions = spec.completions ?? 0;
  rules.forEach((rule, i) => {
    const rp = index(rulesPath, i);
    if (rule.succeededCount === undefined && rule.succeededIndexes === undefined) errs.push(required(rp, 'at least one of succeededCount or succeededIndexes must be specified'));
    let total = 0;
    if (rule.succeededIndexes !== undefined) {
      const ip = child(rp, 'succeededIndexes');
      if (rule.succeededIndexes.length > 64 * 1024) errs.push(tooLong(ip, 64 * 1024));
      const parsed = validateIndexesFormat(rule.succeededIndexes, completions);
      if (typeof parsed === 'string') errs.push(invalidValue(ip, rule.succeededIndexes, `error parsing succeededIndexes: ${parsed}`));
      else total = parsed;
    }
    if (rule.succeededCount !== undefined) {
      const cp = child(rp, 'succeededCount');
      errs.push(...nonNegative(cp, rule.succeededCount));
      if (rule.succeededCount > completions) errs.push(invalidValue(cp, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
      if (rule.succeededIndexes !== undefined && rule.succeededCount > total) {
        errs.push(invalidValue(cp, rule.succeededCount, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
      }
    }
  });
  return errs;
}

function validatePodReplacementPolicy(spec: JobSpec, path: string): FieldError[] {
  const policy = spec.podReplacementPolicy;
  if (policy === undefined) return [];
  if (spec.podFailurePolicy) return policy === 'Failed' ? [] : [notSupported(path, policy, ['Failed'])];
  return policy === 'Failed' || policy === 'TerminatingOrFailed' ? [] : [notSupported(path, policy, ['Failed', 'TerminatingOrFailed'])];
}

/** Upstream ValidatePodTemplateSpec for a Job's template: labels, annotations, pod spec. */
function validateTemplate(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const meta = template?.metadata;
  return [
    ...validateLabels(meta?.labels, child(path, 'metadata.labels')),
    ...validateAnnotations(meta?.annotations, child(path, 'metadata.annotations')),
    ...validateAppArmorPodAnnotations(meta?.annotations, template?.spec, child(path, 'annotations')),
    ...validatePodSpec(template?.spec, child(path, 'spec')),
  ];
}

/** Upstream validateJobSpec (without the selector): the rules a CronJob's jobTemplate shares. */
export function validateJobSpecFields(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex'] as const) {
    errs.push(...nonNegative(child(path, f), spec[f]));
  }
  if (spec.maxFailedIndexes !== undefined) {
    errs.push(...nonNegative(child(path, 'maxFailedIndexes'), spec.maxFailedIndexes));
    if (spec.backoffLimitPerIndex === undefined) errs.push(required(child(path, 'backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (spec.managedBy !== undefined) {
    const mb = child(path, 'managedBy');
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[^/]/.test(spec.managedBy)) {
      errs.push(invalidValue(mb, spec.managedBy, 'must be a domain-prefixed path (such as "acme.io/foo")'));
    }
    if (spec.managedBy.length > 63) errs.push({ type: 'FieldValueTooLong', field: mb, detail: 'Too long: may not be more than 63 bytes' });
  }
  errs.push(...validateCompletionMode(spec, path));
  if (spec.podFailurePolicy) errs.push(...validatePodFailurePolicy(spec, child(path, 'podFailurePolicy')));
  if (spec.successPolicy) {
    if ((spec.completionMode ?? NON_INDEXED) !== INDEXED) errs.push(invalidValue(child(path, 'successPolicy'), spec.successPolicy, 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, child(path, 'successPolicy')));
  }
  errs.push(...validatePodReplacementPolicy(spec, child(path, 'podReplacementPolicy')));
  errs.push(...validateTemplate(spec.template, child(path, 'template')));
  const restart = spec.template?.spec?.restartPolicy ?? '';
  const restartPath = child(path, 'template.spec.restartPolicy');
  if (restart === 'Always' || restart === '') errs.push(required(restartPath, 'valid values: "OnFailure", "Never"'));
  else if (restart !== 'OnFailure' && restart !== 'Never') errs.push(notSupported(restartPath, restart, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy && restart !== 'Never') errs.push(invalidValue(restartPath, restart, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

/** Upstream ValidateJobSpec: the shared rules plus the selector and its match with the template labels. */
function validateJobSpec(spec: JobSpec, path: string, allowInvalidLabelValueInSelector: boolean): FieldError[] {
  const errs = validateJobSpecFields(spec, path);
  if (!spec.selector) errs.push(required(child(path, 'selector')));
  else errs.push(...validateLabelSelector(spec.selector, child(path, 'selector'), { allowInvalidLabelValueInSelector }));
  const labels = spec.template?.metadata?.labels;
  // A nil selector selects nothing (LabelSelectorAsSelector), so it never matches either.
  if (!spec.selector || !selectorMatches(spec.selector, labels)) {
    errs.push({ type: 'FieldValueInvalid', field: child(path, 'template.metadata.labels'), detail: `Invalid value: ${goStringMap(labels)}: \`selector\` does not match template \`labels\`` });
  }
  return errs;
}

/** Upstream validatePodTemplateUpdate: immutable, except scheduling directives of a suspended Job that never started. */
function validateTemplateUpdate(spec: JobSpec, oldSpec: JobSpec, allowSchedulingChanges: boolean): FieldError[] {
  const template = spec.template ?? {};
  let old: PodTemplateSpec = oldSpec.template ?? {};
  if (allowSchedulingChanges) {
    old = structuredClone(old);
    const oldSpecPod = (old.spec ??= {});
    const newPod = template.spec ?? {};
    const oldAffinity = oldSpecPod.affinity;
    if (!newPod.affinity && oldAffinity) {
      const { nodeAffinity: _n, ...rest } = oldAffinity;
      oldSpecPod.affinity = Object.values(rest).some((v) => v !== undefined) ? rest : undefined;
    } else if (newPod.affinity && !oldAffinity) oldSpecPod.affinity = { nodeAffinity: newPod.affinity.nodeAffinity };
    else if (newPod.affinity && oldAffinity) oldSpecPod.affinity = { ...oldAffinity, nodeAffinity: newPod.affinity.nodeAffinity };
    oldSpecPod.nodeSelector = newPod.nodeSelector;
    oldSpecPod.tolerations = newPod.tolerations;
    oldSpecPod.schedulingGates = newPod.schedulingGates;
    const oldMeta = (old.metadata ??= {});
    oldMeta.annotations = template.metadata?.annotations;
    oldMeta.labels = template.metadata?.labels;
  }
  return deepEqual(template, old) ? [] : [invalidValue('spec.template', template, 'field is immutable')];
}

/** Upstream validateCompletions (ElasticIndexedJob): Indexed Jobs may change completions in tandem with parallelism. */
function validateCompletionsUpdate(spec: JobSpec, oldSpec: JobSpec): FieldError[] {
  if (spec.completionMode !== INDEXED) return validateImmutable('spec.completions', spec.completions, oldSpec.completions);
  if (spec.completions === oldSpec.completions || spec.completions === undefined) return [];
  return spec.completions !== spec.parallelism ? [invalidValue('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism')] : [];
}

/** Upstream ValidateJobSpecUpdate (the immutable fields). */
function validateJobSpecUpdate(job: Job, old: Job): FieldError[] {
  const spec = job.spec ?? {};
  const oldSpec = old.spec ?? {};
  const allowSchedulingChanges = oldSpec.suspend === true && !old.status?.startTime;
  const errs = validateCompletionsUpdate(spec, oldSpec);
  if (!deepEqual(spec.selector, oldSpec.selector)) {
    errs.push(spec.selector ? invalidSelector('spec.selector', spec.selector, 'field is immutable') : invalidValue('spec.selector', null, 'field is immutable'));
  }
  errs.push(...validateTemplateUpdate(spec, oldSpec, allowSchedulingChanges));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const) {
    errs.push(...validateImmutable(child('spec', f), spec[f], oldSpec[f]));
  }
  return errs;
}

const isTrue = (job: Job, type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/**
 * Upstream validateJobStatus / ValidateJobStatusUpdate, the rules that hold whatever changed:
 * non-negative counters, UIDs in uncountedTerminatedPods, terminal conditions that stay.
 */
function validateJobStatusUpdate(job: Job, old: Job): FieldError[] {
  const status = job.status ?? {};
  const errs: FieldError[] = [];
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating'] as const) errs.push(...nonNegative(child('status', f), status[f]));
  const seen = new Set<string>();
  for (const kind of ['succeeded', 'failed'] as const) {
    (status.uncountedTerminatedPods?.[kind] ?? []).forEach((uid, i) => {
      const path = index(`status.uncountedTerminatedPods.${kind}`, i);
      if (uid === '') errs.push(invalidValue(path, uid, 'must not be empty'));
      else if (seen.has(uid)) errs.push({ type: 'FieldValueDuplicate', field: path, detail: `Duplicate value: ${JSON.stringify(uid)}` });
      seen.add(uid);
    });
  }
  if (isTrue(job, 'Complete') && isTrue(job, 'Failed')) errs.push({ type: 'FieldValueInvalid', field: 'status.conditions', detail: 'Invalid value: cannot set Complete=True and Failed=true conditions' });
  for (const type of ['Failed', 'Complete', 'FailureTarget']) {
    if (isTrue(old, type) && !isTrue(job, type)) errs.push({ type: 'FieldValueInvalid', field: 'status.conditions', detail: `Invalid value: cannot disable the terminal ${type}=True condition` });
  }
  return errs;
}

/** Upstream ValidateJob (+ ValidateJobUpdate when `old` is given). */
export function validateJob(job: Job, old?: Job): FieldError[] {
  const errs = validateObjectMeta(job.metadata, { namespaced: true });
  const oldLabels = old?.spec?.template?.metadata?.labels ?? {};
  const requirePrefixed = !old || ('batch.kubernetes.io/job-name' in oldLabels && 'batch.kubernetes.io/controller-uid' in oldLabels);
  errs.push(...validateGeneratedSelector(job, requirePrefixed));
  const spec = job.spec ?? {};
  const allowInvalid = old ? labelSelectorHasInvalidLabelValue(old.spec?.selector) : false;
  errs.push(...validateJobSpec(spec, 'spec', allowInvalid));
  if (spec.completionMode === INDEXED && spec.completions !== undefined && spec.completions > 0) {
    const hostname = `${job.metadata.name ?? ''}-${spec.completions - 1}`;
    if (isDNS1123Label(hostname).length) errs.push(invalidValue('metadata.name', job.metadata.name ?? '', `will not able to create pod with invalid DNS label: ${hostname}`));
  }
  if (old) errs.push(...validateJobSpecUpdate(job, old), ...validateJobStatusUpdate(job, old));
  return errs;
}
