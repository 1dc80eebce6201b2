/**
 * Server-side apply, diff and the legacy workload versions through every installed kubectl
 * minor (1.27–1.33) with default flags, against etcd + `k8ts apiserver` processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startE2EControlPlane, type E2EControlPlane } from './harness/control-plane.ts';
import { fixturesDir } from './harness/fixtures.ts';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectlRunner } from './harness/kubectl.ts';

const testdata = fileURLToPath(new URL('./testdata', import.meta.url));
const minors = installedKubectls(ALL_KUBECTL_MINORS);

let cp: E2EControlPlane;

beforeAll(async () => {
  cp = await startE2EControlPlane({ storage: 'etcd' });
}, 60_000);

afterAll(async () => {
  await cp?.stop();
});

describe.each(minors)('kubectl %s: apply --server-side, diff, legacy versions', (minor) => {
  const ns = `ssa-${minor.replace('.', '-')}`;
  let home: string;
  const { run, ok } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfig, home }));

  beforeAll(async () => {
    home = cp.newHome();
    await ok(['create', 'namespace', ns]);
  });

  it('applies client-side with default validation (OpenAPI v2 protobuf for 1.27/1.28)', async () => {
    expect(await ok(['apply', '-n', ns, '-f', join(testdata, 'cm-v1.yaml')])).toContain('configmap/demo created');
    expect(await ok(['apply', '-n', ns, '-f', join(testdata, 'cm-v2.yaml')])).toContain('configmap/demo configured');
    expect(await ok(['get', '-n', ns, 'cm', 'demo', '-o', 'jsonpath={.data.a}'])).toBe('2');
  });

  it('applies server-side, reports a conflict between two managers, and forces it', async () => {
    expect(await ok(['apply', '--server-side', '-n', ns, '-f', join(testdata, 'cm-ssa.yaml')])).toContain('configmap/ssa serverside-applied');
    const managed = JSON.parse(await ok(['get', '-n', ns, 'cm', 'ssa', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields}']));
    expect(managed).toEqual([expect.objectContaining({ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:data': { 'f:a': {} } } })]);

    const conflict = await run(['apply', '--server-side', '--field-manager=other', '-n', ns, '-f', join(testdata, 'cm-ssa-other.yaml')]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .data.a');
    expect(await ok(['get', '-n', ns, 'cm', 'ssa', '-o', 'jsonpath={.data.a}'])).toBe('1');

    expect(await ok(['apply', '--server-side', '--force-conflicts', '--field-manager=other', '-n', ns, '-f', join(testdata, 'cm-ssa-other.yaml')])).toContain('configmap/ssa serverside-applied');
    expect(await ok(['get', '-n', ns, 'cm', 'ssa', '-o', 'jsonpath={.data.a}'])).toBe('2');
  });

  it('moves a client-side applied object to server-side apply', async () => {
    expect(await ok(['apply', '--server-side', '-n', ns, '-f', join(testdata, 'cm-v2.yaml')])).toContain('configmap/demo serverside-applied');
    const managed = JSON.parse(await ok(['get', '-n', ns, 'cm', 'demo', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields}']));
    const apply = managed.find((m: { manager: string; operation: string }) => m.manager === 'kubectl' && m.operation === 'Apply');
    expect(apply?.fieldsV1).toMatchObject({ 'f:data': { 'f:a': {}, 'f:greeting': {} } });
  });

  it('diffs a changed manifest against the live object with a server-side dry run', async () => {
    const res = await run(['diff', '-n', ns, '-f', join(testdata, 'cm-v1.yaml')]);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(/^-\s+a: "2"$/m);
    expect(res.stdout).toMatch(/^\+\s+a: "1"$/m);
    expect(await ok(['get', '-n', ns, 'cm', 'demo', '-o', 'jsonpath={.data.a}'])).toBe('2');
  });

  it('explains a field', async () => {
    const out = await ok(['explain', 'deployment.spec.strategy']);
    expect(out).toMatch(/KIND:\s+Deployment/);
    expect(out).toMatch(/rollingUpdate/);
  });

  it('merges container lists by name in apply, edit and patch (patch hints read through $refs)', async () => {
    const strict = async (args: string[], extra: Parameters<typeof run>[1] = {}): Promise<string> => {
      const res = await run(args, extra);
      // A broken OpenAPI document shows here: `error calculating patch from openapi spec`.
      expect(res.stderr, `kubectl ${args.join(' ')}`).toBe('');
      expect(res.code).toBe(0);
      return res.stdout;
    };
    const containers = async () => (await ok(['get', '-n', ns, 'deployment', 'smp', '-o', 'jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} {.env[*].name};{end}']));
    expect(await strict(['apply', '-n', ns, '-f', join(testdata, 'deploy-smp-v1.yaml')])).toContain('deployment.apps/smp created');
    await strict(['set', 'env', '-n', ns, 'deployment/smp', '-c', 'b', 'FOO=bar']);
    // Client-side apply of a changed image: kubectl computes a strategic merge patch from the
    // OpenAPI document (v2 protobuf for 1.27/1.28, v3 after); replacing the list would drop FOO.
    expect(await strict(['apply', '-n', ns, '-f', join(testdata, 'deploy-smp-v2.yaml')])).toContain('deployment.apps/smp configured');
    expect(await containers()).toBe('a=busybox:2 ;b=busybox:1 FOO;');
    expect(await strict(['diff', '-n', ns, '-f', join(testdata, 'deploy-smp-v2.yaml')])).toBe('');
    await strict(['edit', '-n', ns, 'deployment', 'smp'], { env: { EDITOR: 'sed -i "s/ image: busybox:1$/ image: busybox:5/"' } });
    expect(await containers()).toBe('a=busybox:2 ;b=busybox:5 FOO;');
    await strict(['patch', '-n', ns, 'deployment', 'smp', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"busybox:6"}]}}}}']);
    expect(await containers()).toBe('a=busybox:6 ;b=busybox:5 FOO;');
    // Dropping a container from the manifest: only a patch that merges by name says so
    // (`$patch: delete`); a replaced list would be merged by the server and keep it.
    expect(await strict(['apply', '-n', ns, '-f', join(testdata, 'deploy-smp-v3.yaml')])).toContain('deployment.apps/smp configured');
    expect(await containers()).toBe('a=busybox:2 ;');
    await ok(['delete', '-n', ns, 'deployment', 'smp']);
  });

  it('applies the flask-redis-nginx tutorial (extensions/v1beta1) and reads it back as apps/v1', async () => {
    const out = await ok(['apply', '-n', ns, '-f', join(fixturesDir, 'flask-redis-nginx')]);
    for (const name of ['flaskapp', 'nginx', 'redis']) expect(out).toContain(`deployment.extensions/${name} created`);
    const deploy = JSON.parse(await ok(['get', '-n', ns, 'deployments.apps', 'flaskapp', '-o', 'json']));
    expect(deploy.apiVersion).toBe('apps/v1');
    expect(deploy.spec.selector).toEqual({ matchLabels: { name: 'flaskapp' } });
    expect(await ok(['get', '-n', ns, 'svc', 'nginx'])).toMatch(/nginx\s+NodePort\s+\S+\s+<none>\s+80:3\d{4}\/TCP/);
    expect(await ok(['apply', '-n', ns, '-f', join(fixturesDir, 'flask-redis-nginx')])).toContain('deployment.extensions/flaskapp unchanged');
    await ok(['delete', '-n', ns, '-f', join(fixturesDir, 'flask-redis-nginx')]);
  });

  it('refuses an env name given twice server-side (client-side apply takes it with a warning)', async () => {
    const file = join(testdata, 'deploy-duplicate-env.yaml');
    const res = await run(['apply', '--server-side', '-n', ns, '-f', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`failed to create typed patch object (${ns}/dupenv; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="app"].env: duplicate entries for key [name="MODE"]`);
    expect((await run(['get', '-n', ns, 'deployments.apps', 'dupenv'])).stderr).toContain('not found');
    const clientSide = await run(['apply', '-n', ns, '-f', file]);
    expect(clientSide.code).toBe(0);
    expect(clientSide.stderr).toContain('hides previous definition of "MODE"');
    await ok(['delete', '-n', ns, '-f', file]);
  });

  it('rejects the integer env value of the wordpress tutorial, creating nothing', async () => {
    const res = await run(['apply', '-n', ns, '-f', join(fixturesDir, 'invalid', 'wordpress-integer-env.yaml')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/env.*value.*string|cannot unmarshal number/);
    const get = await run(['get', '-n', ns, 'deployments.apps', 'wordpress']);
    expect(get.stderr).toContain('not found');
  });
});
