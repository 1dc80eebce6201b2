/** The worker loop of a Controller and the event loop. */
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { realClock } from '../workqueue/clock.ts';
import { Controller } from './controller.ts';
import { RuntimeMetrics } from './metrics.ts';

it('lets timers and I/O run between reconciles that need no API call', async () => {
  const reconciled: string[] = [];
  let reconciledWhenTimerFired: number | undefined;
  const controller = new Controller({
    name: 'no-io',
    reconciler: { reconcile: async (req) => void reconciled.push(req.name) },
    logger: pino({ level: 'silent' }),
    clock: realClock,
    metrics: new RuntimeMetrics(),
  });
  const count = 200;
  for (let i = 0; i < count; i++) controller.enqueue({ namespace: 'ns', name: `k${i}` });
  // A timer due right away, as a leader-election renewal or a watch chunk would be: a worker loop
  // that never yields would reconcile all keys before it fires.
  setTimeout(() => (reconciledWhenTimerFired = reconciled.length), 0);
  const stop = new AbortController();
  const running = controller.start(stop.signal);
  while (reconciled.length < count) await new Promise((resolve) => setTimeout(resolve, 1));
  stop.abort();
  await running;
  expect(reconciledWhenTimerFired).toBeDefined();
  expect(reconciledWhenTimerFired!).toBeLessThan(count / 2);
});
