/** Pods nominated to nodes by preemption (upstream nominator), keyed by UID. */
import { podUid, type NominatingInfo, type PodInfo, type PodNominator, type PodObject } from '../framework/index.ts';

const NONE: readonly PodInfo[] = Object.freeze([]);

/**
 * Contract: a pod is nominated to at most one node; `nominatingInfo` Override sets the node
 * (empty name = clear), absent/Noop keeps `status.nominatedNodeName`. Bound pods are never
 * nominated.
 */
export class Nominator implements PodNominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly nodeOf = new Map<string, string>();

  addNominatedPod(pi: PodInfo, nominatingInfo?: NominatingInfo): void {
    this.deleteNominatedPodIfExists(pi.pod);
    let node = pi.pod.status?.nominatedNodeName ?? '';
    if (nominatingInfo?.mode === 'Override') node = nominatingInfo.nominatedNodeName;
    if (!node || pi.pod.spec?.nodeName) return;
    const uid = podUid(pi.pod);
    this.nodeOf.set(uid, node);
    const list = this.byNode.get(node) ?? [];
    list.push(pi);
    this.byNode.set(node, list);
  }

  deleteNominatedPodIfExists(pod: PodObject): void {
    const uid = podUid(pod);
    const node = this.nodeOf.get(uid);
    if (node === undefined) return;
    this.nodeOf.delete(uid);
    const list = (this.byNode.get(node) ?? []).filter((p) => podUid(p.pod) !== uid);
    if (list.length) this.byNode.set(node, list);
    else this.byNode.delete(node);
  }

  updateNominatedPod(oldPod: PodObject, newPodInfo: PodInfo): void {
    // Keep a nomination the scheduler made even if the update does not carry it yet.
    const prev = this.nodeOf.get(podUid(oldPod));
    const carried = newPodInfo.pod.status?.nominatedNodeName;
    this.deleteNominatedPodIfExists(oldPod);
    if (!carried && prev && !newPodInfo.pod.spec?.nodeName) this.addNominatedPod(newPodInfo, { nominatedNodeName: prev, mode: 'Override' });
    else this.addNominatedPod(newPodInfo);
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    return this.byNode.get(nodeName) ?? NONE;
  }

  /** The node a pod is nominated to. */
  nominatedNodeOf(pod: PodObject): string | undefined {
    return this.nodeOf.get(podUid(pod));
  }
}
