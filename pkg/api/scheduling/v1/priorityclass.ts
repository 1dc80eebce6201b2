/**
 * scheduling.k8s.io/v1 PriorityClass: cluster-scoped; values above 1e9 and names starting
 * with `system-` are reserved for the two built-in system classes.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { validateImmutable } from '../../validation/common-rules.ts';
import { forbidden, notSupported, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';

export const PriorityClassSchema = kubeObject({
  value: z.number().int().optional().default(0),
  globalDefault: z.boolean().optional(),
  description: z.string().optional(),
  preemptionPolicy: z.string().optional(),
});
export type PriorityClass = z.infer<typeof PriorityClassSchema>;

/** Upstream `HighestUserDefinablePriority`. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** The built-in system classes and their fixed values. */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

export function applyPriorityClassDefaults(pc: PriorityClass): void {
  pc.preemptionPolicy ??= 'PreemptLowerPriority';
}

function systemClassProblem(pc: PriorityClass): string | undefined {
  const name = pc.metadata.name ?? '';
  const value = SYSTEM_PRIORITY_CLASSES[name];
  if (value === undefined) return `${name} is not a known system priority class`;
  if (pc.value !== value) return `value of ${name} PriorityClass must be ${value}`;
  if (pc.globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

export function validatePriorityClass(pc: PriorityClass, old?: PriorityClass): FieldError[] {
  const errs = validateObjectMeta(pc.metadata, { namespaced: false });
  if ((pc.metadata.name ?? '').startsWith('system-')) {
    const problem = systemClassProblem(pc);
    if (problem) errs.push(forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${problem}`));
  } else if (pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (pc.preemptionPolicy !== undefined) {
    if (pc.preemptionPolicy === '') errs.push(required('preemptionPolicy'));
    else if (!PREEMPTION_POLICIES.includes(pc.preemptionPolicy)) errs.push(notSupported('preemptionPolicy', pc.preemptionPolicy, PREEMPTION_POLICIES));
  }
  if (old) {
    if (pc.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
    errs.push(...validateImmutable('preemptionPolicy', pc.preemptionPolicy, old.preemptionPolicy));
  }
  return errs;
}

export const priorityClassResource = defineResource<PriorityClass>({
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  schema: PriorityClassSchema,
  applyDefaults: applyPriorityClassDefaults,
  validate: validatePriorityClass,
});
