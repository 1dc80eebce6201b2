/**
 * The legacy service-account token mount with a real containerd (in a network namespace this
 * test creates) and the in-process API server: a pod of the `default` account reads `token` and
 * `namespace` from /var/run/secrets/kubernetes.io/serviceaccount when a token Secret exists (the
 * ServiceAccount admission adds the projected volume; the kubelet mounts it); a pod with
 * `automountServiceAccountToken: false` has no such directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { startContainerdInNetns, type ContainerdInNetns } from './testing/containerd-netns.ts';
import { netnsKubelet } from './testing/netns-kubelet.ts';

const NODE = 'node-sa';
let node: ContainerdInNetns | undefined;
let cp: TestControlPlane | undefined;
const stop = new AbortController();
let running: Promise<void> | undefined;

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 250, retryErrors: true });

beforeAll(async () => {
  node = await startContainerdInNetns({ name: 'k8ts-satoken', podCidr: '10.244.21.0/24' });
  cp = await startTestControlPlane();
  const kubelet = netnsKubelet({ client: cp.client, node, nodeName: NODE, podCidr: '10.244.21.0/24' });
  running = kubelet.run(stop.signal);
}, 120_000);

afterAll(async () => {
  stop.abort();
  await running?.catch(() => undefined);
  await node?.stop();
  await cp?.stop();
}, 60_000);

function busybox(name: string, script: string, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }], ...extra } } as Pod;
}

/** The pod's log once it has Succeeded. */
async function finishedLog(name: string): Promise<string> {
  await until(`${name} Succeeded`, async () => (await cp!.client.pods.inNamespace('default').get(name)).status?.phase === 'Succeeded');
  return until(`${name} log`, async () => {
    const res = await fetch(`${cp!.url}/api/v1/namespaces/default/pods/${name}/log`);
    const text = await res.text();
    return res.status === 200 && text.includes('END') && text;
  });
}

describe('service-account token mount (containerd)', () => {
  it('mounts token, ca.crt and namespace from the account token Secret; an opted-out pod has no directory', async () => {
    await cp!.client.secrets.inNamespace('default').create({
      metadata: { name: 'default-token-abc', annotations: { 'kubernetes.io/service-account.name': 'default' } },
      type: 'kubernetes.io/service-account-token',
      data: { token: Buffer.from('header.payload.sig').toString('base64'), 'ca.crt': Buffer.from('-----CA-----').toString('base64') },
    });
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    await cp!.client.pods.inNamespace('default').create(busybox('with-token', `cat ${dir}/token; echo; cat ${dir}/namespace; echo; cat ${dir}/ca.crt; echo; touch ${dir}/x 2>/dev/null && echo writable || echo read-only; echo END`));
    await cp!.client.pods.inNamespace('default').create(busybox('without-token', `ls ${dir} 2>/dev/null && echo present || echo absent; echo END`, { automountServiceAccountToken: false }));
    expect((await finishedLog('with-token')).split('\n').filter(Boolean)).toEqual(['header.payload.sig', 'default', '-----CA-----', 'read-only', 'END']);
    expect((await finishedLog('without-token')).split('\n').filter(Boolean)).toEqual(['absent', 'END']);
  }, 120_000);
});
