/**
 * Which API updates of a pod wake its worker (upstream's pod config `podsDifferSemantically`
 * and `NeedToReconcilePodReadiness`): a change of the spec, labels, annotations or deletion
 * fields is an update to sync; a change of the status alone — most often the kubelet's own
 * write coming back through its watch — is only a reconcile, which syncs when the pod has
 * readiness gates (another controller's condition may change its Ready). The resync timer and
 * the PLEG wake pods for everything else. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { semanticEqual } from '../../pkg/util/semantic-json.ts';
import type { DeepReadonly } from '../../pkg/informer/index.ts';

/** Whether the update from `before` to `after` (same pod) calls for a sync. */
export function podUpdateNeedsSync(before: DeepReadonly<Pod>, after: DeepReadonly<Pod>): boolean {
  const a = before.metadata;
  const b = after.metadata;
  if (a.deletionTimestamp !== b.deletionTimestamp || a.deletionGracePeriodSeconds !== b.deletionGracePeriodSeconds) return true;
  if (!semanticEqual(a.labels, b.labels) || !semanticEqual(a.annotations, b.annotations) || !semanticEqual(before.spec, after.spec)) return true;
  return Boolean(after.spec?.readinessGates?.length) && !semanticEqual(before.status?.conditions, after.status?.conditions);
}
