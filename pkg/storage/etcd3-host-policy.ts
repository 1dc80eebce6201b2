/**
 * The per-member fault policy of the etcd client. The `etcd3` client's default opens a circuit
 * breaker on a member after 3 consecutive recoverable errors and refuses every call to it for
 * 5 s. Every watch stream on a dropped connection counts as one error, so one dropped connection
 * opens the breaker at once; with several members calls go elsewhere meanwhile, but with a
 * single member the whole server fails every request for 5 s ("Execution prevented because the
 * circuit breaker is open"), which under load repeats. With one endpoint there is nowhere to fail
 * over to, so calls pass straight through and the client's global retry (reconnecting) handles
 * recoverable errors.
 */
import type { IOptions } from 'etcd3';

type HostPolicyFactory = NonNullable<NonNullable<IOptions['faultHandling']>['host']>;
type HostPolicy = ReturnType<HostPolicyFactory>;

const noEvent = () => ({ dispose: () => undefined });

/** A policy that runs every call as is (no breaker, no retry of its own). */
export const passThroughPolicy = {
  onSuccess: noEvent,
  onFailure: noEvent,
  execute: async <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> => fn({ signal: signal ?? new AbortController().signal }),
} as unknown as HostPolicy;

/** The host policy factory for these endpoints: pass-through for one, the client's default breaker (undefined) for several. */
export function hostPolicyFor(endpoints: readonly string[]): HostPolicyFactory | undefined {
  return endpoints.length === 1 ? () => passThroughPolicy : undefined;
}
