/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding: binds a
 * ValidatingAdmissionPolicy (by name) to a scope (`matchResources`), a parameter object
 * (`paramRef`) and the actions a failed validation takes (Deny, Warn, Audit). Cluster-scoped;
 * defaults and validation as upstream v1 (including upstream's `spec.matchResouces` path typo).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { defineResource } from '../../core/v1/common.ts';
import { kubeObject } from '../../meta.ts';
import { invalidValue, required } from '../../validation/field-errors.ts';
import { isDNS1123Subdomain } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { applyMatchResourcesDefaults, MatchResourcesSchema, ParamRefSchema, type MatchResources, type ParamRef } from './policy-types.ts';
import { validateMatchResources, validateParamRef, validateValidationActions } from './policy-validation.ts';

export const ValidatingAdmissionPolicyBindingSpecSchema = z.object({
  policyName: z.string().optional(),
  paramRef: ParamRefSchema.optional(),
  matchResources: MatchResourcesSchema.optional(),
  validationActions: z.array(z.string()).optional(),
});
export interface ValidatingAdmissionPolicyBindingSpec {
  policyName?: string;
  paramRef?: ParamRef;
  matchResources?: MatchResources;
  validationActions?: string[];
}

export const ValidatingAdmissionPolicyBindingSchema = kubeObject({ spec: ValidatingAdmissionPolicyBindingSpecSchema.optional() });
export type ValidatingAdmissionPolicyBinding = z.infer<typeof ValidatingAdmissionPolicyBindingSchema> & { spec?: ValidatingAdmissionPolicyBindingSpec };

/** Upstream v1 defaults: only MatchResources has any (idempotent). */
export function applyValidatingAdmissionPolicyBindingDefaults(binding: ValidatingAdmissionPolicyBinding): void {
  binding.spec ??= {};
  if (binding.spec.matchResources) applyMatchResourcesDefaults(binding.spec.matchResources);
}

/** Upstream ValidateValidatingAdmissionPolicyBinding (create and update alike). Pure. */
export function validateValidatingAdmissionPolicyBinding(binding: ValidatingAdmissionPolicyBinding): FieldError[] {
  const spec = binding.spec ?? {};
  const errs = validateObjectMeta(binding.metadata, { namespaced: false });
  const policyName = spec.policyName ?? '';
  if (policyName === '') errs.push(required('spec.policyName'));
  else for (const msg of isDNS1123Subdomain(policyName)) errs.push(invalidValue('spec.policyName', policyName, msg));
  errs.push(...validateParamRef(spec.paramRef, 'spec.paramRef'));
  // Upstream reports match resource errors under this (misspelt) path.
  errs.push(...validateMatchResources(spec.matchResources, 'spec.matchResouces'));
  errs.push(...validateValidationActions(spec.validationActions, 'spec.validationActions'));
  return errs;
}

export const validatingAdmissionPolicyBindingResource = defineResource<ValidatingAdmissionPolicyBinding>({
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  plural: 'validatingadmissionpolicybindings',
  singular: 'validatingadmissionpolicybinding',
  namespaced: false,
  categories: ['api-extensions'],
  schema: ValidatingAdmissionPolicyBindingSchema,
  applyDefaults: applyValidatingAdmissionPolicyBindingDefaults,
  validate: validateValidatingAdmissionPolicyBinding,
});
