/** Time helpers shared by the write strategies. */

/** Injected clock (tests pin time). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** RFC 3339 with seconds precision, as metav1.Time serialises: `2026-01-02T03:04:05Z`. */
export { rfc3339 } from '../../pkg/util/time.ts';
