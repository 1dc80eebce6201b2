/**
 * `pods/ephemeralcontainers` over HTTP (in-process control plane, no kubelet): GET answers the
 * Pod; PATCH (strategic merge as kubectl debug sends it, JSON patch, merge patch) and PUT change
 * only `spec.ephemeralContainers`; upstream's 422s leave the pod unchanged; a missing pod is 404;
 * the main resource and create refuse ephemeral containers; discovery lists the subresource; the
 * bootstrap roles grant it to none but cluster-admin (as upstream); and real kubectl (oldest and
 * newest minor) runs `kubectl debug` without -it and `kubectl describe` shows the container.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

let cp: TestControlPlane;
const dir = mkdtempSync(join(tmpdir(), 'k8ts-ephemeral-'));
const base = '/api/v1/namespaces/default/pods';

async function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ code: number; body: Record<string, any> }> {
  const res = await fetch(`${cp.url}${path}`, { method, headers: { 'content-type': contentType }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { code: res.status, body: (await res.json()) as Record<string, any> };
}

async function createPod(name: string, annotations?: Record<string, string>): Promise<void> {
  const res = await send('POST', base, { apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] } });
  expect(res.code, JSON.stringify(res.body)).toBe(201);
}

/** What kubectl 1.33's `debug --target=app -c debugger -it` patches (a two-way strategic merge patch). */
const kubectlPatch = (name: string) => ({
  spec: {
    '$setElementOrder/ephemeralContainers': [{ name }],
    ephemeralContainers: [{ image: 'busybox', name, resources: {}, stdin: true, targetContainerName: 'app', terminationMessagePolicy: 'File', tty: true }],
  },
});

beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('pods/ephemeralcontainers over HTTP', () => {
  it('GET answers the pod; a strategic merge patch as kubectl sends it adds a defaulted container and nothing else changes', async () => {
    await createPod('web');
    const got = await send('GET', `${base}/web/ephemeralcontainers`);
    expect(got).toMatchObject({ code: 200, body: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web' } } });
    const patch = kubectlPatch('debugger');
    (patch.spec as Record<string, unknown>).containers = [{ name: 'app', image: 'evil' }];
    const res = await send('PATCH', `${base}/web/ephemeralcontainers`, { ...patch, metadata: { labels: { sneaky: 'yes' } }, status: { phase: 'Failed' } }, 'application/strategic-merge-patch+json');
    expect(res.code, JSON.stringify(res.body)).toBe(200);
    expect(res.body.kind).toBe('Pod');
    expect(res.body.spec.ephemeralContainers).toEqual([{ name: 'debugger', image: 'busybox', targetContainerName: 'app', resources: {}, stdin: true, tty: true, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }]);
    const stored = (await send('GET', `${base}/web`)).body;
    expect(stored.spec.containers[0].image).toBe('busybox');
    expect(stored.metadata.labels).toBeUndefined();
    expect(stored.status.phase).toBe('Pending');
    expect(stored.spec.ephemeralContainers.map((c: { name: string }) => c.name)).toEqual(['debugger']);
    expect(stored.metadata.managedFields.some((f: { subresource?: string }) => f.subresource === 'ephemeralcontainers')).toBe(true);
  });

  it('JSON patch and merge patch add more; PUT takes only the ephemeral containers of its body', async () => {
    const json = await send('PATCH', `${base}/web/ephemeralcontainers`, [{ op: 'add', path: '/spec/ephemeralContainers/-', value: { name: 'second', image: 'busybox' } }], 'application/json-patch+json');
    expect(json.code, JSON.stringify(json.body)).toBe(200);
    const current = (await send('GET', `${base}/web/ephemeralcontainers`)).body;
    current.spec.ephemeralContainers.push({ name: 'third', image: 'busybox', command: ['ps'] });
    current.spec.containers[0].image = 'ignored';
    current.metadata.annotations = { ignored: 'too' };
    const put = await send('PUT', `${base}/web/ephemeralcontainers`, current);
    expect(put.code, JSON.stringify(put.body)).toBe(200);
    expect(put.body.spec.ephemeralContainers.map((c: { name: string }) => c.name)).toEqual(['debugger', 'second', 'third']);
    expect(put.body.spec.containers[0].image).toBe('busybox');
    expect(put.body.metadata.annotations).toBeUndefined();
    // A stale resourceVersion in a PUT is the client's conflict.
    const stale = await send('PUT', `${base}/web/ephemeralcontainers`, current);
    expect(stale).toMatchObject({ code: 409, body: { reason: 'Conflict' } });
  });

  it.each<[string, unknown, string, string]>([
    ['a removal', [{ op: 'remove', path: '/spec/ephemeralContainers/0' }], 'application/json-patch+json', 'Pod "web" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be removed\n'],
    ['a duplicate of the app container', { spec: { ephemeralContainers: [{ name: 'app', image: 'busybox' }] } }, 'application/strategic-merge-patch+json', 'Pod "web" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "app"'],
    ['an unknown target', { spec: { ephemeralContainers: [{ name: 'x', image: 'busybox', targetContainerName: 'db' }] } }, 'application/strategic-merge-patch+json', 'Pod "web" is invalid: spec.ephemeralContainers[0].targetContainerName: Not found: "db"'],
    ['ports and a probe', { spec: { ephemeralContainers: [{ name: 'x', image: 'busybox', ports: [{ containerPort: 80 }], readinessProbe: { exec: { command: ['true'] } } }] } }, 'application/strategic-merge-patch+json', 'Pod "web" is invalid: [spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container, spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container]'],
  ])('%s is a 422 with upstream\'s message and changes nothing', async (_name, patch, type, message) => {
    const before = (await send('GET', `${base}/web`)).body;
    const res = await send('PATCH', `${base}/web/ephemeralcontainers`, patch, type);
    expect(res.code).toBe(422);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', details: { name: 'web', kind: 'Pod' } });
    expect(res.body.message).toBe(message);
    expect((await send('GET', `${base}/web`)).body.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('a changed container is refused with the field diff', async () => {
    const res = await send('PATCH', `${base}/web/ephemeralcontainers`, { spec: { ephemeralContainers: [{ name: 'third', image: 'busybox:2' }] } }, 'application/strategic-merge-patch+json');
    expect(res.code).toBe(422);
    expect(res.body.message).toMatch(/^Pod "web" is invalid: spec\.ephemeralContainers: Forbidden: existing ephemeral containers "third" may not be changed\n {2}image: "busybox" -> "busybox:2"$/);
  });

  it('bad input is a 4xx Status and nothing changes', async () => {
    const before = (await send('GET', `${base}/web`)).body.metadata.resourceVersion;
    expect(await send('PATCH', `${base}/web/ephemeralcontainers`, '{"spec":', 'application/strategic-merge-patch+json')).toMatchObject({ code: 400, body: { kind: 'Status', reason: 'BadRequest' } });
    // A patched object that does not decode is upstream's 422 on the `patch` field.
    expect(await send('PATCH', `${base}/web/ephemeralcontainers`, { spec: { ephemeralContainers: 'x' } }, 'application/merge-patch+json')).toMatchObject({ code: 422, body: { kind: 'Status', reason: 'Invalid', details: { causes: [{ field: 'patch' }] } } });
    expect(await send('PATCH', `${base}/web/ephemeralcontainers`, { spec: {} }, 'text/plain')).toMatchObject({ code: 415, body: { kind: 'Status', reason: 'UnsupportedMediaType' } });
    expect(await send('POST', `${base}/web/ephemeralcontainers`, {})).toMatchObject({ code: 405, body: { kind: 'Status', reason: 'MethodNotAllowed' } });
    expect(await send('DELETE', `${base}/web/ephemeralcontainers`)).toMatchObject({ code: 405, body: { kind: 'Status' } });
    expect((await send('GET', `${base}/web`)).body.metadata.resourceVersion).toBe(before);
  });

  it('a missing pod is 404; a static pod\'s mirror takes none', async () => {
    for (const [method, body] of [['GET', undefined], ['PATCH', kubectlPatch('d')]] as const) {
      const res = await send(method, `${base}/nope/ephemeralcontainers`, body, 'application/strategic-merge-patch+json');
      expect(res).toMatchObject({ code: 404, body: { kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found', details: { name: 'nope', kind: 'pods' } } });
    }
    await createPod('mirror', { 'kubernetes.io/config.mirror': 'abc' });
    const res = await send('PATCH', `${base}/mirror/ephemeralcontainers`, kubectlPatch('d'), 'application/strategic-merge-patch+json');
    expect(res.code).toBe(422);
    expect(res.body.message).toBe('Pod "mirror" is invalid: : Forbidden: static pods do not support ephemeral containers');
  });

  it('the main resource refuses them on update and on create', async () => {
    const res = await send('PATCH', `${base}/web`, { spec: { ephemeralContainers: [{ name: 'sneak', image: 'busybox' }] } }, 'application/strategic-merge-patch+json');
    expect(res.code).toBe(422);
    expect(res.body.message).toMatch(/^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than /);
    const created = await send('POST', base, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'born' }, spec: { containers: [{ name: 'app', image: 'busybox' }], ephemeralContainers: [{ name: 'd', image: 'busybox' }] } });
    expect(created.code).toBe(422);
    expect(created.body.message).toBe('Pod "born" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create');
  });

  it('discovery lists pods/ephemeralcontainers; only cluster-admin of the bootstrap roles grants it (as upstream)', async () => {
    const resources = (await send('GET', '/api/v1')).body.resources as Array<{ name: string; kind: string; verbs: string[] }>;
    expect(resources.find((r) => r.name === 'pods/ephemeralcontainers')).toMatchObject({ kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    const roles = (await send('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')).body.items as Array<{ metadata: { name: string }; rules?: Array<{ apiGroups?: string[]; resources?: string[] }> }>;
    expect(roles.map((r) => r.metadata.name)).toEqual(expect.arrayContaining(['admin', 'edit', 'system:aggregate-to-edit']));
    const grants = roles.filter((r) => (r.rules ?? []).some((rule) => (rule.apiGroups ?? []).some((g) => g === '' || g === '*') && (rule.resources ?? []).some((x) => x === 'pods/ephemeralcontainers' || x === '*'))).map((r) => r.metadata.name);
    expect(grants).toEqual(['cluster-admin']);
  });
});

const minors = installedKubectls(KUBECTL_RANGE_ENDS);
describe.skipIf(!minors.length).each(minors)('kubectl %s debug (no kubelet: the patch alone)', (minor) => {
  const { ok } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));
  it('adds a debug container targeting the app container, and describe shows it', async () => {
    const pod = `k${minor.replace('.', '')}`;
    await createPod(pod);
    await ok(['debug', pod, '--image=busybox', '-c', 'dbg', '--target=app', '--', 'sleep', '1d']);
    const ec = (await send('GET', `${base}/${pod}`)).body.spec.ephemeralContainers;
    expect(ec).toMatchObject([{ name: 'dbg', image: 'busybox', targetContainerName: 'app', command: ['sleep', '1d'] }]);
    const described = await ok(['describe', 'pod', pod]);
    expect(described).toMatch(/\nEphemeral Containers:\n {2}dbg:\n/);
    expect(described).toMatch(/ {4}Image: +busybox\n/);
  });

  it('copies a pod with --copy-to: references to ConfigMaps and Secrets survive (kubectl 1.33 sends protobuf)', async () => {
    const pod = `c${minor.replace('.', '')}`;
    const ref = { configMapKeyRef: { name: 'settings', key: 'mode' } };
    const spec = {
      nodeName: 'n1',
      containers: [{
        name: 'app', image: 'busybox', command: ['sleep', '3600'],
        env: [{ name: 'MODE', valueFrom: ref }, { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }],
        envFrom: [{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'creds' } }],
      }],
      volumes: [
        { name: 'config', configMap: { name: 'settings' } },
        { name: 'bundle', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { secret: { name: 'creds' } }] } },
      ],
    };
    expect((await send('POST', base, { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod }, spec })).code).toBe(201);
    await ok(['debug', pod, '--image=busybox', `--copy-to=${pod}-copy`, '--', 'sleep', '1d']);
    const original = (await send('GET', `${base}/${pod}`)).body.spec;
    const copy = (await send('GET', `${base}/${pod}-copy`)).body.spec;
    expect(copy.volumes).toEqual(original.volumes);
    const app = copy.containers.find((c: { name: string }) => c.name === 'app');
    expect(app.env).toEqual(original.containers[0].env);
    expect(app.envFrom).toEqual(original.containers[0].envFrom);
  });
});
