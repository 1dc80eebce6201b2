/**
 * Victim selection on one node (upstream defaultpreemption SelectVictimsOnNode): remove every
 * lower-priority pod, check that the preemptor then fits, and reprieve as many of them as
 * possible, most important first. Works on the caller's clones of the cycle state and node.
 */
import {
  podPriority,
  Status,
  type CycleState,
  type Handle,
  type NodeInfo,
  type PodInfo,
  type PodObject,
} from '../../framework/index.ts';

/** The framework calls victim selection needs (a subset of {@link Handle}). */
export type PreemptionSimulator = Pick<Handle, 'runFilterPluginsWithNominatedPods' | 'runPreFilterExtensionAddPod' | 'runPreFilterExtensionRemovePod'>;

/** When the pod started (status.startTime, else creation), ms since epoch; undefined when unknown. */
export function podStartTime(pod: PodObject): number | undefined {
  const t = pod.status?.startTime ?? pod.metadata?.creationTimestamp;
  return t ? Date.parse(t) : undefined;
}

/** Upstream util.MoreImportantPod: higher priority first; on a tie, the one that started earlier. */
export function moreImportantPod(a: PodObject, b: PodObject): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  const ta = podStartTime(a);
  const tb = podStartTime(b);
  if (ta === undefined || tb === undefined) return ta !== undefined;
  return ta < tb;
}

/** Sort comparator form of {@link moreImportantPod}. */
export function byImportance(a: PodObject, b: PodObject): number {
  if (moreImportantPod(a, b)) return -1;
  return moreImportantPod(b, a) ? 1 : 0;
}

export interface VictimSelection {
  /** Victims, most important first. Empty only with a non-success status. */
  victims: PodObject[];
  numPDBViolations: number;
  status: Status;
}

/**
 * Selects the fewest lower-priority pods on `nodeInfo` whose removal lets `pod` pass Filter.
 * Mutates `state` and `nodeInfo` (pass clones). Pods PodDisruptionBudgets protect would be
 * reprieved first; this server serves no PodDisruptionBudgets, so every victim is non-violating.
 */
export function selectVictimsOnNode(fh: PreemptionSimulator, state: CycleState, pod: PodObject, nodeInfo: NodeInfo): VictimSelection {
  const remove = (pi: PodInfo): void => {
    nodeInfo.removePod(pi.pod);
    check(fh.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo));
  };
  const add = (pi: PodInfo): void => {
    nodeInfo.addPodInfo(pi);
    check(fh.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo));
  };
  const priority = podPriority(pod);
  const potential = nodeInfo.pods.filter((pi) => podPriority(pi.pod) < priority);
  if (potential.length === 0) return { victims: [], numPDBViolations: 0, status: Status.unresolvable('No preemption victims found for incoming pod') };
  for (const pi of potential) remove(pi);

  const fits = fh.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
  if (!fits.isSuccess()) return { victims: [], numPDBViolations: 0, status: fits };

  potential.sort((a, b) => byImportance(a.pod, b.pod));
  const victims: PodObject[] = [];
  for (const pi of potential) {
    add(pi);
    if (!fh.runFilterPluginsWithNominatedPods(state, pod, nodeInfo).isSuccess()) {
      remove(pi);
      victims.push(pi.pod);
    }
  }
  return { victims, numPDBViolations: 0, status: Status.SUCCESS };
}

function check(status: Status): void {
  if (!status.isSuccess()) throw status.asError();
}
