import { describe, expect, it } from 'vitest';
import type { ControllerRevision } from '../api/apps/v1/controllerrevision.ts';
import { computeHash, fnv32, fnv32a, hashControllerRevision, safeEncodeString } from './hash.ts';
import { compareRevisions, controllerRevisionName, nextRevision, revisionsToPrune } from './revisions.ts';

const rev = (name: string, revision: number, hash = name, created = '2026-01-01T00:00:00Z'): ControllerRevision => ({ metadata: { name, creationTimestamp: created, labels: { 'controller-revision-hash': hash } }, revision, data: {} });

describe('hashes', () => {
  it.each([
    ['', 0x811c9dc5, 0x811c9dc5],
    ['a', 0xe40c292c, 0x050c5d7e],
    ['foobar', 0xbf9cf968, 0x31f0b262],
  ])('FNV of %j', (text, a, one) => {
    expect(fnv32a(Buffer.from(text))).toBe(a);
    expect(fnv32(Buffer.from(text))).toBe(one);
  });

  it.each([
    ['0123456789', '456789bcdf'],
    ['4294967295', '86f8fbc6f9'],
  ])('safeEncodeString(%s) → %s (no vowels, no 0/1/3)', (text, encoded) => expect(safeEncodeString(text)).toBe(encoded));

  const template = { metadata: { labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'c', image: 'fluentd:v1' }] } };
  it.each([
    ['key order', { spec: { containers: [{ image: 'fluentd:v1', name: 'c' }] }, metadata: { labels: { app: 'fluentd' } } }, true],
    ['creationTimestamp: null and resources: {} (what rollout undo sends)', { metadata: { creationTimestamp: null, labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'c', image: 'fluentd:v1', resources: {} }] } }, true],
    ['another image', { metadata: { labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'c', image: 'fluentd:v2' }] } }, false],
  ])('computeHash: %s → same hash %s', (_name, other, same) => {
    expect(computeHash(other) === computeHash(template)).toBe(same);
  });

  it('computeHash: a collision count changes the hash; the hash is 1–10 safe characters', () => {
    const h = computeHash(template);
    expect(h).toMatch(/^[4-9bcdf]{1,10}$/);
    expect(computeHash(template, 1)).not.toBe(h);
    expect(computeHash(template, 0)).not.toBe(h);
    expect(computeHash(template, 1)).toBe(computeHash(template, 1));
  });

  it('hashControllerRevision: data and probe', () => {
    expect(hashControllerRevision({ a: 1 })).toBe(hashControllerRevision({ a: 1 }));
    expect(hashControllerRevision({ a: 1 }, 2)).not.toBe(hashControllerRevision({ a: 1 }));
  });
});

describe('revisions', () => {
  it('names cut the prefix to 223 characters', () => {
    expect(controllerRevisionName('fluentd', 'abc')).toBe('fluentd-abc');
    expect(controllerRevisionName('x'.repeat(300), 'abc')).toBe(`${'x'.repeat(223)}-abc`);
  });

  it('orders by revision, then creation, then name; next revision is max + 1', () => {
    const list = [rev('c', 2), rev('b', 1, 'b', '2026-01-02T00:00:00Z'), rev('a', 1, 'a', '2026-01-02T00:00:00Z'), rev('z', 1)];
    expect([...list].sort(compareRevisions).map((r) => r.metadata.name)).toEqual(['z', 'a', 'b', 'c']);
    expect(nextRevision(list)).toBe(3);
    expect(nextRevision([])).toBe(1);
  });

  it.each([
    [3, [], []],
    [1, [], ['r1', 'r2']],
    [1, ['h1'], ['r2', 'r3']],
    [0, ['h2'], ['r1', 'r3', 'r4']],
  ])('limit %d, live hashes %j → prune %j', (limit, live, pruned) => {
    const old = [rev('r3', 3, 'h3'), rev('r1', 1, 'h1'), rev('r2', 2, 'h2'), ...(limit === 0 ? [rev('r4', 4, 'h4')] : [])];
    expect(revisionsToPrune(old, limit, new Set(live)).map((r) => r.metadata.name)).toEqual(pruned);
  });
});
