import { describe, expect, it } from 'vitest';
import { parseCriLogLine, renderLog } from './cri-log.ts';

const FILE = [
  '2026-01-01T00:00:01.000000001Z stdout F first',
  '2026-01-01T00:00:02.000000001Z stderr P part-',
  '2026-01-01T00:00:02.500000001Z stderr F two',
  '2026-01-01T00:00:03.000000001Z stdout F third',
  '2026-01-01T00:00:04.0Z stdout F incomp',
].join('\n');

describe('CRI log rendering', () => {
  it('parses a line', () => {
    expect(parseCriLogLine('2026-01-01T00:00:01.000000001Z stdout F hello world')).toEqual({ time: '2026-01-01T00:00:01.000000001Z', stream: 'stdout', partial: false, content: 'hello world' });
    expect(parseCriLogLine('garbage')).toBeUndefined();
  });

  it.each([
    [{ timestamps: false }, 'first\npart-two\nthird\n'],
    [{ timestamps: true }, '2026-01-01T00:00:01.000000001Z first\n2026-01-01T00:00:02.500000001Z part-two\n2026-01-01T00:00:03.000000001Z third\n'],
    [{ timestamps: false, tailLines: 1 }, 'third\n'],
    [{ timestamps: false, sinceMs: Date.parse('2026-01-01T00:00:02Z') }, 'part-two\nthird\n'],
    [{ timestamps: false, limitBytes: 8 }, 'first\npa'],
  ])('%j', (filter, output) => {
    expect(renderLog(FILE, filter)).toEqual({ output, rest: '2026-01-01T00:00:04.0Z stdout F incomp' });
  });
});
