/**
 * rbac.authorization.k8s.io: the group name and upstream's name rule for RBAC objects
 * (pkg/apis/rbac/validation `ValidateRBACName`).
 */
import { isValidPathSegmentName } from '../../validation/names.ts';

/** Upstream `rbac.GroupName`. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * Upstream `ValidateRBACName`: Roles, ClusterRoles, their bindings and `roleRef.name` only need
 * names that are valid path segments (not `.` or `..`, no `/` or `%`), so names such as
 * `system:controller:deployment-controller` are allowed. Returns the problems (empty = valid).
 */
export function validateRBACName(name: string): string[] {
  return isValidPathSegmentName(name);
}
