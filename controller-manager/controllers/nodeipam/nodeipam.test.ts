import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Manager } from '../../../pkg/runtime/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { DEFAULT_SETTINGS } from '../types.ts';
import { nextFreeSubnet } from './allocator.ts';
import { nodeIpamController } from './index.ts';

describe('nextFreeSubnet', () => {
  it.each([
    ['10.244.0.0/16', 24, [], '10.244.0.0/24'],
    ['10.244.0.0/16', 24, ['10.244.0.0/24', '10.244.1.0/24'], '10.244.2.0/24'],
    ['10.244.0.0/16', 24, ['10.244.1.0/24'], '10.244.0.0/24'],
    ['10.244.0.0/23', 24, ['10.244.0.0/24', '10.244.1.0/24'], undefined],
    ['10.244.0.0/16', 8, [], undefined],
  ])('%s /%d with %j used → %s', (cluster, mask, used, want) => expect(nextFreeSubnet(cluster, mask, new Set(used))).toBe(want));
});

describe('node IPAM against the API server', () => {
  let cp: TestControlPlane;
  const stop = new AbortController();
  let running: Promise<void>;
  beforeAll(async () => {
    cp = await startTestControlPlane();
    const manager = new Manager({ client: cp.client, logger: pino({ level: 'silent' }) });
    nodeIpamController.register({ manager, settings: { ...DEFAULT_SETTINGS, allocateNodeCidrs: true, clusterCidr: '10.244.0.0/16' } });
    running = manager.start(stop.signal);
  });
  afterAll(async () => {
    stop.abort();
    await running;
    await cp?.stop();
  });

  it('gives each new node its own /24, never the same one twice', async () => {
    await Promise.all(['n1', 'n2', 'n3'].map((name) => cp.client.nodes.create({ metadata: { name } })));
    const deadline = Date.now() + 10_000;
    let cidrs: string[] = [];
    while (Date.now() < deadline) {
      cidrs = (await cp.client.nodes.list()).items.map((n) => n.spec?.podCIDR ?? '').filter(Boolean);
      if (cidrs.length === 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(cidrs.sort()).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    expect((await cp.client.nodes.get('n1')).spec?.podCIDRs).toEqual([(await cp.client.nodes.get('n1')).spec?.podCIDR]);
  });
});
