/**
 * User fixtures that depend on the scheduler:
 * the pod of redis-nodeselector.yaml stays Pending with the upstream message until a node is labelled
 * storage=ssd, then lands there.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/index.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { runScheduler } from './testing/run-scheduler.ts';

const FIXTURE = '/work/shared/fixtures/seeds/redis-nodeselector.yaml';

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, retryErrors: true });

type PodLike = { metadata?: { name?: string; labels?: Record<string, string> }; spec?: { nodeName?: string }; status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };

describe('fixture redis-nodeselector.yaml', () => {
  let cp: TestControlPlane;
  afterAll(async () => {
    await cp?.stop();
  });

  it('stays Pending with the upstream message until a node gets storage=ssd, then lands there', async () => {
    cp = await startTestControlPlane();
    const res = { cpu: '4', memory: '8Gi', pods: '110' };
    for (const name of ['node-a', 'node-b']) await cp.client.nodes.create({ metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { capacity: res, allocatable: res } } as never);
    await runScheduler(cp);

    // The Deployment journey itself is e2e's; here the scheduler gets the fixture's pod template.
    const deployment = parseYaml(readFileSync(FIXTURE, 'utf8')) as { spec: { template: { metadata: object; spec: object } } };
    const template = deployment.spec.template;
    await cp.client.pods.inNamespace('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, name: 'redis-1' }, spec: template.spec } as never);
    const pods = () => cp.client.pods.inNamespace('default').list({ labelSelector: 'name=redis' }).then((l) => l.items as PodLike[]);
    const pending = await until('PodScheduled=False', async () => (await pods()).find((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False')));
    const expected = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    const cond = pending.status!.conditions!.find((c) => c.type === 'PodScheduled')!;
    expect(cond.reason).toBe('Unschedulable');
    expect(cond.message).toBe(expected);

    await cp.client.nodes.patch('node-b', { metadata: { labels: { storage: 'ssd' } } }, { type: 'merge' });
    const bound = await until('redis pod bound', async () => (await pods()).find((p) => p.spec?.nodeName)?.spec?.nodeName);
    expect(bound).toBe('node-b');
  }, 40_000);
});
