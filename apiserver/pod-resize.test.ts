/**
 * `pods/resize` over HTTP against a real API server on etcd (no kubelet): GET answers the Pod;
 * merge, strategic-merge and apply patches and PUT change only container resources (everything
 * else of the request is ignored); upstream's 422s leave the pod unchanged; `pods` itself and
 * `pods/status` still refuse or drop resource changes; discovery (legacy and aggregated) lists the
 * subresource; no bootstrap role but cluster-admin grants it (as upstream 1.33); and kubectl 1.33
 * resizes with `--subresource resize`, reads through it, and prints upstream's refusal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, kubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

let cp: TestControlPlane;
const dir = mkdtempSync(join(tmpdir(), 'k8ts-resize-'));
const base = '/api/v1/namespaces/default/pods';

async function send(method: string, path: string, body?: unknown, contentType = 'application/json', accept = 'application/json'): Promise<{ code: number; body: Record<string, any> }> {
  const res = await fetch(`${cp.url}${path}`, { method, headers: { 'content-type': contentType, accept }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { code: res.status, body: (await res.json()) as Record<string, any> };
}

const burstable = { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } };

async function createPod(name: string, resources: unknown = burstable): Promise<void> {
  const res = await send('POST', base, { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'busybox', resources }, { name: 'side', image: 'busybox', resources }] } });
  expect(res.code, JSON.stringify(res.body)).toBe(201);
}

const resourcesOf = async (name: string) => (await send('GET', `${base}/${name}`)).body.spec.containers.map((c: { resources: unknown }) => c.resources);

beforeAll(async () => {
  cp = await startTestControlPlane({ storage: 'etcd' });
}, 60_000);
afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('pods/resize over HTTP', () => {
  it('GET answers the pod; a merge patch changes the resources and nothing else of the request', async () => {
    await createPod('web');
    expect(await send('GET', `${base}/web/resize`)).toMatchObject({ code: 200, body: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web' } } });
    const resources = { requests: { cpu: '800m', memory: '128Mi' }, limits: { cpu: '2', memory: '512Mi' } };
    const res = await send('PATCH', `${base}/web/resize`, { metadata: { labels: { sneaky: 'yes' } }, spec: { containers: [{ name: 'app', image: 'evil', resources }, { name: 'side', image: 'busybox', resources: burstable }], nodeName: 'n2' }, status: { phase: 'Failed' } }, 'application/merge-patch+json');
    expect(res.code, JSON.stringify(res.body)).toBe(200);
    expect(res.body.kind).toBe('Pod');
    const stored = (await send('GET', `${base}/web`)).body;
    expect(stored.spec.containers[0]).toMatchObject({ image: 'busybox', resources });
    expect(stored.spec.nodeName).toBe('n1');
    expect(stored.metadata.labels).toBeUndefined();
    expect(stored.status).toMatchObject({ phase: 'Pending', qosClass: 'Burstable' });
    expect(stored.metadata.managedFields.some((f: { subresource?: string }) => f.subresource === 'resize')).toBe(true);
  });

  it('a strategic merge patch as kubectl sends it, server-side apply and PUT resize one container', async () => {
    const smp = await send('PATCH', `${base}/web/resize`, { spec: { containers: [{ name: 'side', resources: { requests: { cpu: '600m' } } }] } }, 'application/strategic-merge-patch+json');
    expect(smp.code, JSON.stringify(smp.body)).toBe(200);
    expect((await resourcesOf('web'))[1]).toEqual({ requests: { cpu: '600m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } });
    const apply = await send('PATCH', `${base}/web/resize?fieldManager=resizer&force=true`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'side', resources: { requests: { cpu: '700m' } } }] } }, 'application/apply-patch+yaml');
    expect(apply.code, JSON.stringify(apply.body)).toBe(200);
    expect((await resourcesOf('web'))[1].requests.cpu).toBe('700m');
    const current = (await send('GET', `${base}/web/resize`)).body;
    current.spec.containers[1].resources.limits.cpu = '3';
    current.spec.containers[1].image = 'ignored';
    const put = await send('PUT', `${base}/web/resize`, current);
    expect(put.code, JSON.stringify(put.body)).toBe(200);
    expect(put.body.spec.containers[1]).toMatchObject({ image: 'busybox', resources: { limits: { cpu: '3' } } });
    expect(await send('PUT', `${base}/web/resize`, current)).toMatchObject({ code: 409, body: { reason: 'Conflict' } });
  });

  it.each<[string, unknown, string, Array<{ reason: string; field: string }>]>([
    ['a QoS class change', { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '2', memory: '512Mi' } } }, { name: 'side', resources: { requests: { cpu: '3', memory: '256Mi' } } }] } },
      'Pod "web" is invalid: spec: Invalid value: "Burstable": Pod QOS Class may not change as a result of resizing', [{ reason: 'FieldValueInvalid', field: 'spec' }]],
    ['a lower memory limit', { spec: { containers: [{ name: 'app', resources: { limits: { memory: '300Mi' } } }] } },
      'Pod "web" is invalid: spec.containers[0].resources.limits[memory]: Forbidden: memory limits cannot be decreased unless resizePolicy is RestartContainer', [{ reason: 'FieldValueForbidden', field: 'spec.containers[0].resources.limits[memory]' }]],
    ['a new resizePolicy on both containers (one message, two causes)', { spec: { containers: [{ name: 'app', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'RestartContainer' }] }, { name: 'side', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'RestartContainer' }] }] } },
      'Pod "web" is invalid: spec: Forbidden: only cpu and memory resources are mutable', [{ reason: 'FieldValueForbidden', field: 'spec' }, { reason: 'FieldValueForbidden', field: 'spec' }]],
  ])('%s is a 422 with upstream\'s message and changes nothing', async (_name, patch, message, causes) => {
    const before = (await send('GET', `${base}/web`)).body.metadata.resourceVersion;
    const res = await send('PATCH', `${base}/web/resize`, patch, 'application/strategic-merge-patch+json');
    expect(res.code).toBe(422);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', message, details: { name: 'web', kind: 'Pod' } });
    expect(res.body.details.causes).toMatchObject(causes);
    expect((await send('GET', `${base}/web`)).body.metadata.resourceVersion).toBe(before);
  });

  it('pods refuses a resource change with upstream\'s message; pods/status drops one', async () => {
    const pod = (await send('GET', `${base}/web`)).body;
    pod.spec.containers[0].resources.requests.cpu = '900m';
    const put = await send('PUT', `${base}/web`, pod);
    expect(put.code).toBe(422);
    expect(put.body.message).toBe('Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)');
    const status = await send('PATCH', `${base}/web/status`, { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '900m' } } }] }, status: { conditions: [{ type: 'PodResizePending', status: 'True', reason: 'Deferred' }] } }, 'application/strategic-merge-patch+json');
    expect(status.code, JSON.stringify(status.body)).toBe(200);
    expect(status.body.spec.containers[0].resources.requests.cpu).toBe('800m');
    expect(status.body.status.conditions).toMatchObject([{ type: 'PodResizePending', status: 'True', reason: 'Deferred' }]);
  });

  it('a missing pod is 404', async () => {
    expect(await send('PATCH', `${base}/nope/resize`, { spec: {} }, 'application/merge-patch+json')).toMatchObject({ code: 404, body: { reason: 'NotFound', message: 'pods "nope" not found' } });
  });

  it('discovery lists pods/resize (legacy and aggregated); only cluster-admin of the bootstrap roles grants it (as upstream 1.33)', async () => {
    const resources = (await send('GET', '/api/v1')).body.resources as Array<{ name: string; kind: string; verbs: string[]; namespaced: boolean }>;
    expect(resources.find((r) => r.name === 'pods/resize')).toMatchObject({ kind: 'Pod', namespaced: true, verbs: ['get', 'patch', 'update'] });
    const aggregated = (await send('GET', '/api', undefined, 'application/json', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).body;
    const pods = aggregated.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'pods');
    expect(pods.subresources).toContainEqual({ subresource: 'resize', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] });
    const roles = (await send('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')).body.items as Array<{ metadata: { name: string }; rules?: Array<{ apiGroups?: string[]; resources?: string[] }> }>;
    const grants = roles.filter((r) => (r.rules ?? []).some((rule) => (rule.apiGroups ?? []).some((g) => g === '' || g === '*') && (rule.resources ?? []).some((x) => x === 'pods/resize' || x === '*'))).map((r) => r.metadata.name);
    expect(grants).toEqual(['cluster-admin']);
  });
});

const minors = installedKubectls(['1.33']);
describe.skipIf(!minors.length).each(minors)('kubectl %s --subresource resize', (minor) => {
  const { ok, run } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));
  it('patches the pod\'s resources, reads them back through the subresource, and prints a refusal', async () => {
    await createPod('resize-demo', { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
    const patched = await ok(['patch', 'pod', 'resize-demo', '--subresource', 'resize', '--patch', '{"spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"800m"},"limits":{"cpu":"800m"}}}]}}']);
    expect(patched.trim()).toBe('pod/resize-demo patched');
    const got = JSON.parse(await ok(['get', 'pod', 'resize-demo', '--subresource', 'resize', '-o', 'json']));
    expect(got).toMatchObject({ kind: 'Pod', status: { qosClass: 'Guaranteed' } });
    expect(got.spec.containers[0].resources).toEqual({ requests: { cpu: '800m', memory: '128Mi' }, limits: { cpu: '800m', memory: '128Mi' } });
    const refused = await run(['patch', 'pod', 'resize-demo', '--subresource', 'resize', '--patch', '{"spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"400m"}}}]}}']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('The Pod "resize-demo" is invalid: spec: Invalid value: "Guaranteed": Pod QOS Class may not change as a result of resizing');
  });
});
