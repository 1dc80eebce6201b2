import { describe, expect, it, vi } from 'vitest';
import { encodeWatchEventLine } from './encode-once.ts';

describe('encodeWatchEventLine', () => {
  it('writes one JSON line per event', () => {
    const line = encodeWatchEventLine('ADDED', { metadata: { name: 'a' } });
    expect(line).toBe('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
  });

  it('serialises a shared frozen object once per event type', () => {
    const obj = Object.freeze({ metadata: Object.freeze({ name: 'a' }) });
    const stringify = vi.spyOn(JSON, 'stringify');
    for (let i = 0; i < 100; i++) encodeWatchEventLine('MODIFIED', obj);
    expect(stringify).toHaveBeenCalledTimes(1);
    stringify.mockRestore();
    expect(encodeWatchEventLine('DELETED', obj)).toBe('{"type":"DELETED","object":{"metadata":{"name":"a"}}}\n');
  });
});
