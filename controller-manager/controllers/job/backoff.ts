/**
 * Pod-failure back-off (upstream backoff_utils.go): failures since the last success and the time
 * of the last failure; replacement pods wait base·2^(n-1), capped. Pure.
 */

/** Per-Job back-off state the controller keeps in memory (lost on restart, as upstream). */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** ms since the epoch. */
  lastFailureTime?: number;
}

export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

/**
 * The record after newly finished pods, given their finish times (upstream newBackoffRecord):
 * a success resets the count, failures finishing after the last success count again.
 */
export function nextBackoffRecord(previous: BackoffRecord | undefined, succeededAt: readonly number[], failedAt: readonly number[]): BackoffRecord {
  const record: BackoffRecord = { failuresAfterLastSuccess: previous?.failuresAfterLastSuccess ?? 0, lastFailureTime: previous?.lastFailureTime };
  const failed = [...failedAt].sort((a, b) => a - b);
  if (succeededAt.length === 0) {
    if (failed.length === 0) return record;
    return { failuresAfterLastSuccess: record.failuresAfterLastSuccess + failed.length, lastFailureTime: failed[failed.length - 1] };
  }
  const lastSuccess = Math.max(...succeededAt);
  const after = failed.filter((t) => t > lastSuccess);
  return after.length ? { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] } : { failuresAfterLastSuccess: 0 };
}

/** How long before replacement pods may be created (0 = now). */
export function remainingBackoffMs(record: BackoffRecord, nowMs: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = baseMs;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= maxMs) {
      delay = maxMs;
      break;
    }
  }
  const elapsed = nowMs - record.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}
