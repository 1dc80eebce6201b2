/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy (GA since 1.30): cluster-scoped CEL
 * validations applied, through bindings, to the requests its `matchConstraints` select. Defaults
 * as upstream v1 (failurePolicy Fail; MatchResources defaults), validation as upstream
 * `ValidateValidatingAdmissionPolicy` (expressions compiled through the injected checker: a
 * syntax error or undeclared reference is rejected), a `status` subresource holding
 * `observedGeneration`, `typeChecking` and `conditions`, reset to `{}` on create.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { defineResource } from '../../core/v1/common.ts';
import { ConditionSchema, kubeObject } from '../../meta.ts';
import { child, duplicate, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateQualifiedNameField, deepEqual } from '../../validation/common-rules.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { validateMatchConditions } from './match-conditions.ts';
import { applyMatchResourcesDefaults, MatchResourcesSchema, ParamKindSchema, PolicyMatchConditionSchema, type MatchResources } from './policy-types.ts';
import {
  acceptAllExpressions,
  FAILURE_POLICIES,
  isCelIdentifier,
  policyVariableNames,
  validateMatchResources,
  validateParamKind,
  VALIDATION_REASONS,
  type ExpressionChecker,
  type ExpressionEnvironment,
} from './policy-validation.ts';

export const PolicyValidationSchema = z.object({
  expression: z.string().optional().default(''),
  message: z.string().optional(),
  reason: z.string().optional(),
  messageExpression: z.string().optional(),
});
export type PolicyValidation = z.infer<typeof PolicyValidationSchema>;

export const PolicyVariableSchema = z.object({ name: z.string().optional().default(''), expression: z.string().optional().default('') });
export type PolicyVariable = z.infer<typeof PolicyVariableSchema>;

export const AuditAnnotationSchema = z.object({ key: z.string().optional().default(''), valueExpression: z.string().optional().default('') });
export type AuditAnnotation = z.infer<typeof AuditAnnotationSchema>;

export const ValidatingAdmissionPolicySpecSchema = z.object({
  paramKind: ParamKindSchema.optional(),
  matchConstraints: MatchResourcesSchema.optional(),
  validations: z.array(PolicyValidationSchema).optional(),
  failurePolicy: z.string().optional(),
  auditAnnotations: z.array(AuditAnnotationSchema).optional(),
  matchConditions: z.array(PolicyMatchConditionSchema).optional(),
  variables: z.array(PolicyVariableSchema).optional(),
});
export type ValidatingAdmissionPolicySpec = z.infer<typeof ValidatingAdmissionPolicySpecSchema> & { matchConstraints?: MatchResources };

export const ExpressionWarningSchema = z.object({ fieldRef: z.string().optional().default(''), warning: z.string().optional().default('') });

export const ValidatingAdmissionPolicyStatusSchema = z.object({
  observedGeneration: z.number().int().optional(),
  typeChecking: z.object({ expressionWarnings: z.array(ExpressionWarningSchema).optional() }).optional(),
  conditions: z.array(ConditionSchema).optional(),
});

export const ValidatingAdmissionPolicySchema = kubeObject({
  spec: ValidatingAdmissionPolicySpecSchema.optional(),
  status: ValidatingAdmissionPolicyStatusSchema.optional(),
});
export type ValidatingAdmissionPolicy = z.infer<typeof ValidatingAdmissionPolicySchema> & { spec?: ValidatingAdmissionPolicySpec };

/** Upstream `SetDefaults_ValidatingAdmissionPolicySpec` and the MatchResources defaults (idempotent). */
export function applyValidatingAdmissionPolicyDefaults(policy: ValidatingAdmissionPolicy): void {
  policy.spec ??= {};
  policy.spec.failurePolicy ??= 'Fail';
  if (policy.spec.matchConstraints) applyMatchResourcesDefaults(policy.spec.matchConstraints);
}

/** Upstream limit on a valueExpression's length (5 KiB). */
const MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH = 5 * 1024;
const MAX_AUDIT_ANNOTATIONS = 20;

