/**
 * RBAC objects through the whole TLS API server (bootstrap roles, the authorizer, escalation
 * checks) with the real kubectl: users from a token file start with discovery only, gain what an
 * administrator binds them (`kubectl apply` of a Role and RoleBinding), in that namespace only,
 * and cannot grant themselves more than they hold.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectl } from '../../../e2e/harness/kubectl.ts';
import { writeKubeconfig } from '../../../pkg/client/write-kubeconfig.ts';
import { startTlsTestApiServer, type TlsTestApiServer } from '../../testing/tls-test-server.ts';

const minor = installedKubectls([...ALL_KUBECTL_MINORS]).at(-1);
let tls: TlsTestApiServer | undefined;
let kubeconfigs: Record<string, string> = {};

beforeAll(async () => {
  tls = await startTlsTestApiServer({ tokenFile: 'admin-token,admin,1,"system:masters"\nalice-token,alice,2,"devs"\nbob-token,bob,3\n' });
  for (const user of ['admin', 'alice', 'bob']) kubeconfigs[user] = writeKubeconfig({ server: tls.url, certificateAuthority: tls.ca.cert, token: `${user}-token`, path: join(tls.dir, `kubeconfig-${user}`) });
}, 60_000);

afterAll(async () => {
  await tls?.stop();
  kubeconfigs = {};
});

const as = (user: string, ...args: string[]) => kubectl(minor as string, args, { kubeconfig: kubeconfigs[user], home: join((tls as TlsTestApiServer).dir, `home-${user}`) });
const apply = (user: string, yaml: string) => kubectl(minor as string, ['apply', '-f', '-'], { kubeconfig: kubeconfigs[user], home: join((tls as TlsTestApiServer).dir, `home-${user}`), stdin: yaml });

const TEAM = `
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: team}
rules:
- apiGroups: [""]
  resources: ["pods", "pods/log"]
  verbs: ["get", "watch", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods, namespace: team}
subjects:
- kind: User
  name: alice
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
`;

describe.skipIf(!minor)('RBAC with kubectl', () => {
  it('serves the bootstrap roles and bindings', async () => {
    const roles = await as('admin', 'get', 'clusterroles', '-o', 'name');
    expect(roles.stdout.split('\n'), roles.stderr).toEqual(expect.arrayContaining(['clusterrole.rbac.authorization.k8s.io/cluster-admin', 'clusterrole.rbac.authorization.k8s.io/view', 'clusterrole.rbac.authorization.k8s.io/edit', 'clusterrole.rbac.authorization.k8s.io/admin']));
    const bindings = await as('admin', 'get', 'clusterrolebinding', 'cluster-admin');
    expect(bindings.stdout, bindings.stderr).toMatch(/^NAME\s+ROLE\s+AGE\ncluster-admin\s+ClusterRole\/cluster-admin\s+\S+\n$/);
  });

  it('grants a user what a RoleBinding binds, in its namespace only', async () => {
    expect((await as('alice', 'auth', 'can-i', 'list', 'pods', '-n', 'team')).stdout.trim()).toBe('no');
    const applied = await apply('admin', TEAM);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('role.rbac.authorization.k8s.io/pod-reader created');
    expect(applied.stdout).toContain('rolebinding.rbac.authorization.k8s.io/read-pods created');
    expect((await as('alice', 'auth', 'can-i', 'list', 'pods', '-n', 'team')).stdout.trim()).toBe('yes');
    const list = await as('alice', 'get', 'pods', '-n', 'team');
    expect([list.code, list.stderr.trim()]).toEqual([0, 'No resources found in team namespace.']);
    const elsewhere = await as('alice', 'get', 'pods', '-n', 'other');
    expect(elsewhere.stderr.trim()).toBe('Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "other"');
    expect((await as('alice', 'auth', 'can-i', 'delete', 'pods', '-n', 'team')).stdout.trim()).toBe('no');
    const rules = await as('alice', 'auth', 'can-i', '--list', '-n', 'team');
    expect(rules.stdout).toMatch(/pods\s+\[\]\s+\[\]\s+\[get watch list\]/);
  });

  it('lets a group bound to the aggregated edit role create Deployments but not bind roles', async () => {
    const bound = await as('admin', 'create', 'rolebinding', 'devs-edit', '--clusterrole=edit', '--group=devs', '-n', 'team');
    expect(bound.code, bound.stderr).toBe(0);
    expect((await as('alice', 'auth', 'can-i', 'create', 'deployments.apps', '-n', 'team')).stdout.trim()).toBe('yes');
    expect((await as('alice', 'auth', 'can-i', 'create', 'rolebindings', '-n', 'team')).stdout.trim()).toBe('no');
    const wide = await as('admin', 'get', 'rolebindings', '-n', 'team', '-o', 'wide');
    expect(wide.stdout).toMatch(/^devs-edit\s+ClusterRole\/edit\s+\S+\s+devs\s*$/m);
  });

  it('refuses a role or binding that grants more than the user holds, with upstream\'s message', async () => {
    const bound = await as('admin', 'create', 'rolebinding', 'bob-admin', '--clusterrole=admin', '--user=bob', '-n', 'team');
    expect(bound.code, bound.stderr).toBe(0);
    // bob administers team: he may grant what he holds there…
    const ok = await as('bob', 'create', 'rolebinding', 'carol-view', '--clusterrole=view', '--user=carol', '-n', 'team');
    expect(ok.code, ok.stderr).toBe(0);
    // …but not cluster-admin, nor a role with rules he lacks.
    const escalate = await as('bob', 'create', 'rolebinding', 'bob-root', '--clusterrole=cluster-admin', '--user=bob', '-n', 'team');
    expect(escalate.code).not.toBe(0);
    expect(escalate.stderr).toContain('rolebindings.rbac.authorization.k8s.io "bob-root" is forbidden: user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}');
    const role = await as('bob', 'create', 'role', 'node-reader', '--verb=get', '--resource=nodes', '-n', 'team');
    expect(role.stderr).toContain('roles.rbac.authorization.k8s.io "node-reader" is forbidden: user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}');
    expect((await as('admin', 'get', 'rolebinding', 'bob-root', '-n', 'team')).stderr).toContain('NotFound');
  });

  it('lets an administrator check a user with --as, and refuses impersonation to others', async () => {
    expect((await as('admin', 'auth', 'can-i', 'list', 'pods', '-n', 'team', '--as', 'alice')).stdout.trim()).toBe('yes');
    expect((await as('admin', 'auth', 'can-i', 'list', 'pods', '-n', 'other', '--as', 'alice')).stdout.trim()).toBe('no');
    const whoami = await as('admin', 'auth', 'whoami', '--as', 'system:serviceaccount:team:builder', '-o', 'jsonpath={.status.userInfo.groups}');
    expect(JSON.parse(whoami.stdout), whoami.stderr).toEqual(['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated']);
    // --raw: kubectl's discovery client cannot decode a 403 body (it prints "Forbidden: unknown", against upstream too).
    const refused = await as('bob', 'get', '--raw', '/api/v1/namespaces/team/pods', '--as', 'alice');
    expect(refused.stderr.trim()).toBe('Error from server (Forbidden): users "alice" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it('rejects invalid RBAC objects with field causes', async () => {
    const bad = await apply('admin', `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bad, namespace: team}
subjects: [{kind: Robot, name: r2}]
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
`);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('subjects[0].kind: Unsupported value: "Robot"');
  });
});
