/**
 * The RBAC objects the authorizer reads (rbac.authorization.k8s.io/v1 Role, ClusterRole,
 * RoleBinding, ClusterRoleBinding), as the plain shapes it needs — stored objects are decoded
 * and validated by their kinds before they get here — and where they are read from.
 */
import type { PolicyRule } from '../rules.ts';

/** A binding's subject: `User`, `Group` or `ServiceAccount` (namespace defaults to the binding's). */
export interface RbacSubject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

/** A binding's role: a `Role` in the binding's namespace or a `ClusterRole`. */
export interface RoleRef {
  kind: string;
  name: string;
  apiGroup?: string;
}

/** A RoleBinding (namespace set) or ClusterRoleBinding. */
export interface RbacBinding {
  metadata: { name?: string; namespace?: string };
  subjects?: RbacSubject[];
  roleRef: RoleRef;
}

/** A Role or ClusterRole (its `rules` hold the aggregated rules of an aggregated ClusterRole). */
export interface RbacRole {
  metadata: { name?: string; namespace?: string; labels?: Record<string, string> };
  rules?: PolicyRule[] | null;
}

/**
 * Read access to the RBAC objects. Contract: each call reflects the objects at least as of the
 * last write this server made to them (read-your-writes); a missing role is undefined, not an error.
 */
export interface RbacObjects {
  clusterRoleBindings(): Promise<readonly RbacBinding[]>;
  roleBindings(namespace: string): Promise<readonly RbacBinding[]>;
  clusterRole(name: string): Promise<RbacRole | undefined>;
  role(namespace: string, name: string): Promise<RbacRole | undefined>;
}
