/**
 * Authorization by the cluster's RBAC objects (upstream `rbac.RBACAuthorizer` over its
 * `DefaultRuleResolver`): the ClusterRoleBindings, then the RoleBindings of the request's
 * namespace, that name the user; a binding grants the rules of its Role or ClusterRole. The first
 * allowing rule wins; a role that cannot be found is reported in the no-opinion reason, as
 * upstream does (`RBAC: clusterroles.rbac.authorization.k8s.io "x" not found`).
 */
import type { UserInfo } from '../../../pkg/auth/user.ts';
import { ALLOW, noOpinion, type Decision } from '../decision.ts';
import type { RequestAttributes } from '../request-attributes.ts';
import { rulesAllow, type PolicyRule } from '../rules.ts';
import { RBAC_GROUP } from '../../../pkg/api/rbac/v1/group.ts';
import type { RbacBinding, RbacObjects, RbacSubject } from './objects.ts';
import { subjectAppliesTo } from './subjects.ts';

/** A binding that names the user, with the rules its role grants. */
interface GrantingBinding {
  binding: RbacBinding;
  /** "" for a ClusterRoleBinding. */
  namespace: string;
  subject: RbacSubject;
  rules: readonly PolicyRule[];
}

/** Visits the bindings that name `user` (cluster-wide first, then `namespace`'s); a visitor returning true stops the walk. Errors name roles that were not found. */
async function visitGrants(objects: RbacObjects, user: UserInfo, namespace: string, visit: (grant: GrantingBinding) => boolean): Promise<string[]> {
  const errors: string[] = [];
  const walk = async (bindings: readonly RbacBinding[], bindingNamespace: string): Promise<boolean> => {
    for (const binding of bindings) {
      const subject = binding.subjects?.find((s) => subjectAppliesTo(s, user, bindingNamespace));
      if (!subject) continue;
      const { kind, name } = binding.roleRef;
      const role = kind === 'ClusterRole' ? await objects.clusterRole(name) : kind === 'Role' && bindingNamespace ? await objects.role(bindingNamespace, name) : undefined;
      if (!role) {
        errors.push(`${kind === 'Role' ? 'roles' : 'clusterroles'}.${RBAC_GROUP} "${name}" not found`);
        continue;
      }
      if (visit({ binding, namespace: bindingNamespace, subject, rules: role.rules ?? [] })) return true;
    }
    return false;
  };
  if (await walk(await objects.clusterRoleBindings(), '')) return errors;
  if (namespace) await walk(await objects.roleBindings(namespace), namespace);
  return errors;
}

/** Upstream's description of the grant that allowed a request. Pure. */
export function allowedReason(grant: Pick<GrantingBinding, 'binding' | 'namespace' | 'subject'>): string {
  const { binding, namespace, subject } = grant;
  const where = namespace ? `RoleBinding "${binding.metadata.name}/${namespace}"` : `ClusterRoleBinding "${binding.metadata.name}"`;
  const who = subject.kind === 'ServiceAccount' ? `ServiceAccount "${subject.name}/${subject.namespace || namespace}"` : `${subject.kind} "${subject.name}"`;
  return `RBAC: allowed by ${where} of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${who}`;
}

function joinErrors(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}

/** Whether the RBAC objects allow the request. */
export async function authorizeByRbac(attrs: RequestAttributes, objects: RbacObjects): Promise<Decision> {
  let allowedBy: GrantingBinding | undefined;
  const errors = await visitGrants(objects, attrs.user, attrs.namespace, (grant) => {
    if (!rulesAllow(grant.rules, attrs)) return false;
    allowedBy = grant;
    return true;
  });
  if (allowedBy) return { ...ALLOW, reason: allowedReason(allowedBy) };
  return noOpinion(errors.length ? `RBAC: ${joinErrors(errors)}` : '');
}

/** Every rule the RBAC objects grant `user` in `namespace` ("" = cluster-wide only), and the roles that could not be found. */
export async function rbacRulesFor(user: UserInfo, namespace: string, objects: RbacObjects): Promise<{ rules: PolicyRule[]; evaluationError?: string }> {
  const rules: PolicyRule[] = [];
  const errors = await visitGrants(objects, user, namespace, (grant) => {
    rules.push(...grant.rules);
    return false;
  });
  return errors.length ? { rules, evaluationError: joinErrors(errors) } : { rules };
}
