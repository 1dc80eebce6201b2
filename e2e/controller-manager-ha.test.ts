/**
 * Two `k8ts controller-manager --leader-elect` processes against one API server (etcd +
 * `k8ts apiserver` processes): only one acts at a time, and when the leader is SIGKILLed in the
 * middle of a rollout the other takes over and finishes it without extra pods.
 * No kubelet runs; a fake one marks pods Ready so the rollout can progress.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../pkg/api/apps/v1/deployment.ts';
import { createClient, type Client } from '../pkg/client/index.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { startE2EControlPlane, type E2EControlPlane } from './harness/control-plane.ts';
import { startFakeKubelet, type FakeKubelet } from './harness/fake-kubelet.ts';
import { freePort, startComponent, waitForHttpOk, type ComponentProcess } from './harness/processes.ts';

const ns = 'ha';
const REPLICAS = 20;
const MAX_SURGE = 5; // 25 % of 20

interface Instance {
  proc: ComponentProcess;
  port: number;
}

let cp: E2EControlPlane;
let client: Client;
let fake: FakeKubelet;
const instances: Instance[] = [];

async function startControllerManager(name: string): Promise<Instance> {
  const port = await freePort();
  const proc = startComponent({
    name,
    args: ['controller-manager', '--kubeconfig', cp.kubeconfig, '--secure-port', String(port), '--controllers', 'replicaset,deployment', '--leader-elect-lease-duration', '2s', '--leader-elect-renew-deadline', '1500ms', '--leader-elect-retry-period', '250ms'],
    logDir: cp.dir,
  });
  await waitForHttpOk(`http://127.0.0.1:${port}/healthz`, 30_000, proc);
  return { proc, port };
}

/** Whether the instance says it holds the lease (upstream's leader_election_master_status gauge). */
async function leads(i: Instance): Promise<boolean> {
  if (i.proc.child.exitCode !== null || i.proc.child.signalCode !== null) return false;
  const text = await fetch(`http://127.0.0.1:${i.port}/metrics`).then((r) => r.text(), () => '');
  return /leader_election_master_status\{name="kube-controller-manager"\} 1/.test(text);
}

beforeAll(async () => {
  cp = await startE2EControlPlane({ storage: 'etcd' });
  client = createClient({ kubeconfig: cp.kubeconfig, qps: Infinity });
  await client.namespaces.create({ metadata: { name: ns } });
  fake = startFakeKubelet({ kubeconfig: cp.kubeconfig, namespace: ns });
  instances.push(await startControllerManager('cm-a'), await startControllerManager('cm-b'));
}, 90_000);

afterAll(async () => {
  await fake?.stop();
  for (const i of instances) await i.proc.stop();
  await client?.close();
  await cp?.stop();
});

describe('two controller-managers with leader election', () => {
  it('never act at once; the survivor finishes a rollout whose leader was killed, with no extra pods', async () => {
    // Sample leadership and live pods all along.
    let bothLeading = 0;
    let maxLive = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [a, b] = await Promise.all(instances.map(leads));
        if (a && b) bothLeading++;
        const pods = await client.pods.inNamespace(ns).list().catch(() => undefined);
        if (pods) maxLive = Math.max(maxLive, pods.items.filter((p) => !p.metadata.deletionTimestamp).length);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const leader = await waitFor('a leader', async () => {
      const states = await Promise.all(instances.map(leads));
      return states.filter(Boolean).length === 1 ? instances[states.indexOf(true)] : undefined;
    });
    const follower = instances.find((i) => i !== leader)!;

    const deployments = client.deployments.inNamespace(ns);
    const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });
    await deployments.create({ metadata: { name: 'web' }, spec: { replicas: REPLICAS, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1') } } as Deployment);
    const complete = (image: string) => async () => {
      const d = await deployments.get('web');
      return d.status?.updatedReplicas === REPLICAS && d.status.availableReplicas === REPLICAS && d.status.replicas === REPLICAS && d.spec?.template?.spec?.containers?.[0]?.image === image && d.status.observedGeneration === d.metadata.generation;
    };
    await waitFor('first rollout complete', complete('nginx:1'), { timeoutMs: 30_000 });

    await deployments.patch('web', { spec: { template: template('nginx:2') } }, { type: 'strategic' });
    await waitFor('the new ReplicaSet started', async () => (await client.replicaSets.inNamespace(ns).list()).items.some((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === 'nginx:2' && (rs.spec?.replicas ?? 0) > 0));
    leader.proc.child.kill('SIGKILL');

    await waitFor('the follower takes over', () => leads(follower), { timeoutMs: 15_000 });
    await waitFor('rollout finished by the follower', complete('nginx:2'), { timeoutMs: 30_000 });
    sampling = false;
    await sampler;

    const live = (await client.pods.inNamespace(ns).list()).items.filter((p) => !p.metadata.deletionTimestamp);
    expect(live).toHaveLength(REPLICAS);
    expect(live.every((p) => p.spec?.containers?.[0]?.image === 'nginx:2')).toBe(true);
    expect(maxLive).toBeLessThanOrEqual(REPLICAS + MAX_SURGE);
    expect(bothLeading).toBe(0);
    expect((await client.replicaSets.inNamespace(ns).list()).items).toHaveLength(2);
  });
});
