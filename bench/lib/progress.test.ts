import { describe, expect, it } from 'vitest';
import { formatProgress, Progress } from './progress.ts';

describe('formatProgress', () => {
  it.each([
    [{ label: 'pods', done: 0, total: 10, width: 10 }, 'pods [----------] 0/10 0%'],
    [{ label: 'pods', done: 5, total: 10, width: 10, perSecond: 2.4 }, 'pods [#####-----] 5/10 50% 2/s'],
    [{ label: 'pods', done: 12, total: 10, width: 4, extra: 'x' }, 'pods [####] 12/10 100% x'],
    [{ label: 'n', done: 1, total: 0, width: 2 }, 'n [--] 1/0 0%'],
  ])('%j', (p, line) => expect(formatProgress(p)).toBe(line));
});

describe('Progress', () => {
  it('rewrites one line on a TTY', () => {
    const chunks: string[] = [];
    const p = new Progress('x', 4, { isTTY: true, write: (c: string) => chunks.push(c) }, 10_000, () => 1000);
    p.update(1);
    p.update(2);
    p.done(4);
    expect(chunks).toHaveLength(3);
    expect(chunks.every((c) => c.startsWith('\r'))).toBe(true);
    expect(chunks[2].endsWith('\n')).toBe(true);
  });

  it('prints plain lines at most every interval otherwise', () => {
    const chunks: string[] = [];
    let now = 0;
    const p = new Progress('x', 4, { write: (c: string) => chunks.push(c) }, 10_000, () => now);
    p.update(1);
    now = 5000;
    p.update(2);
    now = 10_000;
    p.update(3);
    p.done(4);
    expect(chunks.map((c) => c.split(' ')[2])).toEqual(['1/4', '3/4', '4/4']);
    expect(chunks.every((c) => !c.includes('\r') && c.endsWith('\n'))).toBe(true);
  });
});
