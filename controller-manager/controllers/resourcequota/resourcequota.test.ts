/**
 * ResourceQuota end to end in the in-process control plane, on memory and on real etcd storage
 * (admission in the API server, the resourcequota controller in-process; no scheduler or
 * kubelet, so pods stay unscheduled and are deleted at once): the controller fills
 * `status.hard`/`status.used`, a third pod against `pods: 2` is refused with upstream's 403,
 * deleting a pod gives its share back, a pod without limits is refused under a `limits.cpu`
 * quota, a finished pod stops counting, and services, load balancers and
 * `count/deployments.apps` are charged and recounted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { ResourceQuota } from '../../../pkg/api/core/v1/resourcequota.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;

const quotas = (ns: string) => cp.client.resource<ResourceQuota>(C.resourceQuotas).inNamespace(ns);
const pods = (ns: string) => cp.client.pods.inNamespace(ns);
const pod = (name: string, resources?: Record<string, unknown>) => ({ metadata: { name }, spec: { containers: [{ name: `${name}-ctr`, image: 'nginx', resources }] } }) as Pod;

async function used(ns: string, name: string, expected: Record<string, string>): Promise<ResourceQuota> {
  return waitFor(`${ns}/${name} used ${JSON.stringify(expected)}`, async () => {
    const q = await quotas(ns).get(name);
    const sorted = (l: Record<string, unknown> | undefined) => JSON.stringify(Object.entries(l ?? {}).sort());
    return sorted(q.status?.used) === sorted(expected) ? q : undefined;
  });
}

async function refusal(p: Promise<unknown>): Promise<{ code: number; reason: string; message: string }> {
  return p.then(() => { throw new Error('created'); }, (err: { code: number; reason: string; message: string }) => err);
}

describe.each(['memory', 'etcd'] as const)('resourcequota (%s storage)', (storage) => {
  beforeAll(async () => {
    cp = await startTestControlPlane({ controllers: ['resourcequota'], storage });
    for (const name of ['quota-pods', 'quota-mem-cpu', 'quota-objects', 'quota-rc']) await cp.client.namespaces.create({ metadata: { name } });
  });
  afterAll(() => cp?.stop());

  it('refuses the third pod against pods: 2 and frees the quota when a pod is deleted', async () => {
    const ns = 'quota-pods';
    await quotas(ns).create({ metadata: { name: 'pod-demo' }, spec: { hard: { pods: '2' } } } as ResourceQuota);
    const observed = await used(ns, 'pod-demo', { pods: '0' });
    expect(observed.status?.hard).toEqual({ pods: '2' });
    await pods(ns).create(pod('one'));
    await pods(ns).create(pod('two'));
    expect((await quotas(ns).get('pod-demo')).status?.used).toEqual({ pods: '2' });
    const err = await refusal(pods(ns).create(pod('three')));
    expect(err).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "three" is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2' });
    await pods(ns).delete('one');
    await used(ns, 'pod-demo', { pods: '1' });
    await pods(ns).create(pod('three'));
    expect((await quotas(ns).get('pod-demo')).status?.used).toEqual({ pods: '2' });
  });

  it('refuses a pod without limits, charges requests and limits, and stops counting a finished pod', async () => {
    const ns = 'quota-mem-cpu';
    const hard = { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' };
    await quotas(ns).create({ metadata: { name: 'mem-cpu-demo' }, spec: { hard } } as ResourceQuota);
    await used(ns, 'mem-cpu-demo', { 'requests.cpu': '0', 'requests.memory': '0', 'limits.cpu': '0', 'limits.memory': '0' });
    const bare = await refusal(pods(ns).create(pod('bare', { requests: { memory: '100Mi', cpu: '100m' } })));
    expect(bare).toMatchObject({ code: 403, message: 'pods "bare" is forbidden: failed quota: mem-cpu-demo: must specify limits.cpu for: bare-ctr; limits.memory for: bare-ctr' });
    await pods(ns).create(pod('quota-mem-cpu-demo', { limits: { memory: '800Mi', cpu: '800m' }, requests: { memory: '600Mi', cpu: '400m' } }));
    await used(ns, 'mem-cpu-demo', { 'requests.cpu': '400m', 'requests.memory': '600Mi', 'limits.cpu': '800m', 'limits.memory': '800Mi' });
    const over = await refusal(pods(ns).create(pod('quota-mem-cpu-demo-2', { limits: { memory: '1Gi', cpu: '800m' }, requests: { memory: '700Mi', cpu: '400m' } })));
    expect(over).toMatchObject({ code: 403, message: 'pods "quota-mem-cpu-demo-2" is forbidden: exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi' });
    const running = await pods(ns).get('quota-mem-cpu-demo');
    await pods(ns).updateStatus({ ...running, status: { phase: 'Succeeded' } } as Pod);
    await used(ns, 'mem-cpu-demo', { 'requests.cpu': '0', 'requests.memory': '0', 'limits.cpu': '0', 'limits.memory': '0' });
  });

  it('counts services, load balancers and count/<resource>.<group> objects', async () => {
    const ns = 'quota-objects';
    const hard = { services: '2', 'services.loadbalancers': '0', 'count/deployments.apps': '1' };
    await quotas(ns).create({ metadata: { name: 'objects' }, spec: { hard } } as ResourceQuota);
    await used(ns, 'objects', { services: '0', 'services.loadbalancers': '0', 'count/deployments.apps': '0' });
    const services = cp.client.services.inNamespace(ns);
    const lb = await refusal(services.create({ metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } } as never));
    expect(lb).toMatchObject({ code: 403, message: 'services "lb" is forbidden: exceeded quota: objects, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0' });
    await services.create({ metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } } as never);
    const deployments = cp.client.deployments.inNamespace(ns);
    const deployment = (name: string) => ({ metadata: { name }, spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } }) as never;
    await deployments.create(deployment('one'));
    const second = await refusal(deployments.create(deployment('two')));
    expect(second).toMatchObject({ code: 403, message: 'deployments.apps "two" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1' });
    await services.delete('web');
    await used(ns, 'objects', { services: '0', 'services.loadbalancers': '0', 'count/deployments.apps': '1' });
  });

  it('counts ReplicationControllers under the legacy bare name and gives the count back on delete', async () => {
    const ns = 'quota-rc';
    await quotas(ns).create({ metadata: { name: 'rcs' }, spec: { hard: { replicationcontrollers: '1' } } } as ResourceQuota);
    await used(ns, 'rcs', { replicationcontrollers: '0' });
    const rcs = cp.client.replicationControllers.inNamespace(ns);
    const rc = (name: string) => ({ metadata: { name }, spec: { replicas: 0, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } }) as never;
    await rcs.create(rc('one'));
    const second = await refusal(rcs.create(rc('two')));
    expect(second).toMatchObject({ code: 403, message: 'replicationcontrollers "two" is forbidden: exceeded quota: rcs, requested: replicationcontrollers=1, used: replicationcontrollers=1, limited: replicationcontrollers=1' });
    await rcs.delete('one');
    await used(ns, 'rcs', { replicationcontrollers: '0' });
  });
});
