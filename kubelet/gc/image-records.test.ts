import { describe, expect, it } from 'vitest';
import { detectImages, eligibleToFree, imagesInEvictionOrder, imagesInUse, imagesPastMaxAge, type GcImage, type ImageRecord } from './image-records.ts';

const img = (id: string, over: Partial<GcImage> = {}): GcImage => ({ id, repoTags: [], repoDigests: [], sizeBytes: 100, pinned: false, ...over });
const rec = (id: string, firstDetectedMs: number, lastUsedMs: number, over: Partial<ImageRecord> = {}): ImageRecord => ({ id, firstDetectedMs, lastUsedMs, sizeBytes: 100, pinned: false, ...over });

describe('imagesInUse', () => {
  const images = [img('sha256:a', { repoTags: ['docker.io/library/busybox:latest'] }), img('sha256:b', { repoDigests: ['docker.io/library/nginx@sha256:dd'] }), img('sha256:c'), img('sha256:pause', { repoTags: ['k8ts.local/pause:3.9'] })];
  it.each([
    ['by image ID', ['sha256:c'], ['sha256:c']],
    ['by tag', ['docker.io/library/busybox:latest'], ['sha256:a']],
    ['by digest', ['docker.io/library/nginx@sha256:dd'], ['sha256:b']],
    ['the sandbox image by name', ['k8ts.local/pause:3.9'], ['sha256:pause']],
    ['nothing for unknown or empty refs', ['', 'other:1'], []],
  ])('%s', (_n, refs, expected) => {
    expect([...imagesInUse(images, refs)]).toEqual(expected);
  });
});

describe('detectImages', () => {
  it('first detection sticks, use refreshes lastUsed, sizes and pinning follow the runtime, gone images are forgotten', () => {
    const before = new Map([['a', rec('a', 10, 0)], ['gone', rec('gone', 10, 0)]]);
    const next = detectImages(before, [img('a', { sizeBytes: 7 }), img('b', { pinned: true })], new Set(['a']), 50);
    expect([...next.values()]).toEqual([rec('a', 10, 50, { sizeBytes: 7 }), rec('b', 50, 0, { pinned: true })]);
    const later = detectImages(next, [img('a', { sizeBytes: 7 }), img('b', { pinned: true })], new Set(), 90);
    expect(later.get('a')).toEqual(rec('a', 10, 50, { sizeBytes: 7 }));
  });
});

describe('imagesInEvictionOrder', () => {
  it('leaves out images in use and pinned ones; least recently used first, then first detected', () => {
    const records = new Map([
      ['used', rec('used', 0, 0)],
      ['pinned', rec('pinned', 0, 0, { pinned: true })],
      ['recent', rec('recent', 0, 500)],
      ['never-late', rec('never-late', 20, 0)],
      ['never-early', rec('never-early', 10, 0)],
      ['older', rec('older', 0, 100)],
    ]);
    expect(imagesInEvictionOrder(records, new Set(['used'])).map((r) => r.id)).toEqual(['never-early', 'never-late', 'older', 'recent']);
  });
});

describe('eligibleToFree', () => {
  it('skips images first detected less than the minimum age ago', () => {
    const ordered = [rec('old', 0, 0), rec('fresh', 200_000, 0), rec('edge', 180_000, 0)];
    expect(eligibleToFree(ordered, 300_000, 120_000).map((r) => r.id)).toEqual(['old', 'edge']);
    expect(eligibleToFree(ordered, 300_000, 0).map((r) => r.id)).toEqual(['old', 'fresh', 'edge']);
  });
});

describe('imagesPastMaxAge', () => {
  const ordered = [rec('stale', 0, 1000), rec('recent', 0, 9000)];
  it.each([
    ['off at 0', 0, 0, []],
    ['not before the collector ran that long', 5000, 6000, []],
    ['unused longer than the maximum age', 5000, 0, ['stale']],
  ])('%s', (_n, maxAgeMs, startedMs, expected) => {
    expect(imagesPastMaxAge(ordered, 10_000, startedMs, maxAgeMs).map((r) => r.id)).toEqual(expected);
  });
});
