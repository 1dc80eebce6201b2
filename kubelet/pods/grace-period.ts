/**
 * How long the kubelet gives a pod's containers to stop (upstream kuberuntime's
 * `gracePeriodOverride` and `killContainer` defaults): the pod's
 * `terminationGracePeriodSeconds`, 30 s when unset; a deleted pod's is the shorter of that and
 * the deletion's `deletionGracePeriodSeconds` (also 30 s when unset).
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';

/** Upstream's default `terminationGracePeriodSeconds`. */
export const DEFAULT_GRACE_SECONDS = 30;

/** The pod's own grace period: stopping a container it restarts, a hook's timeout. Pure. */
export function podGraceSeconds(pod: Pod): number {
  return pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
}

/** The grace period of a deleted pod's termination: the deletion's, at most the pod's own. Pure. */
export function deletionGraceSeconds(pod: Pod): number {
  return Math.min(pod.metadata.deletionGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS, podGraceSeconds(pod));
}
