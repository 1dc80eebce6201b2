/**
 * rbac/v1 PolicyRule: the verbs a Role or ClusterRole grants on resources or on non-resource
 * URLs, and upstream's `ValidatePolicyRule`.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { invalidStringSlice } from '../../validation/common-rules.ts';
import { child, required } from '../../validation/field-errors.ts';

/**
 * `verbs` is required upstream; it is optional here so that a rule without it is a 422 naming
 * `rules[i].verbs` (as upstream answers) rather than a decode error.
 */
export const PolicyRuleSchema = z.object({
  verbs: z.array(z.string()).optional(),
  apiGroups: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  resourceNames: z.array(z.string()).optional(),
  nonResourceURLs: z.array(z.string()).optional(),
});
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

const isEmpty = (list: readonly string[] | undefined) => !list || list.length === 0;

/**
 * Upstream `ValidatePolicyRule` at `path` (e.g. `rules[0]`): verbs are required; a rule naming
 * non-resource URLs may not be namespaced nor name groups, resources or resource names; any other
 * rule needs at least one api group and one resource. Pure.
 */
export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isEmpty(rule.verbs)) errs.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  if (!isEmpty(rule.nonResourceURLs)) {
    const urlsPath = child(path, 'nonResourceURLs');
    if (namespaced) errs.push(invalidStringSlice(urlsPath, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (!isEmpty(rule.apiGroups) || !isEmpty(rule.resources) || !isEmpty(rule.resourceNames)) {
      errs.push(invalidStringSlice(urlsPath, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (isEmpty(rule.apiGroups)) errs.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (isEmpty(rule.resources)) errs.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  return errs;
}

/** Every rule of a Role (`namespaced`) or ClusterRole, at `rules[i]`. */
export function validatePolicyRules(rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  return (rules ?? []).flatMap((rule, i) => validatePolicyRule(rule, namespaced, `rules[${i}]`));
}
