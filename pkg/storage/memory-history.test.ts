import { describe, expect, it } from 'vitest';
import { EventHistory } from './memory-history.ts';

const entry = (revision: number) => ({ key: `/k/${revision}`, revision, value: { text: '{}', createRevision: revision, modRevision: revision } });

describe('EventHistory', () => {
  it('keeps at most maxEntries and advances the compact revision past dropped ones', () => {
    const h = new EventHistory(3);
    for (let r = 2; r <= 6; r++) h.append(entry(r));
    expect(h.after(0).map((e) => e.revision)).toEqual([4, 5, 6]);
    expect(h.compactRevision).toBe(4);
  });

  it.each([
    [0, [2, 3, 4, 5]],
    [3, [4, 5]],
    [5, []],
    [9, []],
  ])('after(%d) → %j', (rev, expected) => {
    const h = new EventHistory(100);
    for (let r = 2; r <= 5; r++) h.append(entry(r));
    expect(h.after(rev).map((e) => e.revision)).toEqual(expected);
  });

  it('compact(r) drops entries below r and never moves the compact revision back', () => {
    const h = new EventHistory(100);
    for (let r = 2; r <= 5; r++) h.append(entry(r));
    h.compact(4);
    expect(h.after(0).map((e) => e.revision)).toEqual([4, 5]);
    h.compact(3);
    expect(h.compactRevision).toBe(4);
  });

  it('stays correct across internal reclaiming of a long log', () => {
    const h = new EventHistory(1500);
    for (let r = 1; r <= 5000; r++) h.append(entry(r));
    const kept = h.after(0);
    expect(kept).toHaveLength(1500);
    expect(kept[0]!.revision).toBe(3501);
    expect(h.after(4998).map((e) => e.revision)).toEqual([4999, 5000]);
  });
});
