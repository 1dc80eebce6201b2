/**
 * Printers for the rbac.authorization.k8s.io kinds. Roles and ClusterRoles have no printer
 * upstream and print with the generic Name / Created At columns; bindings print their role as
 * `Kind/name` and, in the wide columns, their subjects (upstream `printRoleBinding`,
 * `printClusterRoleBinding` with `SubjectsStrings`).
 */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, arr, get, str } from './format.ts';
import { genericPrinter } from './generic.ts';
import type { Printer } from './printer.ts';

export const rolePrinter: Printer = genericPrinter;
export const clusterRolePrinter: Printer = genericPrinter;

/** Upstream `rbacv1.RoleBinding{}.SwaggerDoc()["roleRef"]` as the v1beta1 printer cites it. */
const ROLE_REF_DOC = 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.';
const CLUSTER_ROLE_REF_DOC = 'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.';

/**
 * Upstream `SubjectsStrings`: the names of User and Group subjects, and ServiceAccounts as
 * `namespace/name` (`/name` when the namespace is empty); other kinds are left out.
 */
export function subjectsStrings(subjects: unknown): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of arr(subjects)) {
    if (s.kind === 'ServiceAccount') out.serviceAccounts.push(`${str(s.namespace)}/${str(s.name)}`);
    else if (s.kind === 'User') out.users.push(str(s.name));
    else if (s.kind === 'Group') out.groups.push(str(s.name));
  }
  return out;
}

function bindingPrinter(roleRefDoc: string, noun: string): Printer {
  return {
    columns: [
      nameColumn,
      col('Role', 'string', 0, roleRefDoc),
      ageColumn,
      col('Users', 'string', 1, `Users in the ${noun}`),
      col('Groups', 'string', 1, `Groups in the ${noun}`),
      col('ServiceAccounts', 'string', 1, `ServiceAccounts in the ${noun}`),
    ],
    row(binding, now) {
      const { users, groups, serviceAccounts } = subjectsStrings(binding.subjects);
      const role = `${str(get(binding, 'roleRef', 'kind'))}/${str(get(binding, 'roleRef', 'name'))}`;
      return [binding.metadata.name ?? '', role, age(binding, now), users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
    },
  };
}

export const roleBindingPrinter: Printer = bindingPrinter(ROLE_REF_DOC, 'roleBinding');
export const clusterRoleBindingPrinter: Printer = bindingPrinter(CLUSTER_ROLE_REF_DOC, 'clusterRoleBinding');
