/**
 * The image collector's memory of the node's images and its choice of what may go (upstream
 * `detectImages`, `imagesInEvictionOrder`, `freeSpace`, `freeOldImages`). Pure: records in,
 * records out.
 *
 * An image is in use when any container (running or not) refers to it — by image ID, tag or
 * digest — or when it is the runtime's sandbox (pause) image; such images, and images the runtime
 * marks pinned, are never candidates. Candidates go least recently used first, ties broken by
 * first detection; an image first seen less than the minimum age ago is skipped (it may just have
 * been pulled for a container about to start).
 */

import type { RuntimeImage } from '../runtime/types.ts';

/** An image as the runtime lists it. */
export type GcImage = RuntimeImage;

/** What the collector remembers of one image. */
export interface ImageRecord {
  id: string;
  firstDetectedMs: number;
  /** 0 = never seen in use. */
  lastUsedMs: number;
  sizeBytes: number;
  pinned: boolean;
}

/** The IDs of the images referenced by `refs` (a container's image, image ref, or the sandbox image's name). */
export function imagesInUse(images: readonly GcImage[], refs: Iterable<string>): Set<string> {
  const wanted = new Set([...refs].filter(Boolean));
  const used = new Set<string>();
  for (const image of images) {
    if (wanted.has(image.id) || image.repoTags.some((t) => wanted.has(t)) || image.repoDigests.some((d) => wanted.has(d))) used.add(image.id);
  }
  return used;
}

/**
 * Upstream `detectImages`: new images are first detected at `nowMs`, images in use were last
 * used at `nowMs`, sizes and pinning are refreshed, and images gone from the runtime are forgotten.
 */
export function detectImages(records: ReadonlyMap<string, ImageRecord>, images: readonly GcImage[], inUse: ReadonlySet<string>, nowMs: number): Map<string, ImageRecord> {
  const next = new Map<string, ImageRecord>();
  for (const image of images) {
    const known = records.get(image.id);
    next.set(image.id, {
      id: image.id,
      firstDetectedMs: known?.firstDetectedMs ?? nowMs,
      lastUsedMs: inUse.has(image.id) ? nowMs : (known?.lastUsedMs ?? 0),
      sizeBytes: image.sizeBytes,
      pinned: image.pinned,
    });
  }
  return next;
}

/** Upstream `imagesInEvictionOrder`: not in use, not pinned, least recently used (then first detected) first. */
export function imagesInEvictionOrder(records: ReadonlyMap<string, ImageRecord>, inUse: ReadonlySet<string>): ImageRecord[] {
  return [...records.values()]
    .filter((r) => !inUse.has(r.id) && !r.pinned)
    .sort((a, b) => a.lastUsedMs - b.lastUsedMs || a.firstDetectedMs - b.firstDetectedMs);
}

/** The candidates `freeSpace` may remove at `freeTimeMs`: those first detected at least `minAgeMs` ago, in order. */
export function eligibleToFree(ordered: readonly ImageRecord[], freeTimeMs: number, minAgeMs: number): ImageRecord[] {
  return ordered.filter((r) => r.lastUsedMs < freeTimeMs && freeTimeMs - r.firstDetectedMs >= minAgeMs);
}

/**
 * Upstream `freeOldImages`: with a maximum age, once the collector has run that long, candidates
 * unused for longer than it.
 */
export function imagesPastMaxAge(ordered: readonly ImageRecord[], nowMs: number, startedMs: number, maxAgeMs: number): ImageRecord[] {
  if (maxAgeMs <= 0 || nowMs - startedMs <= maxAgeMs) return [];
  return ordered.filter((r) => nowMs - r.lastUsedMs > maxAgeMs);
}