function validateValidation(v: PolicyValidation, env: ExpressionEnvironment, check: ExpressionChecker, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const expression = v.expression.trim();
  if (expression === '') errs.push(required(child(path, 'expression'), 'expression is not specified'));
  else {
    const problem = check(v.expression, env, 'bool');
    if (problem) errs.push(problem.type === 'Required' ? required(child(path, 'expression'), problem.detail) : invalidValue(child(path, 'expression'), v.expression, problem.detail));
  }
  const messageExpression = v.messageExpression ?? '';
  if (messageExpression.length > 0 && messageExpression.trim() === '') errs.push(invalidValue(child(path, 'messageExpression'), messageExpression, 'must be non-empty if specified'));
  else if (messageExpression.trim() !== '') {
    const problem = check(messageExpression, { ...env, authorizer: false }, 'string');
    if (problem) errs.push(problem.type === 'Required' ? required(child(path, 'messageExpression'), problem.detail) : invalidValue(child(path, 'messageExpression'), messageExpression, problem.detail));
  }
  const message = v.message ?? '';
  if (message.length > 0 && message.trim() === '') errs.push(invalidValue(child(path, 'message'), message, 'message must be non-empty if specified'));
  else if (/[\n\r]/.test(message.trim())) errs.push(invalidValue(child(path, 'message'), message, 'message must not contain line breaks'));
  if (v.reason !== undefined && !VALIDATION_REASONS.includes(v.reason)) errs.push(notSupported(child(path, 'reason'), v.reason, VALIDATION_REASONS));
  return errs;
}

function validateVariable(v: PolicyVariable, env: ExpressionEnvironment, check: ExpressionChecker, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (v.name.trim() === '') errs.push(required(child(path, 'name'), 'name is not specified'));
  else if (!isCelIdentifier(v.name)) errs.push(invalidValue(child(path, 'name'), v.name, 'name is not a valid CEL identifier'));
  if (v.expression.trim() === '') errs.push(required(child(path, 'expression'), 'expression is not specified'));
  else {
    const problem = check(v.expression, env);
    if (problem) errs.push(problem.type === 'Required' ? required(child(path, 'expression'), problem.detail) : invalidValue(child(path, 'expression'), v.expression, problem.detail));
  }
  return errs;
}

function validateAuditAnnotation(a: AuditAnnotation, policyName: string, env: ExpressionEnvironment, check: ExpressionChecker, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (policyName) errs.push(...validateQualifiedNameField(child(path, 'key'), `${policyName}/${a.key}`));
  else errs.push(invalidValue(child(path, 'key'), a.key, 'requires metadata.name be non-empty'));
  const value = a.valueExpression.trim();
  const at = child(path, 'valueExpression');
  if (value === '') errs.push(required(at, 'valueExpression is not specified'));
  else if (value.length > MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH) errs.push(required(at, `must not exceed ${MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH} bytes in length`));
  else {
    const problem = check(value, env);
    if (problem) errs.push(problem.type === 'Required' ? required(at, problem.detail) : invalidValue(at, a.valueExpression, problem.detail));
  }
  return errs;
}

/** Options of {@link validateValidatingAdmissionPolicy}. */
export interface PolicyValidationOptions {
  check?: ExpressionChecker;
  /** The stored policy on update: unchanged matchConditions (and paramKind) are not re-validated, as upstream. */
  old?: ValidatingAdmissionPolicy;
}

