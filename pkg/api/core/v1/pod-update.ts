/**
 * Pod update rules (upstream ValidatePodUpdate): a running pod's spec is immutable except for
 * container images, a shrinking activeDeadlineSeconds, added tolerations, removed scheduling
 * gates and terminationGracePeriodSeconds going from negative to 1.
 */
import type { FieldError } from '../../../errors/index.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { child, forbidden, index, invalidValue, required } from '../../validation/field-errors.ts';
import type { PodSpec } from './pod-spec.ts';
import { copyJson } from '../../../util/json-copy.ts';

/** The forbidden-update message, as upstream lists the updatable fields. */
export const POD_UPDATE_MESSAGE = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,'
  + '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),'
  + '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const MAX_INT32 = 2147483647;

type Containers = PodSpec['containers'];

/** ValidateContainerUpdates: same number of containers, every image present and trimmed. */
function validateContainerUpdates(path: string, next: Containers, old: Containers): { errors: FieldError[]; stop: boolean } {
  if ((next?.length ?? 0) !== (old?.length ?? 0)) {
    return { errors: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  }
  const errors: FieldError[] = [];
  for (const [i, c] of (next ?? []).entries()) {
    const p = child(index(path, i), 'image');
    if (!c.image) errors.push(required(p));
    else if (c.image.trim() !== c.image) errors.push(invalidValue(p, c.image, 'must not have leading or trailing whitespace'));
  }
  return { errors, stop: false };
}

/** Only shrinking (or first setting) the deadline is allowed; it may not be removed. */
function validateDeadlineUpdate(path: string, next: number | undefined, old: number | undefined): FieldError[] {
  if (next === undefined) {
    return old === undefined ? [] : [invalidValue(path, null, 'must not update from a positive integer to nil value')];
  }
  if (next < 0 || next > MAX_INT32) return [invalidValue(path, next, `must be between 0 and ${MAX_INT32}, inclusive`)];
  if (old !== undefined && old < next) return [invalidValue(path, next, 'must be less than or equal to previous value')];
  return [];
}

/** validateOnlyAddedTolerations: every old toleration stays, only its tolerationSeconds may change. */
function validateOnlyAddedTolerations(path: string, next: PodSpec['tolerations'], old: PodSpec['tolerations']): FieldError[] {
  for (const o of old ?? []) {
    const found = (next ?? []).some((n) => deepEqual({ ...o, tolerationSeconds: n.tolerationSeconds }, n));
    if (!found) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

/** validateOnlyDeletedSchedulingGates: gates may be removed, never added. */
function validateOnlyDeletedSchedulingGates(path: string, next: PodSpec['schedulingGates'], old: PodSpec['schedulingGates']): FieldError[] {
  const oldNames = new Set((old ?? []).map((g) => g.name));
  const errs: FieldError[] = [];
  for (const [i, g] of (next ?? []).entries()) {
    if (!oldNames.has(g.name)) errs.push(forbidden(child(index(path, i), 'name'), `only deletion is allowed, but found new scheduling gate '${g.name}'`));
  }
  return errs;
}

/** The new spec with every updatable field taken from the old one, for the equality check. */
function munged(next: PodSpec, old: PodSpec): PodSpec {
  const m = copyJson(next);
  m.containers?.forEach((c, i) => { c.image = old.containers?.[i]?.image; });
  m.initContainers?.forEach((c, i) => { c.image = old.initContainers?.[i]?.image; });
  m.activeDeadlineSeconds = old.activeDeadlineSeconds;
  m.tolerations = old.tolerations;
  m.schedulingGates = old.schedulingGates;
  if ((old.terminationGracePeriodSeconds ?? 0) < 0 && m.terminationGracePeriodSeconds === 1) {
    m.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  }
  return m;
}

/**
 * The spec part of ValidatePodUpdate (both specs defaulted). Returns every error; empty means
 * the update is allowed.
 */
export function validatePodSpecUpdate(next: PodSpec | undefined, old: PodSpec | undefined, path = 'spec'): FieldError[] {
  const n = next ?? {};
  const o = old ?? {};
  const containers = validateContainerUpdates(child(path, 'containers'), n.containers, o.containers);
  if (containers.stop) return containers.errors;
  const inits = validateContainerUpdates(child(path, 'initContainers'), n.initContainers, o.initContainers);
  const errs = [...containers.errors, ...inits.errors];
  if (inits.stop) return errs;
  const deadline = validateDeadlineUpdate(child(path, 'activeDeadlineSeconds'), n.activeDeadlineSeconds, o.activeDeadlineSeconds);
  errs.push(...deadline);
  if (deadline.length > 0 && n.activeDeadlineSeconds !== undefined) return errs;
  errs.push(...validateOnlyAddedTolerations(child(path, 'tolerations'), n.tolerations, o.tolerations));
  errs.push(...validateOnlyDeletedSchedulingGates(child(path, 'schedulingGates'), n.schedulingGates, o.schedulingGates));
  if (!deepEqual(munged(n, o), o)) errs.push(forbidden(path, POD_UPDATE_MESSAGE));
  return errs;
}
