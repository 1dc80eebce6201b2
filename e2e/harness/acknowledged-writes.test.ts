import { describe, expect, it } from 'vitest';
import { longestAckGapMs, lostOrChangedWrites, outcomeCounts, type StoredConfigMap, type WriteRecord } from './acknowledged-writes.ts';

const rec = (name: string, status: number, endedAt = 0, extra: Partial<WriteRecord> = {}): WriteRecord => ({ name, via: 'a', startedAt: 0, endedAt, status, data: { k: name }, resourceVersion: status === 201 ? '7' : undefined, ...extra });
const stored = (name: string, rv = '7', data: Record<string, string> = { k: name }): StoredConfigMap => ({ name, resourceVersion: rv, data });

describe('lostOrChangedWrites', () => {
  it.each([
    { case: 'all present', records: [rec('x', 201)], stored: [stored('x')], problems: 0 },
    { case: 'acknowledged write missing', records: [rec('x', 201)], stored: [], problems: 1 },
    { case: 'data differs', records: [rec('x', 201)], stored: [stored('x', '7', { k: 'other' })], problems: 1 },
    { case: 'resourceVersion differs', records: [rec('x', 201)], stored: [stored('x', '8')], problems: 1 },
    { case: 'unacknowledged write missing is fine', records: [rec('x', 0), rec('y', 500)], stored: [], problems: 0 },
    { case: 'unacknowledged but stored is fine', records: [rec('x', 0)], stored: [stored('x')], problems: 0 },
  ])('$case', ({ records, stored: s, problems }) => {
    expect(lostOrChangedWrites(records, s)).toHaveLength(problems);
  });
});

describe('longestAckGapMs', () => {
  it.each([
    { case: 'no acks: the whole window', ends: [], gap: 100 },
    { case: 'evenly spread', ends: [20, 40, 60, 80], gap: 20 },
    { case: 'a stall in the middle', ends: [10, 20, 90], gap: 70 },
    { case: 'stall until the end', ends: [10], gap: 90 },
  ])('$case', ({ ends, gap }) => {
    expect(longestAckGapMs(ends.map((t, i) => rec(`c${i}`, 201, t)), 'a', 0, 100)).toBe(gap);
  });

  it('ignores failed writes and other apiservers', () => {
    const records = [rec('a', 500, 50), rec('b', 201, 50, { via: 'b' }), rec('c', 201, 10)];
    expect(longestAckGapMs(records, 'a', 0, 100)).toBe(90);
  });
});

it('outcomeCounts groups by status', () => {
  expect(outcomeCounts([rec('a', 201), rec('b', 201), rec('c', 0)])).toEqual({ '201': 2, '0': 1 });
});
