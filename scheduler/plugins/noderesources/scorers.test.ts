import { describe, expect, it } from 'vitest';
import { balancedScorer, brokenLinear, leastAllocatedScorer, mostAllocatedScorer, requestedToCapacityRatioScorer } from './scorers.ts';

const cpuMem = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

describe('resource scorers', () => {
  it.each([
    { req: [0, 0], alloc: [4000, 8000], least: 100, most: 0 },
    { req: [2000, 4000], alloc: [4000, 8000], least: 50, most: 50 },
    { req: [3000, 2000], alloc: [4000, 8000], least: 50, most: 50 },
    { req: [5000, 0], alloc: [4000, 8000], least: 50, most: 50 },
    { req: [1000, 1000], alloc: [0, 8000], least: 87, most: 12 },
    { req: [1, 1], alloc: [0, 0], least: 0, most: 0 },
  ])('least/most allocated $req of $alloc', ({ req, alloc, least, most }) => {
    expect(leastAllocatedScorer(cpuMem)(req, alloc)).toBe(least);
    expect(mostAllocatedScorer(cpuMem)(req, alloc)).toBe(most);
  });

  it.each([
    { req: [2000, 4000], alloc: [4000, 8000], score: 100 },
    { req: [4000, 0], alloc: [4000, 8000], score: 50 },
    { req: [1000, 3000], alloc: [4000, 4000], score: 75 },
    { req: [8000, 0], alloc: [4000, 8000], score: 50 },
    // Three resources: the standard deviation of 0.25, 0.5 and 1 (the third capped) is 0.3118.
    { req: [1000, 2000, 9], alloc: [4000, 4000, 4], score: 68 },
    { req: [1000, 2000, 3], alloc: [4000, 0, 4], score: 75 },
  ])('balanced $req of $alloc → $score', ({ req, alloc, score }) => expect(balancedScorer(req, alloc)).toBe(score));

  it.each([
    [0, 0],
    [25, 25],
    [50, 50],
    [75, 25],
    [100, 0],
  ])('broken linear (0,0)-(50,50)-(100,0) at %i → %i', (p, s) => {
    expect(brokenLinear([{ utilization: 0, score: 0 }, { utilization: 50, score: 50 }, { utilization: 100, score: 0 }])(p)).toBe(s);
  });

  it('requested-to-capacity ratio scales 0–10 shapes to 0–100', () => {
    const bin = requestedToCapacityRatioScorer(cpuMem, [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }]);
    expect(bin([1000, 2000], [4000, 8000])).toBe(25);
    expect(bin([4000, 8000], [4000, 8000])).toBe(100);
  });
});
