import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import type { ContainerRuntime, RuntimeImage, RuntimePod } from '../runtime/types.ts';
import { DEFAULT_IMAGE_GC_POLICY, type ImageGcPolicy } from './image-gc-policy.ts';
import { ImageGarbageCollector } from './image-gc-manager.ts';

const img = (id: string, sizeBytes: number, over: Partial<RuntimeImage> = {}): RuntimeImage => ({ id, repoTags: [`${id}:tag`], repoDigests: [], sizeBytes, pinned: false, ...over });

/** A runtime holding images, one pod whose container uses `used`, and the pause image. */
function setup(options: { images: RuntimeImage[]; fs: { capacityBytes: number; availableBytes: number }; policy?: Partial<ImageGcPolicy>; failRemoving?: string }) {
  const clock = new FakeClock();
  let images = [...options.images];
  const removed: string[] = [];
  const events: string[] = [];
  const pod = { uid: 'p', name: 'p', namespace: 'default', sandboxes: [], containers: [{ image: 'used:tag', imageRef: '' }] } as unknown as RuntimePod;
  const runtime = {
    listImages: async () => images,
    listPods: async () => [pod],
    sandboxImage: async () => 'pause:tag',
    removeImage: async (id: string) => {
      if (id === options.failRemoving) throw new Error(`cannot remove ${id}`);
      removed.push(id);
      images = images.filter((i) => i.id !== id);
    },
  } as unknown as ContainerRuntime;
  const gc = new ImageGarbageCollector({
    runtime,
    policy: { ...DEFAULT_IMAGE_GC_POLICY, ...options.policy },
    imageFs: async () => options.fs,
    nodeEvent: (type, reason, message) => events.push(`${type} ${reason}: ${message}`),
    clock,
    log: pino({ level: 'silent' }),
  });
  return { gc, clock, removed, events };
}

const base = [img('used', 500), img('pause', 500), img('pinned', 500, { pinned: true }), img('a', 300), img('b', 300), img('c', 300)];

describe('ImageGarbageCollector', () => {
  it('over the high threshold: removes unused images, oldest first, until the low threshold; keeps used, sandbox and pinned images', async () => {
    // 85% used, low threshold 20%: 6500 bytes to free, only a, b and c (900) may go.
    const { gc, clock, removed, events } = setup({ images: base, fs: { capacityBytes: 10_000, availableBytes: 1500 }, policy: { lowThresholdPercent: 20 } });
    await gc.garbageCollect().catch(() => undefined); // first sight: every image is younger than 2m
    expect(removed).toEqual([]);
    clock.step(121_000);
    // amountToFree = 10000*80/100 - 1500 = 6500 > 900 eligible.
    await expect(gc.garbageCollect()).rejects.toThrow('Failed to garbage collect required amount of images. Attempted to free 6500 bytes, but only found 900 bytes eligible to free.');
    expect(removed).toEqual(['a', 'b', 'c']);
    expect(events.at(-1)).toBe('Warning FreeDiskSpaceFailed: Failed to garbage collect required amount of images. Attempted to free 6500 bytes, but only found 900 bytes eligible to free.');
  });

  it('stops once enough is freed', async () => {
    // 85% used: free down to 80% → 500 bytes → a and b (600).
    const { gc, clock, removed, events } = setup({ images: base, fs: { capacityBytes: 10_000, availableBytes: 1500 } });
    clock.step(1000);
    await gc.garbageCollect().catch(() => undefined);
    expect(removed).toEqual([]); // minimum age not reached
    clock.step(120_000);
    await gc.garbageCollect();
    expect(removed).toEqual(['a', 'b']);
    expect(events).toEqual(['Warning FreeDiskSpaceFailed: Failed to garbage collect required amount of images. Attempted to free 500 bytes, but only found 0 bytes eligible to free.']);
  });

  it('below the high threshold nothing goes', async () => {
    const { gc, clock, removed } = setup({ images: base, fs: { capacityBytes: 10_000, availableBytes: 1600 } });
    clock.step(600_000);
    await gc.garbageCollect();
    expect(removed).toEqual([]);
  });

  it('no capacity: InvalidDiskCapacity', async () => {
    const { gc, events } = setup({ images: base, fs: { capacityBytes: 0, availableBytes: 0 } });
    await expect(gc.garbageCollect()).rejects.toThrow('invalid capacity 0 on image filesystem');
    expect(events).toEqual(['Warning InvalidDiskCapacity: invalid capacity 0 on image filesystem']);
  });

  it('deleteUnusedImages removes every unused image old enough, regardless of thresholds', async () => {
    const { gc, clock, removed } = setup({ images: base, fs: { capacityBytes: 10_000, availableBytes: 9000 } });
    expect(await gc.deleteUnusedImages()).toBe(0);
    clock.step(120_000);
    expect(await gc.deleteUnusedImages()).toBe(900);
    expect(removed).toEqual(['a', 'b', 'c']);
  });

  it('a failed removal does not stop the others, and fails the round', async () => {
    const { gc, clock, removed } = setup({ images: base, fs: { capacityBytes: 10_000, availableBytes: 9000 }, policy: { minAgeMs: 0 }, failRemoving: 'a' });
    clock.step(1);
    await expect(gc.deleteUnusedImages()).rejects.toThrow('wanted to free 9223372036854775807 bytes, but freed 600 bytes space with errors in image deletion: cannot remove a');
    expect(removed).toEqual(['b', 'c']);
  });

  it('maximum age: images unused longer than it go once the collector ran that long', async () => {
    const { gc, clock, removed } = setup({ images: base, fs: { capacityBytes: 10_000, availableBytes: 9000 }, policy: { maxAgeMs: 300_000 } });
    await gc.garbageCollect();
    clock.step(300_000);
    await gc.garbageCollect();
    expect(removed).toEqual([]);
    clock.step(1000);
    await gc.garbageCollect();
    expect(removed).toEqual(['a', 'b', 'c']);
  });
});
