/**
 * rbac/v1 RoleRef: the role a RoleBinding or ClusterRoleBinding grants. Defaulting
 * (`SetDefaults_RoleBinding` / `SetDefaults_ClusterRoleBinding`) and validation as upstream;
 * a binding's roleRef never changes after creation.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { RBAC_GROUP, validateRBACName } from './group.ts';

/**
 * All three fields are required strings upstream (Go non-pointer fields: missing means empty), so
 * a missing field decodes as `''` and validation reports it.
 */
export const RoleRefSchema = z.object({
  apiGroup: z.string().optional().default(''),
  kind: z.string().optional().default(''),
  name: z.string().optional().default(''),
});
export type RoleRef = z.infer<typeof RoleRefSchema>;

/** An empty roleRef (what upstream decodes when the field is missing). */
export const emptyRoleRef = (): RoleRef => ({ apiGroup: '', kind: '', name: '' });

/** An empty `apiGroup` becomes `rbac.authorization.k8s.io`. Idempotent. */
export function applyRoleRefDefaults(roleRef: RoleRef): void {
  if (!roleRef.apiGroup) roleRef.apiGroup = RBAC_GROUP;
}

/**
 * The roleRef rules of `ValidateRoleBinding` / `ValidateClusterRoleBinding`: the group must be
 * rbac.authorization.k8s.io, the kind one of `kinds`, the name set and a valid RBAC name.
 */
export function validateRoleRef(roleRef: RoleRef, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (roleRef.apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', roleRef.apiGroup, [RBAC_GROUP]));
  if (!kinds.includes(roleRef.kind)) errs.push(notSupported('roleRef.kind', roleRef.kind, kinds));
  if (!roleRef.name) errs.push(required('roleRef.name'));
  else for (const msg of validateRBACName(roleRef.name)) errs.push(invalidValue('roleRef.name', roleRef.name, msg));
  return errs;
}

/** Go `%#v` of the internal `rbac.RoleRef`, as upstream prints it in the update error. */
function goRoleRef(r: RoleRef): string {
  return `rbac.RoleRef{APIGroup:${JSON.stringify(r.apiGroup)}, Kind:${JSON.stringify(r.kind)}, Name:${JSON.stringify(r.name)}}`;
}

/** The update rule of both binding kinds: `roleRef: Invalid value: …: cannot change roleRef`. */
export function validateRoleRefUpdate(roleRef: RoleRef, old: RoleRef): FieldError[] {
  const same = roleRef.apiGroup === old.apiGroup && roleRef.kind === old.kind && roleRef.name === old.name;
  return same ? [] : [{ type: 'FieldValueInvalid', field: 'roleRef', detail: `Invalid value: ${goRoleRef(roleRef)}: cannot change roleRef` }];
}
