import { expect, it } from 'vitest';
import type { WatchEvent } from '../../pkg/storage/types.ts';
import { EVENT_FRESH_MS, EventBuffer, MAX_HISTORY } from './event-buffer.ts';

const event = (revision: number): WatchEvent => ({ type: 'ADDED', key: `/k/${revision}`, revision, object: { metadata: { name: String(revision) } } });

it('keeps more than its capacity while the events are fresh, then only the capacity', () => {
  const buffer = new EventBuffer(2, 0);
  for (let r = 1; r <= 5; r++) buffer.push(event(r), r * 1000);
  expect(buffer.since(0)?.map((e) => e.revision)).toEqual([1, 2, 3, 4, 5]);
  // 75 s after the first event: events 1–2 have aged out, the rest are still fresh.
  buffer.push(event(6), 1000 + EVENT_FRESH_MS + 1500);
  expect(buffer.oldestRevision).toBe(2);
  expect(buffer.since(1)).toBeUndefined();
  expect(buffer.since(2)?.map((e) => e.revision)).toEqual([3, 4, 5, 6]);
  // Much later: only the capacity is left.
  buffer.push(event(7), 10 * EVENT_FRESH_MS);
  expect(buffer.since(buffer.oldestRevision)?.map((e) => e.revision)).toEqual([6, 7]);
});

it('never holds more than MAX_HISTORY events, however fresh', () => {
  const buffer = new EventBuffer(10, 0);
  for (let r = 1; r <= MAX_HISTORY + 5; r++) buffer.push(event(r), 0);
  expect(buffer.oldestRevision).toBe(5);
  expect(buffer.since(5)).toHaveLength(MAX_HISTORY);
});
