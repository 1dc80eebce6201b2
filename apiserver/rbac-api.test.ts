/**
 * rbac.authorization.k8s.io/v1 through the API server: the four kinds are discovered with every
 * verb, created with upstream's defaults, refused with 422 Invalid and field causes, a binding's
 * roleRef cannot change; `kubectl apply` of a typical RBAC manifest works and `kubectl get`
 * prints upstream's columns.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectl } from '../e2e/harness/kubectl.ts';
import { startKubectlTestServer } from './handlers/test-kubectl-server.ts';
import type { ApiServer } from './server.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-rbac-api-'));
const GV = 'rbac.authorization.k8s.io/v1';
const BASE = `/apis/${GV}`;
let server: ApiServer;
let kubeconfig: string;
const minors = installedKubectls(KUBECTL_RANGE_ENDS);

beforeAll(async () => {
  ({ server, kubeconfig } = await startKubectlTestServer(dir));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
  const res = await server.app.inject({ method, url, payload: payload as object });
  return { code: res.statusCode, body: res.json() };
};

// Upstream's JSON names a cause's type `reason`; this server writes `type`: accept either.
const causesOf = (body: { details?: { causes?: Array<{ field: string; message: string; reason?: string }> } }) => (body.details?.causes ?? []).map((c) => `${c.reason} ${c.field}: ${c.message}`);

describe('RBAC API', () => {
  it('discovers the four kinds with every verb and no short names', async () => {
    const res = await call('GET', BASE);
    expect(res.code).toBe(200);
    const byName = Object.fromEntries((res.body.resources as Array<{ name: string }>).map((r) => [r.name, r]));
    expect(Object.keys(byName)).toEqual(['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']);
    for (const [name, kind, namespaced] of [['roles', 'Role', true], ['clusterroles', 'ClusterRole', false], ['rolebindings', 'RoleBinding', true], ['clusterrolebindings', 'ClusterRoleBinding', false]] as const) {
      expect(byName[name]).toMatchObject({ kind, namespaced, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] });
      expect((byName[name] as { shortNames?: string[] }).shortNames ?? []).toEqual([]);
    }
  });

  it('creates each kind and stores upstream defaults', async () => {
    const role = await call('POST', `${BASE}/namespaces/default/roles`, { apiVersion: GV, kind: 'Role', metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] });
    expect(role.code).toBe(201);
    expect(role.body).toMatchObject({ kind: 'Role', metadata: { name: 'pod-reader', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] });
    const cr = await call('POST', `${BASE}/clusterroles`, { apiVersion: GV, kind: 'ClusterRole', metadata: { name: 'system:metrics-reader' }, rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate': 'true' } }] } });
    expect(cr.code).toBe(201);
    const rb = await call('POST', `${BASE}/namespaces/default/rolebindings`, { apiVersion: GV, kind: 'RoleBinding', metadata: { name: 'read-pods' }, roleRef: { kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default' }] });
    expect(rb.code).toBe(201);
    expect(rb.body.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' });
    expect(rb.body.subjects).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }, { kind: 'ServiceAccount', name: 'default' }]);
    const crb = await call('POST', `${BASE}/clusterrolebindings`, { apiVersion: GV, kind: 'ClusterRoleBinding', metadata: { name: 'metrics' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:metrics-reader' }, subjects: [{ kind: 'Group', name: 'system:monitoring' }] });
    expect(crb.code).toBe(201);
    expect((await call('GET', `${BASE}/clusterrolebindings/metrics`)).body.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:monitoring' }]);
  });

  it('refuses an invalid Role with 422 Invalid and one cause per field error', async () => {
    const res = await call('POST', `${BASE}/namespaces/default/roles`, { apiVersion: GV, kind: 'Role', metadata: { name: 'bad' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }, { apiGroups: [''] }] });
    expect(res.code).toBe(422);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, details: { name: 'bad', group: 'rbac.authorization.k8s.io', kind: 'Role' } });
    expect(causesOf(res.body)).toEqual([
      'FieldValueInvalid rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
      'FieldValueRequired rules[1].verbs: Required value: verbs must contain at least one value',
      'FieldValueRequired rules[1].resources: Required value: resource rules must supply at least one resource',
    ]);
    expect(res.body.message).toBe('Role.rbac.authorization.k8s.io "bad" is invalid: [rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs, rules[1].verbs: Required value: verbs must contain at least one value, rules[1].resources: Required value: resource rules must supply at least one resource]');
  });

  it('refuses a ClusterRoleBinding to a Role and a service account without namespace', async () => {
    const res = await call('POST', `${BASE}/clusterrolebindings`, { apiVersion: GV, kind: 'ClusterRoleBinding', metadata: { name: 'bad' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }] });
    expect(res.code).toBe(422);
    expect(causesOf(res.body)).toEqual([
      'FieldValueNotSupported roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'FieldValueRequired subjects[0].namespace: Required value',
    ]);
  });

  it('lets subjects change but not the roleRef', async () => {
    const current = (await call('GET', `${BASE}/namespaces/default/rolebindings/read-pods`)).body;
    const more = await call('PUT', `${BASE}/namespaces/default/rolebindings/read-pods`, { ...current, subjects: [...current.subjects, { kind: 'Group', name: 'devs' }] });
    expect(more.code).toBe(200);
    expect(more.body.subjects[2]).toEqual({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' });
    const changed = await call('PUT', `${BASE}/namespaces/default/rolebindings/read-pods`, { ...more.body, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } });
    expect(changed.code).toBe(422);
    expect(changed.body.reason).toBe('Invalid');
    expect(causesOf(changed.body)).toEqual(['FieldValueInvalid roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef']);
  });
});

const MANIFEST = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: NAME-controller
  namespace: default
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: NAME-controller
  labels:
    app.kubernetes.io/name: NAME
rules:
- apiGroups: [""]
  resources: ["configmaps", "endpoints", "nodes", "pods", "secrets", "namespaces"]
  verbs: ["list", "watch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses/status"]
  verbs: ["update"]
- nonResourceURLs: ["/healthz", "/metrics"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: NAME-controller
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: NAME-controller
subjects:
- kind: ServiceAccount
  name: NAME-controller
  namespace: default
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: NAME-admin
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: NAME-leader-election
  namespace: default
rules:
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  resourceNames: ["NAME-leader"]
  verbs: ["get", "update"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: NAME-leader-election
  namespace: default
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: NAME-leader-election
subjects:
- kind: ServiceAccount
  name: NAME-controller
  namespace: default
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: NAME-operators
`;

describe.skipIf(!minors.length).each(minors)('kubectl %s and RBAC', (minor) => {
  const run = (...args: string[]) => kubectl(minor, args, { kubeconfig, home: dir });
  const name = `k${minor.replace('.', '')}`;
  const file = join(dir, `${name}.yaml`);

  // User and Group subjects spell out their (defaulted) apiGroup, as upstream's examples do: without
  // it the live object differs from the manifest and a second apply says "configured", upstream too.
  it('applies an RBAC manifest twice (created, then unchanged) and prints upstream columns', async () => {
    writeFileSync(file, MANIFEST.replaceAll('NAME', name));
    const first = await run('apply', '-f', file);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe([
      `serviceaccount/${name}-controller created`,
      `clusterrole.rbac.authorization.k8s.io/${name}-controller created`,
      `clusterrolebinding.rbac.authorization.k8s.io/${name}-controller created`,
      `role.rbac.authorization.k8s.io/${name}-leader-election created`,
      `rolebinding.rbac.authorization.k8s.io/${name}-leader-election created`,
      '',
    ].join('\n'));
    const second = await run('apply', '-f', file);
    expect(second.stdout, second.stderr).toBe(first.stdout.replaceAll(' created', ' unchanged'));

    const roles = await run('get', 'roles', `${name}-leader-election`);
    expect(roles.stdout, roles.stderr).toMatch(new RegExp(`^NAME\\s+CREATED AT\\n${name}-leader-election\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\n$`));
    const clusterRoles = await run('get', 'clusterroles', `${name}-controller`);
    expect(clusterRoles.stdout).toMatch(new RegExp(`^NAME\\s+CREATED AT\\n${name}-controller\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\n$`));
    const bindings = await run('get', 'rolebindings', `${name}-leader-election`, '-o', 'wide');
    expect(bindings.stdout).toMatch(new RegExp(`^NAME\\s+ROLE\\s+AGE\\s+USERS\\s+GROUPS\\s+SERVICEACCOUNTS\\n${name}-leader-election\\s+Role/${name}-leader-election\\s+\\d+s\\s+${name}-operators\\s+default/${name}-controller\\n$`));
    const described = await run('describe', 'rolebinding', `${name}-leader-election`);
    expect(described.stdout, described.stderr).toMatch(new RegExp(`^Role:\\n\\s+Kind:\\s+Role\\n\\s+Name:\\s+${name}-leader-election$`, 'm'));
    expect(described.stdout).toMatch(new RegExp(`^\\s+ServiceAccount\\s+${name}-controller\\s+default$`, 'm'));
    const describedRole = await run('describe', 'clusterrole', `${name}-controller`);
    expect(describedRole.stdout, describedRole.stderr).toMatch(/^\s+\[\/healthz\]\s+\[\]\s+\[get\]$/m);
    expect(describedRole.stdout).toMatch(/^\s+ingresses\.networking\.k8s\.io\/status\s+\[\]\s+\[\]\s+\[update\]$/m);
    const clusterBindings = await run('get', 'clusterrolebindings', `${name}-controller`);
    expect(clusterBindings.stdout).toMatch(new RegExp(`^NAME\\s+ROLE\\s+AGE\\n${name}-controller\\s+ClusterRole/${name}-controller\\s+\\d+s\\n$`));
  });

  it('applies the manifest server-side and creates roles and bindings with kubectl create', async () => {
    const ssa = join(dir, `${name}-ssa.yaml`);
    writeFileSync(ssa, MANIFEST.replaceAll('NAME', `${name}-ssa`));
    const applied = await run('apply', '--server-side', '-f', ssa);
    expect(applied.stdout, applied.stderr).toContain(`rolebinding.rbac.authorization.k8s.io/${name}-ssa-leader-election serverside-applied`);
    const again = await run('apply', '--server-side', '-f', ssa);
    expect(again.code, again.stderr).toBe(0);
    const role = await run('create', 'role', `${name}-cm-reader`, '--verb=get,list', '--resource=configmaps');
    expect(role.stdout, role.stderr).toBe(`role.rbac.authorization.k8s.io/${name}-cm-reader created\n`);
    const binding = await run('create', 'rolebinding', `${name}-cm-reader`, `--role=${name}-cm-reader`, '--user=jane', '--serviceaccount=default:builder');
    expect(binding.stdout, binding.stderr).toBe(`rolebinding.rbac.authorization.k8s.io/${name}-cm-reader created\n`);
    const crb = await run('create', 'clusterrolebinding', `${name}-viewers`, '--clusterrole=view', '--group=viewers');
    expect(crb.stdout, crb.stderr).toBe(`clusterrolebinding.rbac.authorization.k8s.io/${name}-viewers created\n`);
    const wide = await run('get', 'clusterrolebinding', `${name}-viewers`, '-o', 'wide');
    expect(wide.stdout).toMatch(new RegExp(`^${name}-viewers\\s+ClusterRole/view\\s+\\d+s\\s+viewers\\s*$`, 'm'));
  });

  it('reports an invalid manifest as upstream does', async () => {
    const bad = join(dir, `${name}-bad.yaml`);
    writeFileSync(bad, `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${name}-bad\n  namespace: default\nrules:\n- nonResourceURLs: ["/metrics"]\n  verbs: ["get"]\n`);
    const res = await run('apply', '-f', bad);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`The Role "${name}-bad" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: namespaced rules cannot apply to non-resource URLs`);
  });
});
