/**
 * The per-member fault policy of the etcd client. The `etcd3` client's default opens a circuit
 * breaker on a member after 3 consecutive recoverable errors and refuses every call to it for
 * 5 s. Every watch stream on a dropped connection counts as one error, so one dropped connection
 * opens the breaker at once; with a single member the whole server then failed every request for
 * 5 s ("Execution prevented because the circuit breaker is open"), which under load repeats.
 * With one endpoint there is nowhere to fail over to, so calls pass straight through and the
 * client's global retry (reconnecting) handles recoverable errors. With several members,
 * `MemberReachability` skips a member only after a failure that says it is unreachable — not
 * answers etcd gives (`etcdserver: leader changed`, `request timed out`), which every healthy
 * member gives at once during a leader election. The client-wide retry backs off
 * (≈ 50 ms … 1 s) so a request rides out an election.
 */
import { ExponentialBackoff, handleWhen, isBrokenCircuitError, retry } from 'cockatiel';
import { isRecoverableError, type IOptions } from 'etcd3';
import type { MemberReachability } from './etcd3-member-reachability.ts';

type HostPolicyFactory = NonNullable<NonNullable<IOptions['faultHandling']>['host']>;
/** The `etcd3` host policy type (a cockatiel policy; the pool calls only `execute`). */
export type HostPolicy = ReturnType<HostPolicyFactory>;

/** A call as the `etcd3` pool hands it to a host policy. */
export type PolicyCall = <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal) => Promise<T>;

const noEvent = () => ({ dispose: () => undefined });

/** A host policy that is only its `execute` (the pool never subscribes to policy events). */
export function hostPolicyOf(execute: PolicyCall): HostPolicy {
  return { execute, onSuccess: noEvent, onFailure: noEvent } as unknown as HostPolicy;
}

/** The signal of calls made without one: never aborted, shared (an AbortController per etcd call cost ~7 µs). */
const neverAborted = new AbortController().signal;

/**
 * Runs `fn` with the caller's signal, or a never-aborted one, without capturing stack traces
 * while it runs synchronously. The `etcd3` pool starts the gRPC call in that synchronous part,
 * and grpc-js captures a stack for every unary call it starts (only ever appended, as "for call
 * at", to a failed call's stack): with async stack traces that cost ~13 µs per etcd call, half
 * of grpc-js's synchronous work per call. Errors raised later — every gRPC failure — keep their
 * own stacks, and messages and codes are unchanged.
 */
export const runCall: PolicyCall = async (fn, signal) => withoutStackTraces(() => fn({ signal: signal ?? neverAborted }));

/** `f()` with `Error.stackTraceLimit` 0 while it runs (restored after, also when it throws). */
export function withoutStackTraces<T>(f: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return f();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** A policy that runs every call as is (no breaker, no retry of its own). */
export const passThroughPolicy = hostPolicyOf(runCall);

/** True for a failure that says the member itself is unreachable (no connection, connection lost, deadline passed), not an answer from etcd. */
export function isMemberUnreachable(err: unknown): boolean {
  return err instanceof Error && isRecoverableError(err) && !err.message.includes('etcdserver:');
}

/** The host policy factory for these endpoints: pass-through for one member, `reachability`'s policy for each of several. */
export function hostPolicyFor(endpoints: readonly string[], reachability: MemberReachability): HostPolicyFactory {
  return endpoints.length === 1 ? () => passThroughPolicy : (member) => reachability.policyFor(member);
}

/** The client-wide policy: up to 4 retries of recoverable failures (or all breakers open), with jittered exponential backoff from 50 ms to 1 s. */
export function clientRetryPolicy(): NonNullable<NonNullable<IOptions['faultHandling']>['global']> {
  return retry(handleWhen((err) => isRecoverableError(err) || isBrokenCircuitError(err)), { maxAttempts: 4, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }) });
}
