import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';
import { realClock } from '../../pkg/workqueue/index.ts';
import { BUILTIN_COORDINATES } from '../../pkg/client/index.ts';
import type { CSINode } from '../../pkg/api/storage/v1/csinode.ts';
import { FakeRuntime } from '../runtime/fake-runtime.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import { checkRuntime, NodeAgent } from './node-agent.ts';
import type { HostFacts } from './node-status.ts';

const facts: HostFacts = { cpus: 2, memoryBytes: 4 * 1024 ** 3, ephemeralStorageBytes: 20 * 1024 ** 3, maxPods: 110, hostname: 'n1', internalIP: '10.0.0.1', machineID: 'm', systemUUID: 'u', bootID: 'b', kernelVersion: '6.1', osImage: 'Debian GNU/Linux 12 (bookworm)', architecture: 'amd64' };

/** A runtime whose calls never answer (a hung containerd). */
function hungRuntime(): ContainerRuntime {
  const base = new FakeRuntime(realClock);
  return Object.assign(Object.create(base), { version: () => new Promise<string>(() => {}) }) as ContainerRuntime;
}

describe('runtime health', () => {
  it('a hung runtime is reported down within the deadline; a network problem names the condition', async () => {
    expect(await checkRuntime(hungRuntime(), 50)).toEqual({ containerRuntimeVersion: '', notReadyReason: 'container runtime is down: runtime did not answer within 50 ms' });
    const noNetwork = Object.assign(Object.create(new FakeRuntime(realClock)), { health: async () => 'NetworkReady=false reason:NetworkPluginNotReady message:cni plugin not initialized' }) as ContainerRuntime;
    expect((await checkRuntime(noNetwork, 1000)).notReadyReason).toBe('container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:cni plugin not initialized');
  });
});

describe('NodeAgent against the API server', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp?.stop());

  it('turns the node NotReady with the reason when the runtime hangs, keeping transition times otherwise', async () => {
    const agent = new NodeAgent({ client: cp.client, runtime: new FakeRuntime(realClock), clock: realClock, log: pino({ level: 'silent' }), nodeName: 'n1', facts, healthTimeoutMs: 100 });
    await agent.register();
    await agent.postStatus();
    const first = (await cp.client.nodes.get('n1')).status?.conditions ?? [];
    expect(first.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    const memoryTransition = first.find((c) => c.type === 'MemoryPressure')?.lastTransitionTime;
    expect(memoryTransition).toBeTruthy();
    await new Promise((r) => setTimeout(r, 1100)); // the next post's timestamps differ
    const hung = new NodeAgent({ client: cp.client, runtime: hungRuntime(), clock: realClock, log: pino({ level: 'silent' }), nodeName: 'n1', facts, healthTimeoutMs: 100 });
    await hung.postStatus();
    const node = await cp.client.nodes.get('n1');
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down: runtime did not answer within 100 ms' });
    const memory = node.status?.conditions?.find((c) => c.type === 'MemoryPressure');
    expect(memory?.lastTransitionTime).toBe(memoryTransition);
    expect(memory?.lastHeartbeatTime).not.toBe(memoryTransition);
    await agent.renewLease();
    expect((await cp.client.leases.inNamespace('kube-node-lease').get('n1')).metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: 'n1' });
  });

  it('creates its CSINode on registration, owned by its Node with no drivers, and keeps an existing one', async () => {
    const agent = new NodeAgent({ client: cp.client, runtime: new FakeRuntime(realClock), clock: realClock, log: pino({ level: 'silent' }), nodeName: 'n-csi', facts });
    await agent.register();
    const node = await cp.client.nodes.get('n-csi');
    const csiNodes = cp.client.resource<CSINode>(BUILTIN_COORDINATES.csiNodes);
    const created = await csiNodes.get('n-csi');
    expect(created.spec).toEqual({ drivers: [] });
    expect(created.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'n-csi', uid: node.metadata.uid }]);
    expect(created.metadata.annotations?.['storage.alpha.kubernetes.io/migrated-plugins']).toBe('kubernetes.io/aws-ebs,kubernetes.io/azure-disk,kubernetes.io/azure-file,kubernetes.io/cinder,kubernetes.io/gce-pd,kubernetes.io/portworx-volume,kubernetes.io/vsphere-volume');
    // node-driver-registrar adds a driver; a kubelet restart registers again and keeps it.
    await csiNodes.update({ ...created, spec: { drivers: [{ name: 'nfs.csi.k8s.io', nodeID: 'n-csi' }] } });
    await agent.register();
    expect((await csiNodes.get('n-csi')).spec?.drivers?.map((d) => d.name)).toEqual(['nfs.csi.k8s.io']);
  });

  it('heartbeats through its own client while every request on the shared one is stuck', async () => {
    // Every node and lease call waits forever, as behind a queue of pod writes that never drains.
    const hang = () => new Promise<never>(() => undefined);
    const stuckResource: object = new Proxy({}, { get: (_target, prop) => (prop === 'inNamespace' ? () => stuckResource : hang) });
    const stuck = new Proxy(cp.client, { get: (target, prop, receiver) => (prop === 'nodes' || prop === 'leases' ? stuckResource : Reflect.get(target, prop, receiver)) });
    await cp.client.nodes.create({ metadata: { name: 'n-hb' } } as never);
    const agent = new NodeAgent({ client: stuck, heartbeatClient: cp.client, runtime: new FakeRuntime(realClock), clock: realClock, log: pino({ level: 'silent' }), nodeName: 'n-hb', facts });
    await agent.renewLease();
    await agent.postStatus();
    expect((await cp.client.leases.inNamespace('kube-node-lease').get('n-hb')).spec?.holderIdentity).toBe('n-hb');
    expect((await cp.client.nodes.get('n-hb')).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  }, 10_000);

  it('reads its Node from the API server cache (resourceVersion 0) for each status post, as upstream kubelets do', async () => {
    const gets: Array<string | undefined> = [];
    const nodes = cp.client.nodes;
    const spyNodes = new Proxy(nodes, {
      get: (target, prop, receiver) =>
        prop === 'get' ? (name: string, opts?: { resourceVersion?: string }) => (gets.push(opts?.resourceVersion), nodes.get(name, opts)) : Reflect.get(target, prop, receiver),
    });
    const client = new Proxy(cp.client, { get: (target, prop, receiver) => (prop === 'nodes' ? spyNodes : Reflect.get(target, prop, receiver)) });
    const agent = new NodeAgent({ client, runtime: new FakeRuntime(realClock), clock: realClock, log: pino({ level: 'silent' }), nodeName: 'n2', facts, healthTimeoutMs: 100 });
    await agent.register();
    await agent.postStatus();
    await agent.postStatus();
    expect(gets.filter((rv) => rv === '0')).toHaveLength(2);
    expect((await cp.client.nodes.get('n2')).status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
  });
});
