/**
 * Upstream's check of a namespace's existing pods when its enforce policy is tightened: the pods
 * (exempt runtime classes skipped, one pod per controller first, at most 3000) are evaluated
 * against the new enforce level and each distinct failure becomes a warning naming the
 * lexically first pod with it — `existing pods in namespace "ns" violate the new PodSecurity
 * enforce level "restricted:latest"`, then e.g. `nginx (and 2 other pods): allowPrivilegeEscalation
 * != false, …`, sorted. Nothing is refused. Pure (upstream also stops after a 1 s budget; k8ts
 * checks them all up to the cap).
 */
import type { PodSpec } from '../../../pkg/api/core/v1/pod-spec.ts';
import { levelVersionText, type LevelVersion } from './namespace-labels.ts';
import { evaluatePodSecurity } from './policy.ts';

/** The part of a pod this check reads. */
export interface ExistingPod {
  metadata: { name: string; ownerReferences?: ReadonlyArray<{ uid: string; controller?: boolean }> };
  spec?: PodSpec;
}

export const MAX_PODS_TO_CHECK = 3000;

/** Exempt pods dropped; the first pod of each controller before the rest of its replicas (upstream prioritizePods). */
function prioritized(pods: readonly ExistingPod[], exempt: (pod: ExistingPod) => boolean): ExistingPod[] {
  const first: ExistingPod[] = [];
  const replicas: ExistingPod[] = [];
  const seen = new Set<string>();
  for (const pod of pods) {
    if (exempt(pod)) continue;
    const controller = pod.metadata.ownerReferences?.find((o) => o.controller)?.uid;
    if (controller && seen.has(controller)) replicas.push(pod);
    else {
      if (controller) seen.add(controller);
      first.push(pod);
    }
  }
  return [...first, ...replicas];
}

/** The warnings for a namespace update that tightens `enforce`, in upstream's order and text. */
export function existingPodWarnings(options: { namespace: string; enforce: LevelVersion; pods: readonly ExistingPod[]; exempt: (pod: ExistingPod) => boolean; max?: number }): string[] {
  const candidates = prioritized(options.pods, options.exempt);
  const checked = candidates.slice(0, options.max ?? MAX_PODS_TO_CHECK);
  const byReason = new Map<string, { pod: string; count: number }>();
  for (const pod of checked) {
    const failures = evaluatePodSecurity(options.enforce.level, pod.spec ?? ({} as PodSpec));
    if (!failures.length) continue;
    const reason = failures.map((f) => f.reason).join(', ');
    const entry = byReason.get(reason);
    if (!entry) byReason.set(reason, { pod: pod.metadata.name, count: 1 });
    else {
      entry.count++;
      if (pod.metadata.name < entry.pod) entry.pod = pod.metadata.name;
    }
  }
  const warnings: string[] = [];
  if (checked.length < candidates.length) warnings.push(`new PodSecurity enforce level only checked against the first ${checked.length} of ${candidates.length} existing pods`);
  if (byReason.size) warnings.push(`existing pods in namespace "${options.namespace}" violate the new PodSecurity enforce level "${levelVersionText(options.enforce)}"`);
  const others = (count: number) => (count === 1 ? '' : count === 2 ? ' (and 1 other pod)' : ` (and ${count - 1} other pods)`);
  const podWarnings = [...byReason].map(([reason, { pod, count }]) => `${pod}${others(count)}: ${reason}`).sort();
  return [...warnings, ...podWarnings];
}
