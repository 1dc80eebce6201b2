/**
 * rbac.authorization.k8s.io/v1 Role: namespaced policy rules. No defaults; every rule is
 * validated as a namespaced one (no non-resource URLs).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { RBAC_GROUP, validateRBACName } from './group.ts';
import { PolicyRuleSchema, validatePolicyRules } from './policy-rule.ts';

/** `rules` is an atomic list upstream (no merge key). */
export const RoleSchema = kubeObject({ rules: z.array(PolicyRuleSchema).optional() });
export type Role = z.infer<typeof RoleSchema>;

/** Upstream `ValidateRole` (the update adds nothing beyond the generic metadata checks). Pure. */
export function validateRole(role: Role): FieldError[] {
  const errs = validateObjectMeta(role.metadata, { namespaced: true, nameValidator: validateRBACName });
  errs.push(...validatePolicyRules(role.rules, true));
  return errs;
}

export const roleResource = defineResource<Role>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  schema: RoleSchema,
  applyDefaults: () => undefined,
  validate: validateRole,
});
