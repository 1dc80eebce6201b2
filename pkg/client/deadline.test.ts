import { describe, expect, it } from 'vitest';
import { deadline } from './deadline.ts';

describe('deadline', () => {
  it('fires after its timeout and says so', async () => {
    const d = deadline(undefined, 20);
    await new Promise((resolve) => d.signal!.addEventListener('abort', resolve));
    expect(d.timedOut()).toBe(true);
    expect((d.signal!.reason as DOMException).name).toBe('TimeoutError');
  });
  it('follows the caller\'s signal with its reason, and not as a timeout', () => {
    const outer = new AbortController();
    const d = deadline(outer.signal, 10_000);
    outer.abort(new Error('stop'));
    expect(d.signal!.aborted).toBe(true);
    expect((d.signal!.reason as Error).message).toBe('stop');
    expect(d.timedOut()).toBe(false);
    d.done();
  });
  it('an already aborted caller signal aborts at once', () => {
    const d = deadline(AbortSignal.abort(new Error('gone')), 10_000);
    expect((d.signal!.reason as Error).message).toBe('gone');
    d.done();
  });
  it('done() stops the timer and unhooks the caller', async () => {
    const outer = new AbortController();
    const d = deadline(outer.signal, 20);
    d.done();
    outer.abort();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(d.signal!.aborted).toBe(false);
    expect(d.timedOut()).toBe(false);
  });
  it('no timeout: the caller\'s signal as it is', () => {
    const outer = new AbortController();
    expect(deadline(outer.signal, 0).signal).toBe(outer.signal);
    expect(deadline(undefined, 0).signal).toBeUndefined();
  });
});
