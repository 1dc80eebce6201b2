/**
 * Validation of the parts of ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
 * (upstream pkg/apis/admissionregistration/validation): match resources, param kind and ref,
 * validation actions, and the CEL-carrying entries (validations, variables, audit annotations;
 * match conditions are validated by match-conditions.ts, shared with the webhooks). Expressions are compiled through an injected {@link ExpressionChecker}, so
 * a syntax error or an undeclared reference is rejected at create/update as upstream does. Pure.
 */
import { AUTHORIZER_VARIABLE, type CelVariable } from '../../../cel/index.ts';
import type { FieldError } from '../../../errors/index.ts';
import { child, duplicate, forbidden, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { invalidStringSlice } from '../../validation/common-rules.ts';
import { validateLabelSelector } from '../../validation/label-selector.ts';
import { isDNS1035Label, isDNS1123Subdomain, isValidPathSegmentName } from '../../validation/names.ts';
import type { MatchResources, NamedRuleWithOperations, ParamKind, ParamRef } from './policy-types.ts';
import { validateRule } from './webhook-validation.ts';

/** Which optional variables an expression may reference (upstream OptionalVariableDeclarations). */
export interface ExpressionEnvironment {
  /** `params` (the policy has a paramKind). */
  params: boolean;
  /** `authorizer` / `authorizer.requestResource`. */
  authorizer: boolean;
  /** `variables.<name>` for these names (spec.variables declared so far). */
  variables: readonly string[];
  /** The policy declares spec.variables: `variables` is declared even before the first one. */
  composition?: boolean;
}

/** A compile failure, as upstream's `cel.Error` (Required or Invalid, with its detail). */
export interface ExpressionProblem {
  type: 'Required' | 'Invalid';
  /** e.g. `compilation failed: ERROR: <input>:1:6: Syntax error: …`. */
  detail: string;
}

/** Compiles one expression in `env` (its result must be `expect` when given); undefined when it compiles. */
export type ExpressionChecker = (expression: string, env: ExpressionEnvironment, expect?: 'bool' | 'string') => ExpressionProblem | undefined;

/** A checker that accepts everything (for callers that do not compile). */
export const acceptAllExpressions: ExpressionChecker = () => undefined;

export const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const VALIDATION_ACTIONS = ['Audit', 'Deny', 'Warn'];
export const VALIDATION_REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge'];
const PARAMETER_NOT_FOUND_ACTIONS = ['Deny', 'Allow'];
const CEL_IDENTIFIER = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** Upstream `validateNamedRuleWithOperations`: resource names are path segments, unique; then the rule. */
function validateNamedRule(rule: NamedRuleWithOperations, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (rule.resourceNames ?? []).forEach((name, i) => {
    const at = index(child(path, 'resourceNames'), i);
    for (const msg of isValidPathSegmentName(name)) errs.push(invalidValue(at, name, msg));
    if (seen.has(name)) errs.push(duplicate(at, name));
    seen.add(name);
  });
  errs.push(...validateRule(rule, path));
  return errs;
}

/** Upstream `validateMatchResources` (selectors validated strictly). */
export function validateMatchResources(match: MatchResources | undefined, path: string): FieldError[] {
  if (!match) return [];
  const errs: FieldError[] = [];
  if (match.matchPolicy === undefined) errs.push(required(child(path, 'matchPolicy')));
  else if (!MATCH_POLICIES.includes(match.matchPolicy)) errs.push(notSupported(child(path, 'matchPolicy'), match.matchPolicy, MATCH_POLICIES));
  if (!match.namespaceSelector) errs.push(required(child(path, 'namespaceSelector')));
  else errs.push(...validateLabelSelector(match.namespaceSelector, child(path, 'namespaceSelector')));
  if (!match.objectSelector) errs.push(required(child(path, 'objectSelector')));
  else errs.push(...validateLabelSelector(match.objectSelector, child(path, 'objectSelector')));
  (match.resourceRules ?? []).forEach((rule, i) => errs.push(...validateNamedRule(rule, index(child(path, 'resourceRules'), i))));
  (match.excludeResourceRules ?? []).forEach((rule, i) => errs.push(...validateNamedRule(rule, index(child(path, 'excludeResourceRules'), i))));
  return errs;
}

/** `group/version` → [group, version]; `v1` → ['', 'v1']; more than one slash → undefined. */
function parseGroupVersion(text: string): [string, string] | undefined {
  if (text === '' || text === '/') return ['', ''];
  const parts = text.split('/');
  if (parts.length === 1) return ['', text];
  if (parts.length === 2) return [parts[0], parts[1]];
  return undefined;
}

/** Upstream `validateParamKind`. */
export function validateParamKind(kind: ParamKind, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const apiVersion = kind.apiVersion ?? '';
  const avPath = child(path, 'apiVersion');
  if (apiVersion === '') errs.push(required(avPath));
  else {
    const gv = parseGroupVersion(apiVersion);
    if (!gv) errs.push(invalidValue(avPath, apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
    else {
      const [group, version] = gv;
      if (group) {
        const msgs = isDNS1123Subdomain(group);
        if (msgs.length) errs.push(invalidValue(avPath, group, msgs.join(',')));
      }
      if (!version) errs.push(invalidValue(avPath, apiVersion, 'version must be specified'));
      else {
        const msgs = isDNS1035Label(version);
        if (msgs.length) errs.push(invalidValue(avPath, version, msgs.join(',')));
      }
    }
  }
  const k = kind.kind ?? '';
  if (k === '') errs.push(required(child(path, 'kind')));
  else {
    const msgs = isDNS1035Label(k.toLowerCase());
    if (msgs.length) errs.push(invalidValue(child(path, 'kind'), k, `may have mixed case, but should otherwise match: ${msgs.join(',')}`));
  }
  return errs;
}

/** Upstream `validateParamRef`. */
export function validateParamRef(ref: ParamRef | undefined, path: string): FieldError[] {
  if (!ref) return [];
  const errs: FieldError[] = [];
  const name = ref.name ?? '';
  if (name) {
    for (const msg of isValidPathSegmentName(name)) errs.push(invalidValue(child(path, 'name'), name, msg));
    if (ref.selector) errs.push(forbidden(child(path, 'name'), 'name and selector are mutually exclusive'));
  }
  if (ref.selector) {
    errs.push(...validateLabelSelector(ref.selector, child(path, 'selector')));
    if (name) errs.push(forbidden(child(path, 'selector'), 'name and selector are mutually exclusive'));
  }
  if (!name && !ref.selector) errs.push(required(path, 'one of name or selector must be specified'));
  const action = ref.parameterNotFoundAction;
  if (!action) errs.push(required(child(path, 'parameterNotFoundAction')));
  else if (!PARAMETER_NOT_FOUND_ACTIONS.includes(action)) errs.push(notSupported(child(path, 'parameterNotFoundAction'), action, PARAMETER_NOT_FOUND_ACTIONS));
  return errs;
}

/** Upstream `validateValidationActions`. */
export function validateValidationActions(actions: readonly string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (actions ?? []).forEach((action, i) => {
    if (!VALIDATION_ACTIONS.includes(action)) errs.push(notSupported(index(path, i), action, VALIDATION_ACTIONS));
    if (seen.has(action)) errs.push(duplicate(index(path, i), action));
    seen.add(action);
  });
  if (seen.has('Deny') && seen.has('Warn')) errs.push(invalidActions(path, actions ?? []));
  if (seen.size === 0) errs.push(required(path, 'at least one validation action is required'));
  return errs;
}

/** `Invalid value` of the actions list, rendered as Go's `%#v` of `[]admissionregistration.ValidationAction`. */
function invalidActions(path: string, values: readonly string[]): FieldError {
  const err = invalidStringSlice(path, values, 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)');
  return { ...err, detail: err.detail.replace('[]string', '[]admissionregistration.ValidationAction') };
}

/** The variables declared for a policy expression in `env` (upstream OptionalVariableDeclarations): `authorizer` typed, the rest `dyn`. */
export function policyVariableNames(env: ExpressionEnvironment): CelVariable[] {
  const names: CelVariable[] = ['object', 'oldObject', 'request', 'namespaceObject'];
  if (env.params) names.push('params');
  if (env.authorizer) names.push(AUTHORIZER_VARIABLE);
  if (env.composition || env.variables.length > 0) names.push('variables');
  return names;
}

/** Upstream `isCELIdentifier`. */
export function isCelIdentifier(name: string): boolean {
  return CEL_IDENTIFIER.test(name) && !CEL_RESERVED.has(name);
}

