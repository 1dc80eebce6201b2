/**
 * Wall-clock timings of a test's setup steps, printed at the end so slow machines can be told
 * from slow code: `const steps = stepTimings(); await steps.timed('etcd', () => start());`.
 */

/** A recorder of named step durations. */
export interface StepTimings {
  /** Milliseconds per step name (the last run of a name wins). */
  timings: Record<string, number>;
  /** Runs `fn`, recording its duration under `name` whether it resolves or rejects. */
  timed<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export function stepTimings(): StepTimings {
  const timings: Record<string, number> = {};
  return {
    timings,
    async timed(name, fn) {
      const start = Date.now();
      try {
        return await fn();
      } finally {
        timings[name] = Date.now() - start;
      }
    },
  };
}
