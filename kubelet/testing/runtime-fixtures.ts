/**
 * Test-only builders for the pure pod-sync decisions: a pod (`app` container, uid `u1`), runtime
 * containers and a runtime pod with one sandbox `s1`, all at a fixed time.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { RuntimeContainer, RuntimePod } from '../runtime/types.ts';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Pod `ns/p` (uid `u1`) with one `app` container unless `spec` says otherwise. */
export function pod(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u1', ...meta }, spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec } } as Pod;
}

/** A runtime container of `name` in sandbox `s1` (`extra.attempt` also sets id and restartCount). */
export function ctr(name: string, state: RuntimeContainer['state'], extra: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return { id: `${name}-${extra.attempt ?? 0}`, sandboxId: 's1', name, state, attempt: 0, hash: '', restartCount: extra.attempt ?? 0, image: 'busybox', imageRef: 'sha256:abc', createdAtMs: T0, startedAtMs: T0, finishedAtMs: state === 'exited' ? T0 + 1000 : 0, exitCode: 0, reason: '', message: '', ...extra };
}

/** The runtime's view of pod `u1`: sandbox `s1` in `sandboxState` and `containers`. */
export function runtime(containers: RuntimeContainer[], sandboxState: 'ready' | 'notready' = 'ready'): RuntimePod {
  return { uid: 'u1', name: 'p', namespace: 'ns', sandboxes: [{ id: 's1', state: sandboxState, attempt: 0, ip: '10.244.0.5', createdAtMs: T0 }], containers };
}

/** No restart back-off. */
export const noBackoff = (): number => 0;
