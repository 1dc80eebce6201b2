/**
 * PodTopologySpread against a real API server and scheduler: 2 zones × 2 nodes, 4 pods with a
 * zone `DoNotSchedule` maxSkew 1 constraint end up 2 per zone, although resource scoring alone
 * would put them all in the zone with the bigger nodes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, waitFor, type TestControlPlane } from '../../../pkg/testing/index.ts';
import { runScheduler } from '../../testing/run-scheduler.ts';

const ZONE = 'topology.kubernetes.io/zone';
type PodLike = { metadata?: { name?: string }; spec?: { nodeName?: string } };

describe('PodTopologySpread (integration)', () => {
  let cp: TestControlPlane;
  afterAll(async () => {
    await cp?.stop();
  });

  it('spreads 4 pods with a zone maxSkew 1 constraint 2 per zone', async () => {
    cp = await startTestControlPlane();
    // zone-a's nodes are much bigger, so resource scoring alone would put every pod there.
    const big = { cpu: '64', memory: '256Gi', pods: '110' };
    const small = { cpu: '2', memory: '4Gi', pods: '110' };
    const zoneOf: Record<string, string> = { 'node-a1': 'zone-a', 'node-a2': 'zone-a', 'node-b1': 'zone-b', 'node-b2': 'zone-b' };
    for (const [name, zone] of Object.entries(zoneOf)) {
      const res = zone === 'zone-a' ? big : small;
      await cp.client.nodes.create({ metadata: { name, labels: { 'kubernetes.io/hostname': name, [ZONE]: zone } }, status: { capacity: res, allocatable: res } } as never);
    }
    await runScheduler(cp);

    const pods = cp.client.pods.inNamespace('default');
    for (let i = 0; i < 4; i++) {
      await pods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `web-${i}`, labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'c', image: 'nginx' }],
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
        },
      } as never);
    }
    const bound = await waitFor(
      'all 4 pods bound',
      async () => {
        const items = (await pods.list({ labelSelector: 'app=web' })).items as PodLike[];
        return items.length === 4 && items.every((p) => p.spec?.nodeName) ? items : undefined;
      },
      { timeoutMs: 20_000, retryErrors: true },
    );
    const perZone: Record<string, number> = {};
    for (const p of bound) perZone[zoneOf[p.spec!.nodeName!]!] = (perZone[zoneOf[p.spec!.nodeName!]!] ?? 0) + 1;
    expect(perZone).toEqual({ 'zone-a': 2, 'zone-b': 2 });
  }, 40_000);
});
