/**
 * rbac.authorization.k8s.io/v1 ClusterRole: cluster-wide policy rules (resource rules and
 * non-resource URLs), optionally an `aggregationRule` whose label selectors pick the ClusterRoles
 * whose rules a controller copies in (the aggregation itself is not done here).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject, LabelSelectorSchema } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { SelectorParseError, fromLabelSelector } from '../../selectors/index.ts';
import { required } from '../../validation/field-errors.ts';
import { labelSelectorHasInvalidLabelValue, validateLabelSelector } from '../../validation/label-selector.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { RBAC_GROUP, validateRBACName } from './group.ts';
import { PolicyRuleSchema, validatePolicyRules } from './policy-rule.ts';

export const AggregationRuleSchema = z.object({ clusterRoleSelectors: z.array(LabelSelectorSchema).optional() });
export type AggregationRule = z.infer<typeof AggregationRuleSchema>;

/** `rules` is an atomic list upstream (no merge key). */
export const ClusterRoleSchema = kubeObject({
  rules: z.array(PolicyRuleSchema).optional(),
  aggregationRule: AggregationRuleSchema.optional(),
});
export type ClusterRole = z.infer<typeof ClusterRoleSchema>;

const SELECTORS_PATH = 'aggregationRule.clusterRoleSelectors';

/**
 * An aggregationRule needs at least one selector; each is validated as a label selector, and one
 * that does not convert to a selector is also reported whole (`Invalid value: <nil>: invalid label
 * selector.`, as upstream prints the nil selector it failed to build).
 */
function validateAggregationRule(rule: AggregationRule, allowInvalidLabelValueInSelector: boolean): FieldError[] {
  const selectors = rule.clusterRoleSelectors ?? [];
  const errs: FieldError[] = [];
  if (selectors.length === 0) errs.push(required(SELECTORS_PATH, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
  selectors.forEach((selector, i) => {
    const path = `${SELECTORS_PATH}[${i}]`;
    errs.push(...validateLabelSelector(selector, path, { allowInvalidLabelValueInSelector }));
    try {
      fromLabelSelector(selector);
    } catch (err) {
      if (!(err instanceof SelectorParseError)) throw err;
      errs.push({ type: 'FieldValueInvalid', field: path, detail: 'Invalid value: <nil>: invalid label selector.' });
    }
  });
  return errs;
}

/**
 * Upstream `ValidateClusterRole` (and `ValidateClusterRoleUpdate`): on update, selector values
 * that are not valid label values are tolerated when the stored object already had such a value,
 * as upstream's strategy allows. Pure.
 */
export function validateClusterRole(role: ClusterRole, old?: ClusterRole): FieldError[] {
  const errs = validateObjectMeta(role.metadata, { namespaced: false, nameValidator: validateRBACName });
  errs.push(...validatePolicyRules(role.rules, false));
  if (role.aggregationRule) {
    const allowInvalid = (old?.aggregationRule?.clusterRoleSelectors ?? []).some(labelSelectorHasInvalidLabelValue);
    errs.push(...validateAggregationRule(role.aggregationRule, allowInvalid));
  }
  return errs;
}

export const clusterRoleResource = defineResource<ClusterRole>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  schema: ClusterRoleSchema,
  applyDefaults: () => undefined,
  validate: validateClusterRole,
});
