/**
 * The Deployment controller with the ReplicaSet controller against the in-process API server;
 * a loop stands in for kubelets and marks pods Ready (except pods of image `never-ready`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;
const NS = 'deploy-test';
let readyLoop: Promise<void>;
let stopping = false;

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> =>
  waitFor(what, fn, { timeoutMs, explain: async () => JSON.stringify((await cp.client.replicaSets.inNamespace(NS).list()).items.map((r) => [r.metadata.name, r.spec?.replicas, r.status?.replicas, r.status?.availableReplicas])) });

const deployments = () => cp.client.deployments.inNamespace(NS);
const rsList = async () => (await cp.client.replicaSets.inNamespace(NS).list()).items;
const livePods = async () => (await cp.client.pods.inNamespace(NS).list()).items.filter((p) => !p.metadata.deletionTimestamp);

function deployment(name: string, replicas: number, image: string, strategy?: Deployment['spec'] extends infer S ? S extends { strategy?: infer T } ? T : never : never): Deployment {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, ...(strategy ? { strategy } : {}), template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } } } } as Deployment;
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['replicaset', 'deployment'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
  readyLoop = (async () => {
    while (!stopping) {
      for (const p of await livePods().catch(() => [] as Pod[])) {
        if (p.status?.phase === 'Running' || p.spec?.containers?.[0]?.image === 'never-ready') continue;
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        await cp.client.pods.inNamespace(NS).patch(p.metadata.name as string, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { type: 'merge', subresource: 'status' }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
});
afterAll(async () => {
  stopping = true;
  await readyLoop;
  await cp?.stop();
});

describe('Deployment controller', () => {
  it('creates one ReplicaSet <name>-<hash> with the revision annotation and reports a complete rollout', async () => {
    await deployments().create(deployment('web', 3, 'nginx:1'));
    const done = await until('complete', async () => {
      const d = await deployments().get('web');
      return d.status?.availableReplicas === 3 && d.status.updatedReplicas === 3 && d.status.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable') && d;
    });
    const rss = await rsList();
    expect(rss).toHaveLength(1);
    expect(rss[0].metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rss[0].metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(done.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(done.status?.conditions?.find((c) => c.type === 'Progressing')?.message).toBe(`ReplicaSet "${rss[0].metadata.name}" has successfully progressed.`);
  });

  it('rolls a new template out within maxSurge/maxUnavailable and back again (undo reuses the old ReplicaSet)', async () => {
    const first = (await rsList())[0].metadata.name;
    let maxPods = 0;
    const watcher = setInterval(async () => {
      maxPods = Math.max(maxPods, (await livePods()).length);
    }, 20);
    await deployments().patch('web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, { type: 'strategic' });
    await until('rolled to nginx:2', async () => {
      const rss = await rsList();
      const old = rss.find((r) => r.metadata.name === first);
      const next = rss.find((r) => r.metadata.name !== first);
      return old?.spec?.replicas === 0 && next?.status?.availableReplicas === 3 && (await livePods()).length === 3;
    });
    clearInterval(watcher);
    expect(maxPods).toBeLessThanOrEqual(4);
    const second = (await rsList()).find((r) => r.metadata.name !== first);
    expect(second?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    await deployments().patch('web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } } }, { type: 'strategic' });
    await until('back to the first', async () => {
      const rss = await rsList();
      return rss.find((r) => r.metadata.name === first)?.status?.availableReplicas === 3 && rss.find((r) => r.metadata.name !== first)?.spec?.replicas === 0;
    });
    expect((await rsList()).find((r) => r.metadata.name === first)?.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
  });

  it('Recreate scales the old ReplicaSet to zero before the new one starts', async () => {
    await deployments().create(deployment('rec', 2, 'a:1', { type: 'Recreate' }));
    await until('rec available', async () => (await deployments().get('rec')).status?.availableReplicas === 2);
    await deployments().patch('rec', { spec: { template: { spec: { containers: [{ name: 'c', image: 'a:2' }] } } } }, { type: 'strategic' });
    await until('rec rolled', async () => {
      const d = await deployments().get('rec');
      return d.status?.updatedReplicas === 2 && d.status.availableReplicas === 2 && d.status.replicas === 2;
    });
  });

  it('a paused Deployment does not roll out; Progressing is Unknown while paused and on resume', async () => {
    await deployments().patch('web', { spec: { paused: true, template: { spec: { containers: [{ name: 'c', image: 'nginx:3' }] } } } }, { type: 'strategic' });
    const progressing = async () => (await deployments().get('web')).status?.conditions?.find((c) => c.type === 'Progressing');
    await until('paused condition', async () => (await progressing())?.reason === 'DeploymentPaused');
    expect(await progressing()).toMatchObject({ status: 'Unknown', message: 'Deployment is paused' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await rsList()).filter((r) => r.metadata.labels?.app === 'web')).toHaveLength(2);

    await deployments().patch('web', { spec: { paused: false } }, { type: 'merge' });
    await until('rolled out after resume', async () => (await rsList()).filter((r) => r.metadata.labels?.app === 'web').length === 3);
    await until('progressing again', async () => (await progressing())?.status === 'True');
  });

  it('spreads a resize mid-rollout over the new and old ReplicaSets in proportion (maxSurge 3, maxUnavailable 2)', async () => {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } as const;
    await deployments().create(deployment('prop', 10, 'nginx:1', strategy as never));
    await until('prop complete', async () => (await deployments().get('prop')).status?.availableReplicas === 10);
    await deployments().patch('prop', { spec: { template: { spec: { containers: [{ name: 'c', image: 'never-ready' }] } } } }, { type: 'strategic' });
    const sizes = async () => Object.fromEntries((await rsList()).filter((r) => r.metadata.name?.startsWith('prop-')).map((r) => [r.spec?.template?.spec?.containers?.[0]?.image, r.spec?.replicas]));
    await until('rollout stuck at new 5 / old 8', async () => JSON.stringify(await sizes()) === JSON.stringify({ 'nginx:1': 8, 'never-ready': 5 }) || JSON.stringify(await sizes()) === JSON.stringify({ 'never-ready': 5, 'nginx:1': 8 }));
    await deployments().patch('prop', { spec: { replicas: 20 } }, { type: 'merge' });
    await until('proportional 20: new 9 / old 14', async () => {
      const s = await sizes();
      return s['nginx:1'] === 14 && s['never-ready'] === 9;
    });
  });
});