function validateSpec(policy: ValidatingAdmissionPolicy, options: PolicyValidationOptions): FieldError[] {
  const spec = policy.spec ?? {};
  const check = options.check ?? acceptAllExpressions;
  const errs: FieldError[] = [];
  if (spec.failurePolicy === undefined) errs.push(required('spec.failurePolicy'));
  else if (!FAILURE_POLICIES.includes(spec.failurePolicy)) errs.push(notSupported('spec.failurePolicy', spec.failurePolicy, FAILURE_POLICIES));
  if (spec.paramKind) errs.push(...validateParamKind(spec.paramKind, 'spec.paramKind'));
  if (!spec.matchConstraints) errs.push(required('spec.matchConstraints'));
  else {
    errs.push(...validateMatchResources(spec.matchConstraints, 'spec.matchConstraints'));
    if ((spec.matchConstraints.resourceRules ?? []).length === 0) errs.push(required('spec.matchConstraints.resourceRules'));
  }
  const params = spec.paramKind !== undefined;
  const oldSpec = options.old?.spec;
  const unchangedConditions = oldSpec !== undefined && deepEqual(oldSpec.paramKind, spec.paramKind) && deepEqual(oldSpec.matchConditions, spec.matchConditions);
  if (!unchangedConditions) errs.push(...validateMatchConditions(spec.matchConditions, 'spec.matchConditions', policyVariableNames({ params, authorizer: true, variables: [] })));
  const declared: string[] = [];
  const composition = (spec.variables ?? []).length > 0;
  (spec.variables ?? []).forEach((v, i) => {
    errs.push(...validateVariable(v, { params, authorizer: true, variables: [...declared], composition }, check, index('spec.variables', i)));
    if (v.name) declared.push(v.name);
  });
  const env: ExpressionEnvironment = { params, authorizer: true, variables: declared, composition };
  const validations = spec.validations ?? [];
  const audits = spec.auditAnnotations ?? [];
  if (validations.length === 0 && audits.length === 0) {
    errs.push(required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
    errs.push(required('spec.auditAnnotations', 'validations or auditAnnotations must contain at least one item'));
    return errs;
  }
  validations.forEach((v, i) => errs.push(...validateValidation(v, env, check, index('spec.validations', i))));
  if (audits.length > MAX_AUDIT_ANNOTATIONS) errs.push(invalidValue('spec.auditAnnotations', audits, `must not have more than ${MAX_AUDIT_ANNOTATIONS} auditAnnotations`));
  const keys = new Set<string>();
  audits.forEach((a, i) => {
    errs.push(...validateAuditAnnotation(a, policy.metadata.name ?? '', env, check, index('spec.auditAnnotations', i)));
    if (keys.has(a.key)) errs.push(duplicate(child(index('spec.auditAnnotations', i), 'key'), a.key));
    keys.add(a.key);
  });
  return errs;
}

/** Upstream `validateValidatingAdmissionPolicyStatus` (expression warnings need a warning and a fieldRef). */
function validateStatus(policy: ValidatingAdmissionPolicy): FieldError[] {
  const errs: FieldError[] = [];
  (policy.status?.typeChecking?.expressionWarnings ?? []).forEach((w, i) => {
    const at = index('status.typeChecking.expressionWarnings', i);
    if (w.warning === '') errs.push(required(child(at, 'warning')));
    if (w.fieldRef.trim() === '') errs.push(required(child(at, 'fieldRef')));
  });
  return errs;
}

/** Upstream ValidateValidatingAdmissionPolicy (and …Update, …StatusUpdate on `/status`). Pure. */
export function validateValidatingAdmissionPolicy(policy: ValidatingAdmissionPolicy, options: PolicyValidationOptions & { subresource?: string } = {}): FieldError[] {
  if (options.subresource === 'status') return validateStatus(policy);
  return [...validateObjectMeta(policy.metadata, { namespaced: false }), ...validateSpec(policy, options)];
}

/** Builds the resource with the expression checker the server compiles with. */
export function defineValidatingAdmissionPolicyResource(check: ExpressionChecker) {
  return defineResource<ValidatingAdmissionPolicy>({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'ValidatingAdmissionPolicy',
    plural: 'validatingadmissionpolicies',
    singular: 'validatingadmissionpolicy',
    namespaced: false,
    categories: ['api-extensions'],
    schema: ValidatingAdmissionPolicySchema,
    subresources: { status: true },
    patchMeta: { 'spec.matchConditions': { strategy: 'merge', mergeKey: 'name' } },
    applyDefaults: applyValidatingAdmissionPolicyDefaults,
    validate: (obj, old, context) => validateValidatingAdmissionPolicy(obj, { check, old, subresource: context?.subresource }),
    prepareForCreate(policy) {
      // Upstream PrepareForCreate: the status starts empty (the status controller fills it).
      policy.status = {};
    },
  });
}

