/**
 * The reconciler contract (controller-runtime's `reconcile` package, without the Go-isms).
 */
import type { Logger } from 'pino';

/**
 * Names the object to reconcile. `namespace` is `''` for cluster-scoped objects. A request
 * carries no event type and no object: the reconciler reads the current state itself.
 */
export interface ReconcileRequest {
  readonly namespace: string;
  readonly name: string;
}

/** `ns/name` for namespaced requests, `name` for cluster-scoped ones (the work-queue key). */
export function requestKey(request: ReconcileRequest): string {
  return request.namespace ? `${request.namespace}/${request.name}` : request.name;
}

/** Inverse of {@link requestKey}. */
export function requestFromKey(key: string): ReconcileRequest {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/**
 * What a reconcile asks of the runtime when it returns normally:
 * - nothing / `{}`: done; the request is forgotten by the rate limiter;
 * - `{ requeueAfterMs }`: reconcile again after that delay (and forget the failure history);
 * - `{ requeue: true }`: reconcile again after the rate limiter's back-off.
 */
export interface Result {
  readonly requeueAfterMs?: number;
  readonly requeue?: boolean;
}

/**
 * Thrown by a reconciler when retrying cannot help (invalid spec, unsupported input): the
 * runtime logs it, counts it in `controller_runtime_terminal_reconcile_errors_total` and does
 * not retry. Any other thrown error means "retry with the rate limiter's back-off".
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** Per-call context: `signal` aborts when the controller stops; `log` is bound to the request. */
export interface ReconcileContext {
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/**
 * A level-based reconciler: given a request, read the current state (from listers or the API),
 * compare it with the desired state and act to close the gap. It must be idempotent and must
 * not depend on which event (or how many) caused the call — events are coalesced, may be
 * dropped in favour of a later one, and a periodic resync calls it with nothing changed.
 * The runtime guarantees that one request key is never reconciled by two workers at once.
 * Retry policy lives in the runtime: throw to retry with back-off, throw {@link TerminalError}
 * to give up, return {@link Result} to requeue on purpose.
 */
export interface Reconciler {
  reconcile(request: ReconcileRequest, context: ReconcileContext): Promise<Result | void>;
}
