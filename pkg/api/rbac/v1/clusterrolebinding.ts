/**
 * rbac.authorization.k8s.io/v1 ClusterRoleBinding: grants a ClusterRole to subjects cluster-wide
 * (ServiceAccount subjects must name their namespace). The roleRef cannot change after creation.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { applyBindingDefaults, bindingShape, validateBinding } from './binding.ts';
import { RBAC_GROUP } from './group.ts';

export const ClusterRoleBindingSchema = kubeObject(bindingShape);
export type ClusterRoleBinding = z.infer<typeof ClusterRoleBindingSchema>;

/** Upstream `ValidateClusterRoleBinding` / `ValidateClusterRoleBindingUpdate`. Pure. */
export function validateClusterRoleBinding(binding: ClusterRoleBinding, old?: ClusterRoleBinding): FieldError[] {
  return validateBinding(binding, { namespaced: false, roleRefKinds: ['ClusterRole'] }, old);
}

export const clusterRoleBindingResource = defineResource<ClusterRoleBinding>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  schema: ClusterRoleBindingSchema,
  applyDefaults: applyBindingDefaults,
  validate: validateClusterRoleBinding,
});
