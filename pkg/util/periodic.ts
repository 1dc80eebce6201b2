/**
 * Abortable waiting and periodic loops on an injectable clock (apimachinery's `wait.Until`):
 * one place for "sleep unless stopped" and "run, log a failure, wait, repeat".
 */
import type { Logger } from 'pino';
import { sleep, type Clock } from '../workqueue/index.ts';

/** Waits `ms`; resolves true when the time passed, false when `signal` aborted first. */
export function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return sleep(clock, ms, signal).then(
    () => true,
    () => false,
  );
}

/**
 * Runs `fn` now and then every `intervalMs` (measured from the end of a run) until `signal`
 * aborts. A failing run is logged as `<name> failed` and the loop goes on.
 */
export async function runEvery(options: { name: string; intervalMs: number; clock: Clock; signal: AbortSignal; log: Logger }, fn: () => Promise<void> | void): Promise<void> {
  const { name, intervalMs, clock, signal, log } = options;
  while (!signal.aborted) {
    try {
      await fn();
    } catch (err) {
      log.warn({ err }, `${name} failed`);
    }
    if (!(await pause(clock, intervalMs, signal))) return;
  }
}

/**
 * {@link runEvery} starting one period from now instead of at once (for loops whose first pass
 * was just done by start-up code); a non-positive `intervalMs` starts nothing.
 */
export function runEveryAfterOnePeriod(options: { name: string; intervalMs: number; clock: Clock; signal: AbortSignal; log: Logger }, fn: () => Promise<unknown> | unknown): void {
  if (options.intervalMs <= 0) return;
  void pause(options.clock, options.intervalMs, options.signal).then((due) => (due ? runEvery(options, async () => void (await fn())) : undefined));
}
