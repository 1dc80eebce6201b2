/**
 * `pods/resize` through the real API server with ResourceQuota and LimitRanger admission and the
 * resourcequota controller (in-process control plane, no kubelet: a test writes the container
 * statuses a kubelet would): a resize within the quota is charged its growth at once; one past it
 * is a 403 `exceeded quota: …` that changes neither the pod nor the quota; a pending shrink keeps
 * the charge (the controller's recount takes the larger of spec and what runs) until the
 * "kubelet" reports it applied; a resize breaking a LimitRange is a 403 with LimitRanger's text;
 * and kubectl 1.33 `patch --subresource resize` prints both refusals as upstream's kubectl does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, kubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';

let cp: TestControlPlane;
const dir = mkdtempSync(join(tmpdir(), 'k8ts-resize-admission-'));
const QUOTA_NS = 'resize-quota';
const LIMITS_NS = 'resize-limits';

async function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ code: number; body: Record<string, any> }> {
  const res = await fetch(`${cp.url}${path}`, { method, headers: { 'content-type': contentType, accept: 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { code: res.status, body: (await res.json()) as Record<string, any> };
}

const podsPath = (ns: string) => `/api/v1/namespaces/${ns}/pods`;
const quotaPath = `/api/v1/namespaces/${QUOTA_NS}/resourcequotas/compute`;
type Resources = { requests: Record<string, string>; limits: Record<string, string> };
const cpu = (request: string, limit: string): Resources => ({ requests: { cpu: request, memory: '128Mi' }, limits: { cpu: limit, memory: '256Mi' } });

async function createPod(ns: string, name: string, resources: Resources): Promise<void> {
  const res = await send('POST', podsPath(ns), { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'busybox', resources }] } });
  expect(res.code, JSON.stringify(res.body)).toBe(201);
}

const resize = (ns: string, name: string, resources: Partial<Resources>) =>
  send('PATCH', `${podsPath(ns)}/${name}/resize`, { spec: { containers: [{ name: 'app', resources }] } }, 'application/strategic-merge-patch+json');

/** What a kubelet reports for `app`: admitted (`allocatedResources`) and running with `running`. */
async function reportRunning(ns: string, name: string, running: Resources): Promise<void> {
  const status = { containerStatuses: [{ name: 'app', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: { running: {} }, allocatedResources: running.requests, resources: running }] };
  const res = await send('PATCH', `${podsPath(ns)}/${name}/status`, { status }, 'application/merge-patch+json');
  expect(res.code, JSON.stringify(res.body)).toBe(200);
}

const usedNow = async () => (await send('GET', quotaPath)).body.status?.used as Record<string, string> | undefined;
const usedCpu = (requests: string, limits: string) => waitFor(`quota used requests.cpu=${requests}, limits.cpu=${limits}`, async () => {
  const used = await usedNow();
  return used?.['requests.cpu'] === requests && used['limits.cpu'] === limits ? used : undefined;
});

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['resourcequota'] });
  for (const name of [QUOTA_NS, LIMITS_NS]) expect((await send('POST', '/api/v1/namespaces', { metadata: { name } })).code).toBe(201);
  const hard = { 'requests.cpu': '1', 'limits.cpu': '2', 'requests.memory': '1Gi', 'limits.memory': '1Gi' };
  expect((await send('POST', `/api/v1/namespaces/${QUOTA_NS}/resourcequotas`, { metadata: { name: 'compute' }, spec: { hard } })).code).toBe(201);
  await usedCpu('0', '0');
  const range = { metadata: { name: 'cpu-min-max' }, spec: { limits: [{ type: 'Container', max: { cpu: '800m' }, min: { cpu: '200m' } }] } };
  expect((await send('POST', `/api/v1/namespaces/${LIMITS_NS}/limitranges`, range)).code).toBe(201);
}, 60_000);
afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('pods/resize and ResourceQuota over HTTP', () => {
  it('charges a resize within the quota its growth at once', async () => {
    await createPod(QUOTA_NS, 'web', cpu('500m', '1'));
    await usedCpu('500m', '1');
    const res = await resize(QUOTA_NS, 'web', cpu('800m', '1500m'));
    expect(res.code, JSON.stringify(res.body)).toBe(200);
    expect(res.body.spec.containers[0].resources).toEqual(cpu('800m', '1500m'));
    expect(await usedNow()).toMatchObject({ 'requests.cpu': '800m', 'limits.cpu': '1500m', 'requests.memory': '128Mi', 'limits.memory': '256Mi' });
  });

  it('refuses a resize past the quota with a create\'s 403 and changes nothing', async () => {
    const before = (await send('GET', `${podsPath(QUOTA_NS)}/web`)).body.metadata.resourceVersion;
    const res = await resize(QUOTA_NS, 'web', { requests: { cpu: '1200m' } });
    expect(res.code).toBe(403);
    expect(res.body).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, details: { name: 'web', kind: 'pods' },
      message: 'pods "web" is forbidden: exceeded quota: compute, requested: requests.cpu=400m, used: requests.cpu=800m, limited: requests.cpu=1',
    });
    const pod = (await send('GET', `${podsPath(QUOTA_NS)}/web`)).body;
    expect(pod.metadata.resourceVersion).toBe(before);
    expect(pod.spec.containers[0].resources).toEqual(cpu('800m', '1500m'));
    expect(await usedNow()).toMatchObject({ 'requests.cpu': '800m', 'limits.cpu': '1500m' });
  });

  it('keeps a pending shrink charged at what runs until the kubelet reports it applied', async () => {
    await reportRunning(QUOTA_NS, 'web', cpu('800m', '1500m'));
    expect((await resize(QUOTA_NS, 'web', cpu('200m', '500m'))).code).toBe(200);
    // A spec.hard change makes the controller recount now: the shrink is not applied yet, so what runs counts.
    const quota = (await send('GET', quotaPath)).body;
    quota.spec.hard['requests.cpu'] = '1100m';
    expect((await send('PUT', quotaPath, quota)).code).toBe(200);
    await waitFor('status.hard follows spec.hard', async () => (await send('GET', quotaPath)).body.status?.hard?.['requests.cpu'] === '1100m');
    expect(await usedNow()).toMatchObject({ 'requests.cpu': '800m', 'limits.cpu': '1500m' });
    // 200m + 500m of a second pod would fit the spec, not what the first pod still runs with.
    const second = await send('POST', podsPath(QUOTA_NS), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'second' }, spec: { containers: [{ name: 'app', image: 'busybox', resources: cpu('500m', '500m') }] } });
    expect(second).toMatchObject({ code: 403, body: { message: 'pods "second" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=800m, limited: requests.cpu=1100m' } });
    await reportRunning(QUOTA_NS, 'web', cpu('200m', '500m'));
    await usedCpu('200m', '500m');
  });
});

