import { expect, it } from 'vitest';
import { visibilityDelays, type VisibilityRecord } from './visibility-probe.ts';

const probe = (ackedAt: number, visibleAt?: number): VisibilityRecord => ({ name: `p${ackedAt}`, writer: 'a', reader: 'b', ackedAt, visibleAt });

it.each([
  { case: 'all seen', probes: [probe(0, 10), probe(100, 150)], from: -Infinity, to: Infinity, delays: [10, 50] },
  { case: 'never seen counts as infinite', probes: [probe(0)], from: -Infinity, to: Infinity, delays: [Infinity] },
  { case: 'only probes acknowledged in the window', probes: [probe(0, 10), probe(100, 150), probe(300, 301)], from: 50, to: 200, delays: [50] },
])('visibilityDelays: $case', ({ probes, from, to, delays }) => {
  expect(visibilityDelays(probes, from, to)).toEqual(delays);
});
