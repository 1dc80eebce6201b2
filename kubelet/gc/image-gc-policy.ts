/**
 * The image garbage collector's policy and its arithmetic (upstream `ImageGCPolicy`,
 * `realImageGCManager.GarbageCollect` and the kubelet configuration's validation). Pure.
 *
 * Disk usage is `100 - available*100/capacity` (integer percent, truncated as Go's); at or above
 * the high threshold the collector frees `capacity*(100-low)/100 - available` bytes, which
 * brings usage down to the low threshold. A high threshold of 100 with no maximum age turns the
 * periodic collector off (upstream `StartGarbageCollection`), as kind configures its nodes.
 */
import { formatDuration } from '../../pkg/util/duration.ts';

/** Upstream `ImageGCPolicy` (percent thresholds, ages in ms). */
export interface ImageGcPolicy {
  /** `--image-gc-high-threshold` (default 85): usage at or above it triggers a collection. */
  highThresholdPercent: number;
  /** `--image-gc-low-threshold` (default 80): what a collection frees down to. */
  lowThresholdPercent: number;
  /** `--image-minimum-gc-age` (default 2m): an image first seen more recently is kept. */
  minAgeMs: number;
  /** `--image-maximum-gc-age` (default 0 = off): an image unused longer than this goes regardless of usage. */
  maxAgeMs: number;
}

export const DEFAULT_IMAGE_GC_POLICY: ImageGcPolicy = { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 2 * 60_000, maxAgeMs: 0 };

/** Upstream's periods: container GC every minute, image GC every 5 minutes. */
export const CONTAINER_GC_PERIOD_MS = 60_000;
export const IMAGE_GC_PERIOD_MS = 5 * 60_000;

/**
 * Upstream's configuration validation of the image GC fields (`ValidateKubeletConfiguration`):
 * its error messages, in its order; empty when valid.
 */
export function validateImageGcPolicy(p: ImageGcPolicy): string[] {
  const errors: string[] = [];
  if (p.highThresholdPercent < 0 || p.highThresholdPercent > 100) errors.push(`invalid configuration: imageGCHighThresholdPercent (--image-gc-high-threshold) ${p.highThresholdPercent} must be between 0 and 100, inclusive`);
  if (p.lowThresholdPercent < 0 || p.lowThresholdPercent > 100) errors.push(`invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${p.lowThresholdPercent} must be between 0 and 100, inclusive`);
  if (p.lowThresholdPercent >= p.highThresholdPercent) errors.push(`invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${p.lowThresholdPercent} must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) ${p.highThresholdPercent}`);
  if (p.maxAgeMs < 0) errors.push(`invalid configuration: imageMaximumGCAge ${formatDuration(p.maxAgeMs)} must not be negative`);
  if (p.maxAgeMs > 0 && p.maxAgeMs <= p.minAgeMs) errors.push(`invalid configuration: imageMaximumGCAge ${formatDuration(p.maxAgeMs)} must be greater than imageMinimumGCAge ${formatDuration(p.minAgeMs)}`);
  return errors;
}

/** Whether the periodic image collector runs at all (off at a high threshold of 100 without a maximum age). */
export function imageGcEnabled(p: ImageGcPolicy): boolean {
  return !(p.highThresholdPercent >= 100 && p.maxAgeMs === 0);
}

/** What the image filesystem reading says a collection must free. */
export type ImageGcNeed =
  | { kind: 'invalid-capacity' }
  | { kind: 'below-threshold'; usagePercent: number }
  | { kind: 'free'; usagePercent: number; amountToFree: number };

/** Upstream's threshold arithmetic over the image filesystem's capacity and available bytes. */
export function imageGcNeed(p: Pick<ImageGcPolicy, 'highThresholdPercent' | 'lowThresholdPercent'>, fs: { capacityBytes: number; availableBytes: number }): ImageGcNeed {
  const capacity = fs.capacityBytes;
  const available = Math.min(fs.availableBytes, capacity);
  if (capacity === 0) return { kind: 'invalid-capacity' };
  const usagePercent = 100 - Math.trunc((available * 100) / capacity);
  if (usagePercent < p.highThresholdPercent) return { kind: 'below-threshold', usagePercent };
  return { kind: 'free', usagePercent, amountToFree: Math.trunc((capacity * (100 - p.lowThresholdPercent)) / 100) - available };
}

/** Upstream's `FreeDiskSpaceFailed` (and, when repeated, `ImageGCFailed`) message. */
export function freeDiskSpaceFailedMessage(amountToFree: number, freed: number): string {
  return `Failed to garbage collect required amount of images. Attempted to free ${amountToFree} bytes, but only found ${freed} bytes eligible to free.`;
}

/** Upstream's message when the image filesystem reports no capacity (event `InvalidDiskCapacity`). */
export const INVALID_CAPACITY_MESSAGE = 'invalid capacity 0 on image filesystem';
