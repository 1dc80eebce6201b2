/**
 * The failure of one step of computing a replica count. Upstream builds its messages by
 * wrapping (`failed to get cpu utilization: unable to get metrics for resource cpu: …`); the
 * message text is kept byte for byte because `kubectl describe hpa` shows it, while code paths
 * decide on the stable `code`, never on the text.
 */

/** Stable codes of the failures the autoscaler reports. */
export type CalcErrorCode =
  | 'MetricsUnavailable'
  | 'NoPods'
  | 'NoReadyMetrics'
  | 'MissingRequest'
  | 'NoMatchingMetrics'
  | 'InvalidTarget'
  | 'NoCustomMetricsApi'
  | 'NoExternalMetricsApi';

/** A replica computation that cannot go on; `message` is upstream's text. */
export class CalcError extends Error {
  constructor(
    readonly code: CalcErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CalcError';
  }
}

/** `prefix: inner message`, keeping the inner code (upstream's `fmt.Errorf("…: %v", err)`). */
export function wrapCalcError(prefix: string, err: unknown): CalcError {
  const code: CalcErrorCode = err instanceof CalcError ? err.code : 'MetricsUnavailable';
  const message = err instanceof Error ? err.message : String(err);
  return new CalcError(code, `${prefix}: ${message}`, { cause: err });
}
