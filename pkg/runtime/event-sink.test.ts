/**
 * EventSink against the in-process API server: repeats aggregate into one Event even when they
 * are recorded faster than the first one is written (client-go's broadcaster writes them in turn).
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.ts';
import { realClock } from '../workqueue/index.ts';
import { EventSink } from './event-recorder.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(async () => {
  await cp?.stop();
});

describe('EventSink', () => {
  it('aggregates a burst of identical events into one with its count, and keeps distinct messages apart', async () => {
    const sink = new EventSink({ client: cp.client, clock: realClock, log: pino({ level: 'silent' }) });
    const recorder = sink.recorder('test-controller');
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 'u-1' } };
    for (let i = 0; i < 3; i++) recorder.event(svc, 'Warning', 'TopologyAwareHintsDisabled', 'Insufficient number of endpoints, addressType: IPv4');
    recorder.event(svc, 'Normal', 'TopologyAwareHintsEnabled', 'Topology Aware Hints has been enabled, addressType: IPv4');
    await recorder.flush();
    const events = (await cp.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.uid === 'u-1');
    expect(events.map((e) => [e.reason, e.count, e.source?.component]).sort()).toEqual([
      ['TopologyAwareHintsDisabled', 3, 'test-controller'],
      ['TopologyAwareHintsEnabled', 1, 'test-controller'],
    ]);
  });
});
