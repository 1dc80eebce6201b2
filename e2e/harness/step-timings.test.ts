import { expect, it } from 'vitest';
import { stepTimings } from './step-timings.ts';

it('records a step whether it resolves or rejects', async () => {
  const steps = stepTimings();
  await expect(steps.timed('ok', async () => 'v')).resolves.toBe('v');
  await expect(steps.timed('boom', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
  expect(Object.keys(steps.timings).sort()).toEqual(['boom', 'ok']);
  expect(steps.timings.ok).toBeGreaterThanOrEqual(0);
});
