import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../pkg/testing/wait.ts';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import type { ContainerRuntime, RuntimePod } from '../runtime/types.ts';
import { DEFAULT_CONTAINER_GC_POLICY } from './container-gc.ts';
import { DEFAULT_IMAGE_GC_POLICY, type ImageGcPolicy } from './image-gc-policy.ts';
import { NodeGarbageCollection } from './node-gc.ts';

const settle = () => new Promise((r) => setTimeout(r, 10));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(options: { imagePolicy?: Partial<ImageGcPolicy>; pods?: RuntimePod[]; failListing?: boolean }) {
  const clock = new FakeClock();
  const events: string[] = [];
  const calls: string[] = [];
  const logRoot = mkdtempSync(join(tmpdir(), 'k8ts-node-gc-'));
  dirs.push(logRoot);
  const runtime = {
    listPods: async () => {
      calls.push('listPods');
      if (options.failListing) throw new Error('runtime is down');
      return options.pods ?? [];
    },
    listImages: async () => [],
    sandboxImage: async () => undefined,
    removeContainer: async (id: string) => void calls.push(`removeContainer ${id}`),
    removeSandbox: async (id: string) => void calls.push(`removeSandbox ${id}`),
    stopContainer: async (id: string) => void calls.push(`stopContainer ${id}`),
    removeImage: async () => {},
  } as unknown as ContainerRuntime;
  const gc = new NodeGarbageCollection({
    config: { containerPolicy: DEFAULT_CONTAINER_GC_POLICY, imagePolicy: { ...DEFAULT_IMAGE_GC_POLICY, ...options.imagePolicy }, containerPeriodMs: 1000, imagePeriodMs: 5000 },
    runtime,
    logRoot,
    podState: (uid) => (uid === 'gone' ? 'removable' : 'active'),
    allSourcesReady: () => true,
    imageFs: async () => ({ capacityBytes: 100, availableBytes: 50 }),
    nodeEvent: (type, reason, message) => events.push(`${type} ${reason}: ${message}`),
    clock,
    log: pino({ level: 'silent' }),
  });
  return { gc, clock, events, calls, logRoot };
}

const dead = (id: string, createdAtMs: number) => ({ id, sandboxId: 's', name: 'app', state: 'exited', createdAtMs });

describe('NodeGarbageCollection', () => {
  it('collects containers every period: extra dead containers, dead sandboxes of gone pods, their log directories', async () => {
    const pods = [
      { uid: 'p', name: 'p', namespace: 'd', sandboxes: [{ id: 's', state: 'ready', createdAtMs: 0 }], containers: [dead('c1', 1), dead('c2', 2)] },
      { uid: 'gone', name: 'g', namespace: 'd', sandboxes: [{ id: 'sg', state: 'notready', createdAtMs: 0 }], containers: [] },
    ] as unknown as RuntimePod[];
    const { gc, clock, calls, logRoot } = setup({ pods });
    mkdirSync(join(logRoot, 'd_g_gone'));
    mkdirSync(join(logRoot, 'd_p_p'));
    const abort = new AbortController();
    const running = gc.run(abort.signal);
    await waitFor('log directory removed', async () => !existsSync(join(logRoot, 'd_g_gone')), { timeoutMs: 5000, intervalMs: 10 });
    expect(calls.filter((c) => c.startsWith('remove'))).toEqual(['removeContainer c1', 'removeSandbox sg']);
    expect(existsSync(join(logRoot, 'd_p_p'))).toBe(true);
    const before = calls.filter((c) => c === 'listPods').length;
    // Time moves in steps until a later round ran (a step before the loop's next pause would be lost).
    await waitFor('another round', async () => {
      clock.step(1000);
      return calls.filter((c) => c === 'listPods').length > before;
    }, { timeoutMs: 5000, intervalMs: 10 });
    abort.abort();
    await running;
  });

  it('a failed container round is a ContainerGCFailed warning on the Node; image GC failures warn ImageGCFailed only when repeated', async () => {
    const { gc, clock, events } = setup({ failListing: true });
    const abort = new AbortController();
    const running = gc.run(abort.signal);
    await waitFor('ContainerGCFailed', async () => events.length > 0, { timeoutMs: 5000, intervalMs: 10 });
    await settle();
    expect(events).toEqual(['Warning ContainerGCFailed: runtime is down']);
    await waitFor('ImageGCFailed', async () => {
      clock.step(5000);
      return events.some((e) => e.includes('ImageGCFailed'));
    }, { timeoutMs: 5000, intervalMs: 10 });
    expect(events.find((e) => e.includes('ImageGCFailed'))).toBe('Warning ImageGCFailed: runtime is down');
    abort.abort();
    await running;
  });

  it('image GC at a high threshold of 100 only keeps its records: no event even when the runtime fails', async () => {
    const { gc, clock, events } = setup({ failListing: true, imagePolicy: { highThresholdPercent: 100 } });
    const abort = new AbortController();
    const running = gc.run(abort.signal);
    for (let i = 0; i < 5; i++) {
      await settle();
      clock.step(5000);
    }
    await settle();
    expect(events.filter((e) => e.includes('ContainerGCFailed')).length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => e.includes('ContainerGCFailed'))).toBe(true);
    abort.abort();
    await running;
  });

  it('reclaim never rejects', async () => {
    const { gc } = setup({ failListing: true });
    await expect(gc.reclaim()).resolves.toBeUndefined();
  });
});
