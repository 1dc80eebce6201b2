import { describe, expect, it } from 'vitest';
import { requestAttributes } from '../request-attributes.ts';
import type { UserInfo } from '../../../pkg/auth/user.ts';
import type { RbacBinding, RbacObjects, RbacRole } from './objects.ts';
import { authorizeByRbac, rbacRulesFor } from './rbac-authorizer.ts';
import { subjectAppliesTo } from './subjects.ts';

function objects(crbs: RbacBinding[], rbs: Record<string, RbacBinding[]>, clusterRoles: Record<string, RbacRole>, roles: Record<string, RbacRole>): RbacObjects {
  return {
    clusterRoleBindings: async () => crbs,
    roleBindings: async (ns) => rbs[ns] ?? [],
    clusterRole: async (name) => clusterRoles[name],
    role: async (ns, name) => roles[`${ns}/${name}`],
  };
}

const podReader: RbacRole = { metadata: { name: 'pod-reader' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] };
const sa: UserInfo = { username: 'system:serviceaccount:team:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'] };
const alice: UserInfo = { username: 'alice', groups: ['devs', 'system:authenticated'] };

describe('subjectAppliesTo', () => {
  it('matches users by name, groups by membership, service accounts by their user name', () => {
    expect(subjectAppliesTo({ kind: 'User', name: 'alice' }, alice, '')).toBe(true);
    expect(subjectAppliesTo({ kind: 'Group', name: 'devs' }, alice, '')).toBe(true);
    expect(subjectAppliesTo({ kind: 'Group', name: 'ops' }, alice, '')).toBe(false);
    expect(subjectAppliesTo({ kind: 'ServiceAccount', name: 'builder' }, sa, 'team')).toBe(true);
    expect(subjectAppliesTo({ kind: 'ServiceAccount', name: 'builder' }, sa, 'other')).toBe(false);
    expect(subjectAppliesTo({ kind: 'ServiceAccount', name: 'builder', namespace: 'team' }, sa, '')).toBe(true);
    expect(subjectAppliesTo({ kind: 'ServiceAccount', name: 'builder' }, sa, '')).toBe(false);
  });
});

describe('authorizeByRbac', () => {
  const source = objects(
    [{ metadata: { name: 'devs-view' }, subjects: [{ kind: 'Group', name: 'devs' }], roleRef: { kind: 'ClusterRole', name: 'pod-reader' } }],
    {
      team: [
        { metadata: { name: 'builder-edit', namespace: 'team' }, subjects: [{ kind: 'ServiceAccount', name: 'builder' }], roleRef: { kind: 'Role', name: 'deployer' } },
        { metadata: { name: 'dangling', namespace: 'team' }, subjects: [{ kind: 'User', name: 'alice' }], roleRef: { kind: 'ClusterRole', name: 'gone' } },
      ],
    },
    { 'pod-reader': podReader },
    { 'team/deployer': { metadata: { name: 'deployer', namespace: 'team' }, rules: [{ verbs: ['create'], apiGroups: ['apps'], resources: ['deployments'] }] } },
  );

  it('allows by a ClusterRoleBinding everywhere, naming the grant', async () => {
    const d = await authorizeByRbac(requestAttributes(alice, 'GET', '/api/v1/namespaces/x/pods'), source);
    expect(d).toEqual({ decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "devs-view" of ClusterRole "pod-reader" to Group "devs"' });
  });

  it('allows by a RoleBinding only in its namespace', async () => {
    const inTeam = await authorizeByRbac(requestAttributes(sa, 'POST', '/apis/apps/v1/namespaces/team/deployments'), source);
    expect(inTeam).toEqual({ decision: 'allow', reason: 'RBAC: allowed by RoleBinding "builder-edit/team" of Role "deployer" to ServiceAccount "builder/team"' });
    expect((await authorizeByRbac(requestAttributes(sa, 'POST', '/apis/apps/v1/namespaces/prod/deployments'), source)).decision).toBe('no-opinion');
  });

  it('has no opinion otherwise, reporting roles that do not exist', async () => {
    const d = await authorizeByRbac(requestAttributes(alice, 'DELETE', '/api/v1/namespaces/team/pods/p'), source);
    expect(d).toEqual({ decision: 'no-opinion', reason: 'RBAC: clusterroles.rbac.authorization.k8s.io "gone" not found' });
  });

  it('lists the rules a user holds in a namespace', async () => {
    expect(await rbacRulesFor(sa, 'team', source)).toEqual({ rules: [{ verbs: ['create'], apiGroups: ['apps'], resources: ['deployments'] }] });
    expect(await rbacRulesFor(alice, 'team', source)).toEqual({ rules: podReader.rules, evaluationError: 'clusterroles.rbac.authorization.k8s.io "gone" not found' });
  });
});
