/**
 * The kubelet's image garbage collector (upstream `realImageGCManager`): remembers when each image
 * was first seen and last used, and removes unused images — least recently used first, none first
 * seen less than `--image-minimum-gc-age` ago, never the sandbox image or a pinned one — either
 * down to the low threshold when the image filesystem is at or above the high threshold
 * ({@link ImageGarbageCollector.garbageCollect}), or all of them for node-level reclaim
 * ({@link ImageGarbageCollector.deleteUnusedImages}). The decisions are `image-records.ts` and
 * `image-gc-policy.ts`; this class does the I/O.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../pkg/workqueue/index.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import { freeDiskSpaceFailedMessage, imageGcNeed, INVALID_CAPACITY_MESSAGE, type ImageGcPolicy } from './image-gc-policy.ts';
import { detectImages, eligibleToFree, imagesInEvictionOrder, imagesInUse, imagesPastMaxAge, type ImageRecord } from './image-records.ts';

/** A collection that failed; `message` is upstream's error text (also its event's message). */
export class ImageGcError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageGcError';
  }
}

/** Options of {@link ImageGarbageCollector}. */
export interface ImageGcOptions {
  runtime: ContainerRuntime;
  policy: ImageGcPolicy;
  /** The image filesystem's size (the eviction manager's imagefs reading); undefined when unreadable. */
  imageFs(): Promise<{ capacityBytes: number; availableBytes: number } | undefined>;
  /** Records an event on the Node (`FreeDiskSpaceFailed`, `InvalidDiskCapacity`). */
  nodeEvent(type: 'Normal' | 'Warning', reason: string, message: string): void;
  clock: Clock;
  log: Logger;
}

/**
 * Contract: calls are serialized (one at a time, in call order). `garbageCollect` rejects with an
 * {@link ImageGcError} when it could not free what the thresholds ask (after recording
 * `FreeDiskSpaceFailed`) or an image removal failed; `deleteUnusedImages` resolves with the bytes
 * freed and rejects only when a removal or listing failed.
 */
export class ImageGarbageCollector {
  private records = new Map<string, ImageRecord>();
  private readonly startedMs: number;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ImageGcOptions) {
    this.startedMs = options.clock.now();
  }

  /** Upstream `GarbageCollect`: images unused past the maximum age, then down to the low threshold if over the high one. */
  garbageCollect(): Promise<void> {
    return this.serialized(async () => {
      const { policy, clock } = this.options;
      const now = clock.now();
      let ordered = await this.evictionOrder(now);
      const old = imagesPastMaxAge(ordered, now, this.startedMs, policy.maxAgeMs);
      if (old.length > 0) {
        await this.remove(old, Number.POSITIVE_INFINITY);
        ordered = ordered.filter((r) => this.records.has(r.id));
      }
      const fs = await this.options.imageFs();
      if (!fs) throw new ImageGcError('failed to get image filesystem stats');
      const need = imageGcNeed(policy, fs);
      if (need.kind === 'invalid-capacity') {
        this.options.nodeEvent('Warning', 'InvalidDiskCapacity', INVALID_CAPACITY_MESSAGE);
        throw new ImageGcError(INVALID_CAPACITY_MESSAGE);
      }
      if (need.kind === 'below-threshold') return;
      this.options.log.info({ usage: need.usagePercent, highThreshold: policy.highThresholdPercent, amountToFree: need.amountToFree, lowThreshold: policy.lowThresholdPercent }, 'disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold');
      const freed = await this.remove(eligibleToFree(ordered, now, policy.minAgeMs), need.amountToFree);
      if (freed < need.amountToFree) {
        const message = freeDiskSpaceFailedMessage(need.amountToFree, freed);
        this.options.nodeEvent('Warning', 'FreeDiskSpaceFailed', message);
        throw new ImageGcError(message);
      }
    });
  }

  /** Upstream `DeleteUnusedImages`: every unused image old enough, whatever the thresholds say; the bytes freed. */
  deleteUnusedImages(): Promise<number> {
    return this.serialized(async () => {
      this.options.log.info('attempting to delete unused images');
      const now = this.options.clock.now();
      return this.remove(eligibleToFree(await this.evictionOrder(now), now, this.options.policy.minAgeMs), Number.POSITIVE_INFINITY);
    });
  }

  /** Refreshes the records only (upstream image manager's 5-minute detection), so ages count from when an image was first seen. */
  async detect(): Promise<void> {
    await this.serialized(() => this.evictionOrder(this.options.clock.now()));
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Refreshes the records (upstream `detectImages`) and returns the candidates in eviction order. */
  private async evictionOrder(now: number): Promise<ImageRecord[]> {
    const { runtime } = this.options;
    const [images, pods, sandboxImage] = await Promise.all([runtime.listImages(), runtime.listPods(), runtime.sandboxImage().catch(() => undefined)]);
    const refs = pods.flatMap((p) => p.containers.flatMap((c) => [c.image, c.imageRef]));
    const inUse = imagesInUse(images, sandboxImage ? [...refs, sandboxImage] : refs);
    this.records = detectImages(this.records, images, inUse, now);
    return imagesInEvictionOrder(this.records, inUse);
  }

  /** Removes images in order until `bytesToFree` bytes are freed, going on past failures; the bytes freed. */
  private async remove(candidates: readonly ImageRecord[], bytesToFree: number): Promise<number> {
    const errors: unknown[] = [];
    let freed = 0;
    for (const image of candidates) {
      if (freed >= bytesToFree) break;
      this.options.log.info({ imageID: image.id, size: image.sizeBytes }, 'removing image to free bytes');
      try {
        await this.options.runtime.removeImage(image.id);
      } catch (err) {
        errors.push(err);
        continue;
      }
      this.records.delete(image.id);
      freed += image.sizeBytes;
    }
    if (errors.length > 0) {
      // Go's math.MaxInt64 stands for "everything" in upstream's message.
      const wanted = Number.isFinite(bytesToFree) ? String(bytesToFree) : '9223372036854775807';
      throw new ImageGcError(`wanted to free ${wanted} bytes, but freed ${freed} bytes space with errors in image deletion: ${errors.map((e) => (e as Error).message).join(', ')}`, { cause: errors[0] });
    }
    return freed;
  }
}
