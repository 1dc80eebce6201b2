/**
 * RuntimeClass on a real node: the kubelet against the in-process API server and a real containerd
 * (in a network namespace this test creates), whose config defines only the `runc` handler. A pod
 * of a class with `handler: runc` runs, and its sandbox was created with that runtime handler; a
 * pod of a class whose handler containerd does not know stays Pending in ContainerCreating with
 * containerd's error in a `FailedCreatePodSandBox` event, as upstream kubelet reports it; a pod
 * whose class was deleted after admission fails the kubelet's own lookup the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES } from '../pkg/client/index.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { LABEL_POD_UID } from './runtime/types.ts';
import type { ContainerdInNetns } from './testing/containerd-netns.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-rc';
const POD_CIDR = '10.244.53.0/24';
let fixture: NetnsNode | undefined;
let node: ContainerdInNetns | undefined;
let cp: TestControlPlane | undefined;

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 200, retryErrors: true });
const pods = () => cp!.client.pods.inNamespace('default');
const classes = () => cp!.client.resource<{ metadata: { name: string }; handler: string }>(BUILTIN_COORDINATES.runtimeClasses);

function pod(name: string, runtimeClassName: string, nodeName = NODE): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { ...(nodeName ? { nodeName } : {}), runtimeClassName, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
  } as Pod;
}

async function eventsOf(name: string): Promise<string[]> {
  return (await cp!.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.name === name).map((e) => `${e.type} ${e.reason}: ${e.message}`);
}

beforeAll(async () => {
  fixture = await startNetnsNode({ name: 'k8ts-rc', nodeName: NODE, podCidr: POD_CIDR });
  ({ node, cp } = fixture);
}, 120_000);

afterAll(() => fixture?.stop(), 60_000);

describe('RuntimeClass with containerd', () => {
  it('runs a pod of a class with handler runc, through a sandbox created with that handler', async () => {
    await classes().create({ metadata: { name: 'runc' }, handler: 'runc' });
    const created = await pods().create(pod('on-runc', 'runc'));
    const status = await until('on-runc running', async () => (await pods().get('on-runc')).status?.containerStatuses?.[0]?.state?.running && (await pods().get('on-runc')).status);
    expect(status.phase).toBe('Running');
    const sandboxes = await node!.cri.listPodSandbox({ labelSelector: { [LABEL_POD_UID]: created.metadata.uid as string } });
    expect(sandboxes.map((s) => s.runtimeHandler)).toEqual(['runc']);
  });

  it("keeps a pod of a handler containerd lacks in ContainerCreating, with containerd's error in FailedCreatePodSandBox", async () => {
    await classes().create({ metadata: { name: 'kata' }, handler: 'kata' });
    await pods().create(pod('on-kata', 'kata'));
    const expected = 'Warning FailedCreatePodSandBox: Failed to create pod sandbox: rpc error: code = Unknown desc = failed to get sandbox runtime: no runtime for "kata" is configured';
    await until('FailedCreatePodSandBox event', async () => (await eventsOf('on-kata')).includes(expected));
    const status = await until('on-kata status written', async () => (await pods().get('on-kata')).status?.containerStatuses && (await pods().get('on-kata')).status);
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect((await node!.cri.listPodSandbox()).filter((s) => s.metadata.name === 'on-kata')).toEqual([]);
  });

  it('reports a class deleted after admission as the kubelet lookup fails upstream', async () => {
    await classes().create({ metadata: { name: 'fleeting' }, handler: 'runc' });
    await pods().create(pod('orphaned', 'fleeting', ''));
    await classes().delete('fleeting');
    const res = await fetch(`${cp!.url}/api/v1/namespaces/default/pods/orphaned/binding`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'orphaned' }, target: { apiVersion: 'v1', kind: 'Node', name: NODE } }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    await until('lookup failure event', async () => (await eventsOf('orphaned')).includes('Warning FailedCreatePodSandBox: Failed to create pod sandbox: runtimeclass.node.k8s.io "fleeting" not found'));
    expect((await pods().get('orphaned')).status?.phase).toBe('Pending');
  });
});
