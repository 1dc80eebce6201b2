/**
 * {@link RbacObjects} read from the server's storage (served from its watch caches, so a read
 * costs no etcd round trip once the cache holds this server's writes).
 */
import type { Storage } from '../../../pkg/storage/types.ts';
import { storageKey, storagePrefix } from '../../handlers/objects.ts';
import { RBAC_GROUP } from '../../../pkg/api/rbac/v1/group.ts';
import type { RbacBinding, RbacObjects, RbacRole } from './objects.ts';

const CLUSTER_ROLE_BINDINGS = { group: RBAC_GROUP, plural: 'clusterrolebindings', namespaced: false };
const ROLE_BINDINGS = { group: RBAC_GROUP, plural: 'rolebindings', namespaced: true };
const CLUSTER_ROLES = { group: RBAC_GROUP, plural: 'clusterroles', namespaced: false };
const ROLES = { group: RBAC_GROUP, plural: 'roles', namespaced: true };

/** The RBAC objects in `storage` under `keyPrefix`. */
export function storageRbacObjects(storage: Storage, keyPrefix: string): RbacObjects {
  return {
    clusterRoleBindings: async () => (await storage.list(storagePrefix(CLUSTER_ROLE_BINDINGS, undefined, keyPrefix))).items as unknown as RbacBinding[],
    roleBindings: async (namespace) => (await storage.list(storagePrefix(ROLE_BINDINGS, namespace, keyPrefix))).items as unknown as RbacBinding[],
    clusterRole: async (name) => (await storage.get(storageKey(CLUSTER_ROLES, undefined, name, keyPrefix))) as RbacRole | undefined,
    role: async (namespace, name) => (await storage.get(storageKey(ROLES, namespace, name, keyPrefix))) as RbacRole | undefined,
  };
}
