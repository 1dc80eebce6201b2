/**
 * Sidecar containers with a real containerd (in a network namespace this test creates), the
 * in-process control plane and the kubelet: the kubernetes.io "Sidecar Containers" log-shipper
 * example runs beside its app (READY 2/2 in kubectl), a Job-style pod completes once its app
 * exits (its sidecar is stopped, the pod Succeeded), and a sidecar that keeps exiting is restarted
 * while the pod stays Running and initialized.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, kubectlRunner, kubectlTable } from '../e2e/harness/kubectl.ts';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-sidecars';
const dir = mkdtempSync(join(tmpdir(), 'k8ts-sidecars-'));
const [minor] = installedKubectls(['1.33', '1.32', '1.31', '1.30', '1.29']);
let fixture: NetnsNode | undefined;
let cp: TestControlPlane | undefined;

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 200, retryErrors: true });
const pods = () => cp!.client.pods.inNamespace('default');
const busybox = (name: string, script: string, extra: Record<string, unknown> = {}) => ({ name, image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra });

function pod(name: string, spec: Record<string, unknown>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 1, ...spec } } as Pod;
}

beforeAll(async () => {
  fixture = await startNetnsNode({ name: 'k8ts-sidecar', nodeName: NODE, podCidr: '10.244.39.0/24' });
  ({ cp } = fixture);
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('sidecar containers with containerd', () => {
  it('runs the log-shipper sidecar beside its app: started and ready, the pod Ready, the shipper reading the app log', async () => {
    await pods().create(pod('shipper', {
      initContainers: [busybox('logshipper', 'touch /opt/logs.txt; tail -F /opt/logs.txt', { restartPolicy: 'Always', volumeMounts: [{ name: 'data', mountPath: '/opt' }] })],
      containers: [busybox('myapp', 'while true; do echo "logging" >> /opt/logs.txt; sleep 1; done', { volumeMounts: [{ name: 'data', mountPath: '/opt' }] })],
      volumes: [{ name: 'data', emptyDir: {} }],
    }));
    const ready = await until('shipper Ready', async () => {
      const p = await pods().get('shipper');
      return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && p;
    });
    expect(ready.status?.phase).toBe('Running');
    expect(ready.status?.initContainerStatuses?.[0]).toMatchObject({ name: 'logshipper', started: true, ready: true, state: { running: {} } });
    expect(ready.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    const log = await until('the shipper tails the app log', async () => {
      const text = await (await fetch(`${cp!.url}/api/v1/namespaces/default/pods/shipper/log?container=logshipper`)).text();
      return text.includes('logging') && text;
    });
    expect(log.split('\n')[0]).toBe('logging');
    if (minor) {
      const { ok } = kubectlRunner(minor, () => ({ kubeconfig: cp!.kubeconfigPath, home: dir }));
      const row = kubectlTable(await ok(['get', 'pod', 'shipper'])).row('shipper');
      expect(row?.slice(0, 3)).toEqual(['shipper', '2/2', 'Running']);
    }
  });

  it('completes a Job-style pod when its app exits: the sidecar is stopped and the pod Succeeded', async () => {
    await pods().create(pod('batch', {
      restartPolicy: 'Never',
      initContainers: [busybox('proxy', 'trap "exit 0" TERM; while true; do sleep 1; done', { restartPolicy: 'Always' })],
      containers: [busybox('work', 'sleep 2; echo done')],
    }));
    const done = await until('batch Succeeded', async () => {
      const p = await pods().get('batch');
      return p.status?.phase === 'Succeeded' && p;
    });
    expect(done.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(done.status?.initContainerStatuses?.[0]?.state?.terminated).toBeTruthy();
    const events = (await cp!.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.name === 'batch').map((e) => `${e.reason}: ${e.message}`);
    expect(events).toContain('Killing: Stopping container proxy');
  });

  it('restarts a sidecar that keeps exiting while the pod stays Running and initialized', async () => {
    await pods().create(pod('flaky', {
      initContainers: [busybox('flaky', 'sleep 1; exit 3', { restartPolicy: 'Always' })],
      containers: [busybox('app', 'sleep 3600')],
    }));
    const restarted = await until('flaky restarted twice', async () => {
      const p = await pods().get('flaky');
      return (p.status?.initContainerStatuses?.[0]?.restartCount ?? 0) >= 2 && p;
    }, 90_000);
    expect(restarted.status?.phase).toBe('Running');
    expect(restarted.status?.containerStatuses?.[0]).toMatchObject({ name: 'app', restartCount: 0, state: { running: {} } });
    expect(restarted.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
  });
});
