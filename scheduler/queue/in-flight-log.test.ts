import { describe, expect, it } from 'vitest';
import { InFlightLog } from './in-flight-log.ts';

describe('InFlightLog', () => {
  it('gives a pod the events recorded after it was popped, and drops what no pod in flight precedes', () => {
    const log = new InFlightLog<string, number>();
    log.record('before anything'); // nobody in flight: not kept
    expect(log.length).toBe(0);
    log.start('a', 0);
    log.record('e1');
    log.start('b', 0);
    log.record('e2');
    expect([...log.eventsSince('a')]).toEqual(['e1', 'e2']);
    expect([...log.eventsSince('b')]).toEqual(['e2']);
    expect([...log.eventsSince('unknown')]).toEqual([]);
    // b finishes first: a still needs e1 and e2.
    log.finish('b');
    expect([...log.eventsSince('a')]).toEqual(['e1', 'e2']);
    expect(log.length).toBe(3);
    log.finish('a');
    expect(log.length).toBe(0);
    expect(log.size).toBe(0);
    expect(log.get('a')).toBeUndefined();
  });

  it('keeps its length bounded by what the oldest pod in flight can still see', () => {
    const log = new InFlightLog<number, number>();
    log.start('old', 0);
    for (let i = 0; i < 1000; i++) {
      log.start(`p${i}`, 0);
      log.record(i);
      log.finish(`p${i}`);
    }
    expect(log.length).toBe(1001);
    expect([...log.eventsSince('old')]).toHaveLength(1000);
    log.finish('old');
    expect(log.length).toBe(0);
    log.start('next', 0);
    log.record(1);
    expect(log.length).toBe(2);
  });

  it('a pod started again sees only the events after its new start', () => {
    const log = new InFlightLog<string, number>();
    log.start('a', 1);
    log.record('e1');
    log.start('a', 2);
    log.record('e2');
    expect([...log.eventsSince('a')]).toEqual(['e2']);
    expect(log.has('a')).toBe(true);
    expect(log.get('a')).toBe(2);
    expect(log.length).toBe(2);
  });
});
