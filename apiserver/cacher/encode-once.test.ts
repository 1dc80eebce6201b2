import { describe, expect, it } from 'vitest';
import { encodeWatchEventLine } from './encode-once.ts';

describe('encodeWatchEventLine', () => {
  it('writes one JSON line per event', () => {
    const line = encodeWatchEventLine('ADDED', { metadata: { name: 'a' } });
    expect(line).toBe('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
  });

  it('returns the very same string for a shared frozen object', () => {
    const obj = Object.freeze({ metadata: Object.freeze({ name: 'a' }) });
    const a = encodeWatchEventLine('MODIFIED', obj);
    const b = encodeWatchEventLine('MODIFIED', obj);
    expect(a).toBe(b);
    expect(encodeWatchEventLine('DELETED', obj)).toBe('{"type":"DELETED","object":{"metadata":{"name":"a"}}}\n');
  });
});