describe('pods/resize and LimitRanger over HTTP', () => {
  it('refuses a resize over the Container max with LimitRanger\'s 403 and changes nothing', async () => {
    await createPod(LIMITS_NS, 'bounded', cpu('500m', '800m'));
    const res = await resize(LIMITS_NS, 'bounded', { limits: { cpu: '1500m' } });
    expect(res.code).toBe(403);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403, details: { name: 'bounded', kind: 'pods' }, message: 'pods "bounded" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m' });
    expect((await send('GET', `${podsPath(LIMITS_NS)}/bounded`)).body.spec.containers[0].resources).toEqual(cpu('500m', '800m'));
    const within = await resize(LIMITS_NS, 'bounded', cpu('300m', '700m'));
    expect(within.code, JSON.stringify(within.body)).toBe(200);
    expect(within.body.metadata.annotations?.['kubernetes.io/limit-ranger']).toBeUndefined();
  });
});

const minors = installedKubectls(['1.33']);
describe.skipIf(!minors.length).each(minors)('kubectl %s patch --subresource resize under quota and limits', (minor) => {
  const { ok, run } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));
  const patch = (ns: string, name: string, resources: Partial<Resources>) =>
    ['-n', ns, 'patch', 'pod', name, '--subresource', 'resize', '--patch', JSON.stringify({ spec: { containers: [{ name: 'app', resources }] } })];

  it('resizes within the quota and prints the quota\'s refusal past it', async () => {
    await createPod(QUOTA_NS, 'kubectl-demo', cpu('200m', '200m'));
    await usedCpu('400m', '700m');
    expect((await ok(patch(QUOTA_NS, 'kubectl-demo', { requests: { cpu: '300m' }, limits: { cpu: '300m' } }))).trim()).toBe('pod/kubectl-demo patched');
    expect(await usedNow()).toMatchObject({ 'requests.cpu': '500m', 'limits.cpu': '800m' });
    const refused = await run(patch(QUOTA_NS, 'kubectl-demo', { requests: { cpu: '1' }, limits: { cpu: '1' } }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('Error from server (Forbidden): pods "kubectl-demo" is forbidden: exceeded quota: compute, requested: requests.cpu=700m, used: requests.cpu=500m, limited: requests.cpu=1100m\n');
    expect(await ok(['-n', QUOTA_NS, 'get', 'pod', 'kubectl-demo', '-o', 'jsonpath={.spec.containers[0].resources.requests.cpu}'])).toBe('300m');
  });

  it('prints LimitRanger\'s refusal', async () => {
    const refused = await run(patch(LIMITS_NS, 'bounded', { limits: { cpu: '2' } }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('Error from server (Forbidden): pods "bounded" is forbidden: maximum cpu usage per Container is 800m, but limit is 2\n');
  });
});
