/**
 * rbac.authorization.k8s.io/v1 RoleBinding: grants a Role or ClusterRole to subjects within
 * the binding's namespace. The roleRef cannot change after creation.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { applyBindingDefaults, bindingShape, validateBinding } from './binding.ts';
import { RBAC_GROUP } from './group.ts';

export const RoleBindingSchema = kubeObject(bindingShape);
export type RoleBinding = z.infer<typeof RoleBindingSchema>;

/** Upstream `ValidateRoleBinding` / `ValidateRoleBindingUpdate`. Pure. */
export function validateRoleBinding(binding: RoleBinding, old?: RoleBinding): FieldError[] {
  return validateBinding(binding, { namespaced: true, roleRefKinds: ['Role', 'ClusterRole'] }, old);
}

export const roleBindingResource = defineResource<RoleBinding>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  schema: RoleBindingSchema,
  applyDefaults: applyBindingDefaults,
  validate: validateRoleBinding,
});
