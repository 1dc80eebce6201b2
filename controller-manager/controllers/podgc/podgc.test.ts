/**
 * The pod GC controller against the in-process API server: a pod stuck Terminating on an
 * unreachable node stays until the operator taints the node out-of-service, then it is removed;
 * a pod bound to a node that no longer exists is failed and removed after the quarantine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { Manager } from '../../../pkg/runtime/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/index.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { DEFAULT_SETTINGS } from '../types.ts';
import { OUT_OF_SERVICE_TAINT } from './decide.ts';
import { podGcController } from './index.ts';

let cp: TestControlPlane;
const stop = new AbortController();
let running: Promise<void>;

beforeAll(async () => {
  cp = await startTestControlPlane();
  const manager = new Manager({ client: cp.client });
  podGcController.register({ manager, settings: { ...DEFAULT_SETTINGS, podGcPeriodMs: 100, podGcQuarantineMs: 500 } });
  running = manager.start(stop.signal).catch(() => undefined);
});
afterAll(async () => {
  stop.abort();
  await running;
  await cp?.stop();
});

const pods = () => cp.client.pods.inNamespace('default');
const exists = (name: string) => pods().get(name).then(() => true, () => false);

describe('pod GC', () => {
  it('removes a Terminating pod of an unreachable node only once the node is tainted out-of-service', async () => {
    await cp.client.nodes.create({ metadata: { name: 'dead' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } } as Node);
    await pods().create({ metadata: { name: 'db-0' }, spec: { nodeName: 'dead', containers: [{ name: 'c', image: 'postgres' }] } } as Pod);
    await pods().delete('db-0');
    expect((await pods().get('db-0')).metadata.deletionTimestamp).toBeDefined();
    await new Promise((r) => setTimeout(r, 500));
    expect(await exists('db-0')).toBe(true);

    await cp.client.nodes.patch('dead', { spec: { taints: [{ key: OUT_OF_SERVICE_TAINT, value: 'nodeshutdown', effect: 'NoExecute' }] } }, { type: 'merge' });
    await waitFor('db-0 removed', async () => !(await exists('db-0')));
  });

  it('fails and removes a pod whose node no longer exists, after the quarantine', async () => {
    await pods().create({ metadata: { name: 'lost' }, spec: { nodeName: 'vanished', containers: [{ name: 'c', image: 'nginx' }] } } as Pod);
    await new Promise((r) => setTimeout(r, 200));
    expect(await exists('lost')).toBe(true);
    await waitFor('lost removed', async () => !(await exists('lost')));
  });
});
