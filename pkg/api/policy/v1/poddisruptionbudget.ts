/**
 * policy/v1 PodDisruptionBudget: how many of the pods a selector picks must stay available
 * (`minAvailable`) or may be unavailable (`maxUnavailable`) during voluntary disruptions
 * (evictions). Upstream strategy: status reset on create, generation bumped on spec changes
 * (the generic strategy does that for kinds with a status subresource); spec validation as
 * upstream's ValidatePodDisruptionBudgetSpec; status counts non-negative. No defaults in v1:
 * `unhealthyPodEvictionPolicy` stays unset (the eviction API then behaves as IfHealthyBudget).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { ConditionSchema, IntOrStringSchema, kubeObject, LabelSelectorSchema, type IntOrString } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { goIntOrString } from '../../apps/v1/daemonset-validation.ts';
import { PERCENT_MESSAGE } from '../../apps/v1/deployment.ts';
import { nonNegative } from '../../apps/v1/workload.ts';
import { child, index, notSupported } from '../../validation/field-errors.ts';
import { validateLabelSelector } from '../../validation/label-selector.ts';
import { isValidPathSegmentName } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';

const count = () => z.number().int().optional().default(0);

export const PodDisruptionBudgetSpecSchema = z.object({
  minAvailable: IntOrStringSchema.optional(),
  selector: LabelSelectorSchema.optional(),
  maxUnavailable: IntOrStringSchema.optional(),
  unhealthyPodEvictionPolicy: z.string().optional(),
});

export const PodDisruptionBudgetStatusSchema = z.object({
  observedGeneration: z.number().int().optional(),
  disruptedPods: z.record(z.string(), z.string()).optional(),
  disruptionsAllowed: count(),
  currentHealthy: count(),
  desiredHealthy: count(),
  expectedPods: count(),
  conditions: z.array(ConditionSchema).optional(),
});
export type PodDisruptionBudgetStatus = z.infer<typeof PodDisruptionBudgetStatusSchema>;

export const PodDisruptionBudgetSchema = kubeObject({
  spec: PodDisruptionBudgetSpecSchema.optional(),
  status: PodDisruptionBudgetStatusSchema.optional(),
});
export type PodDisruptionBudget = z.infer<typeof PodDisruptionBudgetSchema>;

/** `unhealthyPodEvictionPolicy` values, sorted as upstream lists them in messages. */
export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'] as const;

/** The `DisruptionAllowed` condition and its reasons (policy/v1 constants). */
export const DISRUPTION_ALLOWED_CONDITION = 'DisruptionAllowed';
export const DISRUPTION_REASONS = { sufficientPods: 'SufficientPods', insufficientPods: 'InsufficientPods', syncFailed: 'SyncFailed' } as const;

/** The status a budget has before the disruption controller saw it (Go zero value). */
export function emptyPdbStatus(): PodDisruptionBudgetStatus {
  return { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
}

/** The status is a non-pointer struct upstream: it is always present. */
export function applyPdbDefaults(pdb: PodDisruptionBudget): void {
  pdb.spec ??= {};
  pdb.status ??= emptyPdbStatus();
}

/**
 * Go `%#v` of the internal PodDisruptionBudgetSpec, as upstream puts it in the "both set" message:
 * pointers print as addresses (made up here, stable per call) or `(nil)`.
 */
export function goPdbSpec(spec: NonNullable<PodDisruptionBudget['spec']>): string {
  let address = 0xc000a1c000;
  const ptr = (type: string, set: boolean) => {
    address += 0x20;
    return `(*${type})(${set ? `0x${address.toString(16)}` : 'nil'})`;
  };
  return `policy.PodDisruptionBudgetSpec{MinAvailable:${ptr('intstr.IntOrString', spec.minAvailable !== undefined)}, Selector:${ptr('v1.LabelSelector', spec.selector !== undefined)}, MaxUnavailable:${ptr('intstr.IntOrString', spec.maxUnavailable !== undefined)}, UnhealthyPodEvictionPolicy:${ptr('policy.UnhealthyPodEvictionPolicyType', spec.unhealthyPodEvictionPolicy !== undefined)}}`;
}

function invalidGo(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${detail}` };
}

/** Upstream ValidatePositiveIntOrPercent + IsNotMoreThan100Percent. */
export function validatePositiveIntOrPercent(path: string, value: IntOrString | undefined): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'number') return nonNegative(path, value);
  if (!/^[0-9]+%$/.test(value)) return [invalidGo(path, goIntOrString(value), PERCENT_MESSAGE)];
  if (Number(value.slice(0, -1)) > 100) return [invalidGo(path, goIntOrString(value), 'must not be greater than 100%')];
  return [];
}

function validateSpec(spec: NonNullable<PodDisruptionBudget['spec']>): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(invalidGo('spec', goPdbSpec(spec), 'minAvailable and maxUnavailable cannot be both set'));
  }
  errs.push(...validatePositiveIntOrPercent('spec.minAvailable', spec.minAvailable));
  errs.push(...validatePositiveIntOrPercent('spec.maxUnavailable', spec.maxUnavailable));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !(UNHEALTHY_POD_EVICTION_POLICIES as readonly string[]).includes(policy)) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errs;
}

const CONDITION_STATUSES = ['True', 'False', 'Unknown'];

/** Upstream ValidatePodDisruptionBudgetStatusUpdate (counts, and the conditions' status values). */
function validateStatus(status: PodDisruptionBudgetStatus | undefined): FieldError[] {
  if (!status) return [];
  const errs: FieldError[] = [];
  (status.conditions ?? []).forEach((c, i) => {
    if (!CONDITION_STATUSES.includes(c.status)) errs.push(notSupported(child(index('status.conditions', i), 'status'), c.status, CONDITION_STATUSES));
  });
  for (const f of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const) errs.push(...nonNegative(`status.${f}`, status[f]));
  return errs;
}

/** Names only need to be a valid path segment (upstream validates no more for this kind). */
export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): FieldError[] {
  const errs = validateObjectMeta(pdb.metadata, { namespaced: true, nameValidator: isValidPathSegmentName });
  errs.push(...validateSpec(pdb.spec ?? {}));
  errs.push(...validateStatus(pdb.status));
  return errs;
}

export const podDisruptionBudgetResource = defineResource<PodDisruptionBudget>({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  schema: PodDisruptionBudgetSchema,
  subresources: { status: true },
  // status.conditions: patchStrategy merge on `type`; every other list is atomic upstream.
  patchMeta: { 'status.conditions': { strategy: 'merge', mergeKey: 'type' } },
  applyDefaults: applyPdbDefaults,
  validate: validatePodDisruptionBudget,
  prepareForCreate(pdb) {
    pdb.status = emptyPdbStatus();
  },
});
