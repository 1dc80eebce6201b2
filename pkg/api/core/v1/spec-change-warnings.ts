/**
 * Upstream's workload `WarningsOnUpdate` gate (Deployment, ReplicaSet, DaemonSet, StatefulSet,
 * ReplicationController, Job, CronJob, PodTemplate): a template's warnings are sent on update
 * only when the update changed the object's generation, so unrelated writes (labels, scaling by
 * a controller that leaves the template alone…) repeat nothing.
 */
import type { KubeObject } from '../../meta.ts';

/** `warnings()` when `obj`'s generation differs from `old`'s, else none. */
export function whenGenerationChanged(obj: KubeObject, old: KubeObject, warnings: () => string[]): string[] {
  return obj.metadata.generation !== old.metadata.generation ? warnings() : [];
}
