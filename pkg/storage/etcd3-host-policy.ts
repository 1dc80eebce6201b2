/**
 * The per-member fault policy of the etcd client. The `etcd3` client's default opens a circuit
 * breaker on a member after 3 consecutive recoverable errors and refuses every call to it for
 * 5 s. Every watch stream on a dropped connection counts as one error, so one dropped connection
 * opens the breaker at once; with several members calls go elsewhere meanwhile, but with a
 * single member the whole server fails every request for 5 s ("Execution prevented because the
 * circuit breaker is open"), which under load repeats. With one endpoint there is nowhere to fail
 * over to, so calls pass straight through and the client's global retry (reconnecting) handles
 * recoverable errors. With several members, a member's breaker counts only failures that say
 * the member is unreachable — not answers etcd gives (`etcdserver: leader changed`, `request
 * timed out`), which every healthy member gives at once during a leader election and which
 * otherwise opened all breakers together (every request refused for 5 s after a member rejoined).
 * The client-wide retry backs off (≈ 50 ms … 1 s) so a request rides out an election.
 */
import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, isBrokenCircuitError, retry } from 'cockatiel';
import { isRecoverableError, type IOptions } from 'etcd3';

type HostPolicyFactory = NonNullable<NonNullable<IOptions['faultHandling']>['host']>;
type HostPolicy = ReturnType<HostPolicyFactory>;

const noEvent = () => ({ dispose: () => undefined });

/** The signal of calls made without one: never aborted, shared (an AbortController per etcd call cost ~7 µs). */
const neverAborted = new AbortController().signal;

/** A policy that runs every call as is (no breaker, no retry of its own). */
export const passThroughPolicy = {
  onSuccess: noEvent,
  onFailure: noEvent,
  execute: async <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> => fn({ signal: signal ?? neverAborted }),
} as unknown as HostPolicy;

/** True for a failure that says the member itself is unreachable (no connection, connection lost, deadline passed), not an answer from etcd. */
export function isMemberUnreachable(err: Error): boolean {
  return isRecoverableError(err) && !err.message.includes('etcdserver:');
}

/** One member's breaker: opened by 3 consecutive unreachable-member failures, half-open after 2 s. */
export function memberBreaker(): HostPolicy {
  return circuitBreaker(handleWhen(isMemberUnreachable), { halfOpenAfter: 2_000, breaker: new ConsecutiveBreaker(3) });
}

/** The host policy factory for these endpoints: pass-through for one, a `memberBreaker` each for several. */
export function hostPolicyFor(endpoints: readonly string[]): HostPolicyFactory {
  return endpoints.length === 1 ? () => passThroughPolicy : () => memberBreaker();
}

/** The client-wide policy: up to 4 retries of recoverable failures (or all breakers open), with jittered exponential backoff from 50 ms to 1 s. */
export function clientRetryPolicy(): NonNullable<NonNullable<IOptions['faultHandling']>['global']> {
  return retry(handleWhen((err) => isRecoverableError(err) || isBrokenCircuitError(err)), { maxAttempts: 4, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }) });
}
