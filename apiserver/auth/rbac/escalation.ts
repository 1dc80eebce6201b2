/**
 * Privilege-escalation prevention for the RBAC kinds (upstream's policy-based RBAC REST storage):
 * a user may create or change a Role or ClusterRole only with rules they hold themselves (or with
 * the `escalate` verb on it), and a RoleBinding or ClusterRoleBinding only to a role whose rules
 * they hold (or with the `bind` verb on that role). An aggregated ClusterRole needs full
 * authority, since it will collect whatever its selectors match. `system:masters` and in-process
 * writes skip the check; an update that leaves the rules (or the subjects and role) unchanged too.
 * Refusals are upstream's 403: `... is attempting to grant RBAC permissions not currently held:`
 * followed by the missing rules.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { SYSTEM_MASTERS, type UserInfo } from '../../../pkg/auth/user.ts';
import { forbidden } from '../../../pkg/errors/index.ts';
import type { AdmissionAttributes, AdmissionPlugin } from '../../admission/types.ts';
import type { Authorizer } from '../authorizer.ts';
import type { RequestAttributes } from '../request-attributes.ts';
import type { PolicyRule } from '../rules.ts';
import { compactRules, compactString, uncoveredRules } from './covers.ts';
import { RBAC_GROUP } from '../../../pkg/api/rbac/v1/group.ts';
import type { RbacBinding, RbacObjects } from './objects.ts';

/** What an aggregated ClusterRole needs (upstream `fullAuthority`). */
const FULL_AUTHORITY: readonly PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

type RoleLike = KubeObject & { rules?: PolicyRule[] | null; aggregationRule?: unknown };

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Upstream's refusal text for `user` lacking `missing`. Pure. */
export function escalationMessage(user: UserInfo, missing: readonly PolicyRule[]): string {
  const groups = `[${user.groups.map((g) => JSON.stringify(g)).join(' ')}]`;
  return `user ${JSON.stringify(user.username)} (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${compactRules(missing).map(compactString).join('\n')}`;
}

function resourceAttributes(user: UserInfo, verb: string, resource: string, namespace: string, name: string): RequestAttributes {
  return { user, verb, resourceRequest: true, apiGroup: RBAC_GROUP, apiVersion: '', resource, subresource: '', namespace, name, path: '', fieldSelector: [] };
}

/** The escalation check as a validating admission plugin, deciding with the server's `authorizer`. */
export function createRbacEscalationPlugin(authorizer: Authorizer, objects: RbacObjects): AdmissionPlugin {
  const allowed = async (attrs: RequestAttributes) => (await authorizer.authorize(attrs)).decision === 'allow';
  const refuse = async (attrs: AdmissionAttributes, user: UserInfo, namespace: string, requested: readonly PolicyRule[]) => {
    const held = await authorizer.rulesFor(user, namespace);
    const missing = uncoveredRules([...held.resourceRules, ...held.nonResourceRules], requested);
    if (missing.length === 0) return;
    const resolution = held.evaluationError ? `; resolution errors: [${held.evaluationError}]` : '';
    throw forbidden({ group: RBAC_GROUP, resource: attrs.info.plural }, attrs.name, escalationMessage(user, missing) + resolution);
  };
  return {
    name: 'RBACEscalation',
    validate(attrs) {
      const { info, user, object } = attrs;
      if (info.group !== RBAC_GROUP || attrs.subresource || !object || !user || user.groups.includes(SYSTEM_MASTERS)) return;
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      const namespace = info.namespaced ? (attrs.namespace ?? '') : '';
      const old = attrs.oldObject as (RoleLike & RbacBinding) | undefined;
      if (info.plural === 'roles' || info.plural === 'clusterroles') {
        const role = object as RoleLike;
        if (old && same(role.rules, old.rules) && same(role.aggregationRule, old.aggregationRule)) return;
        return (async () => {
          if (await allowed(resourceAttributes(user, 'escalate', info.plural, namespace, attrs.name))) return;
          await refuse(attrs, user, namespace, role.aggregationRule ? FULL_AUTHORITY : (role.rules ?? []));
        })();
      }
      const binding = object as unknown as RbacBinding;
      if (old && same(binding.roleRef, old.roleRef) && same(binding.subjects, old.subjects)) return;
      return (async () => {
        const { kind, name } = binding.roleRef;
        const plural = kind === 'Role' ? 'roles' : 'clusterroles';
        if (await allowed(resourceAttributes(user, 'bind', plural, namespace, name))) return;
        const role = kind === 'Role' ? await objects.role(namespace, name) : await objects.clusterRole(name);
        if (!role) throw forbidden({ group: RBAC_GROUP, resource: info.plural }, attrs.name, `${plural}.${RBAC_GROUP} "${name}" not found`);
        await refuse(attrs, user, namespace, role.rules ?? []);
      })();
    },
  };
}
