/**
 * Polling for tests that watch asynchronous outcomes through the API: `waitFor` calls `fn`
 * until it returns something truthy (which it returns) or the deadline passes (then it throws
 * `timed out waiting for <what>`, with the last error or `explain()`'s text appended). Bounded
 * in time, never a timing assertion.
 */

/** How long and how often to poll. */
export interface WaitOptions {
  /** Default 15 s. */
  timeoutMs?: number;
  /** Default 50 ms. */
  intervalMs?: number;
  /** Treat a throwing `fn` as "not yet" (default: the error fails the wait at once). */
  retryErrors?: boolean;
  /** Extra text for the timeout error (e.g. a dump of the objects involved). */
  explain?: () => Promise<string> | string;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      if (!options.retryErrors) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = options.explain ? `: ${await options.explain()}` : lastError ? `: ${String(lastError)}` : '';
      throw new Error(`timed out waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
