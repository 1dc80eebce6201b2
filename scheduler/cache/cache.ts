/**
 * The scheduler cache (upstream backend/cache): nodes and the pods on them, including pods
 * assumed to be bound while their binding is in flight.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../pkg/workqueue/index.ts';
import { NodeInfo, podKey, podUid, type NodeObject, type PodObject } from '../framework/index.ts';
import type { Snapshot } from './snapshot.ts';

interface PodState {
  pod: PodObject;
  assumed: boolean;
  /** When an assumed pod expires (set by finishBinding). */
  deadline?: number;
}

export interface CacheOptions {
  clock: Clock;
  log?: Logger;
  /** How long an assumed pod whose binding finished may wait for the informer to confirm it (default 15 min; 0 = never expire). */
  assumedPodTtlMs?: number;
}

/**
 * Contract: a pod is in at most one NodeInfo. `assumePod` adds a pod (with `spec.nodeName`
 * set) before it is bound; the informer's `addPod` confirms it; `forgetPod` undoes it when
 * binding fails; `cleanupAssumedPods` drops assumed pods whose binding finished more than the
 * TTL ago without confirmation. `updateSnapshot` re-clones only NodeInfos changed since the
 * snapshot's last update.
 */
export class Cache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  private readonly changed = new Set<string>();
  private nodeSetChanged = true;
  /** Image → nodes that have it (from node.status.images). */
  private readonly imageNodes = new Map<string, Set<string>>();
  private imagesChanged = false;
  private readonly ttl: number;

  constructor(private readonly options: CacheOptions) {
    this.ttl = options.assumedPodTtlMs ?? 15 * 60_000;
  }

  private info(nodeName: string): NodeInfo {
    let ni = this.nodes.get(nodeName);
    if (!ni) {
      ni = new NodeInfo();
      this.nodes.set(nodeName, ni);
    }
    this.changed.add(nodeName);
    return ni;
  }

  private addToNode(pod: PodObject): void {
    this.info(pod.spec!.nodeName!).addPod(pod);
  }

  private removeFromNode(pod: PodObject): void {
    const name = pod.spec?.nodeName ?? '';
    const ni = this.nodes.get(name);
    if (!ni) return;
    ni.removePod(pod);
    this.changed.add(name);
    if (!ni.node && ni.pods.length === 0) {
      this.nodes.delete(name);
      this.nodeSetChanged = true;
    }
  }

  /** Adds a pod (with `spec.nodeName` = the chosen node) before binding. Throws if already known. */
  assumePod(pod: PodObject): void {
    const uid = podUid(pod);
    if (this.pods.has(uid)) throw new Error(`pod ${podKey(pod)}(${uid}) is in the cache, so can't be assumed`);
    this.addToNode(pod);
    this.pods.set(uid, { pod, assumed: true });
  }

  /** The binding call returned; the assumed pod now expires after the TTL unless confirmed. */
  finishBinding(pod: PodObject): void {
    const st = this.pods.get(podUid(pod));
    if (st?.assumed && this.ttl > 0) st.deadline = this.options.clock.now() + this.ttl;
  }

  /** Undoes `assumePod` (binding failed). */
  forgetPod(pod: PodObject): void {
    const uid = podUid(pod);
    const st = this.pods.get(uid);
    if (!st?.assumed) return;
    this.removeFromNode(st.pod);
    this.pods.delete(uid);
  }

  isAssumedPod(pod: PodObject): boolean {
    return this.pods.get(podUid(pod))?.assumed ?? false;
  }

  /** An assigned pod from the informer (confirms an assumed one). */
  addPod(pod: PodObject): void {
    const uid = podUid(pod);
    const st = this.pods.get(uid);
    if (st) {
      this.removeFromNode(st.pod);
    }
    this.addToNode(pod);
    this.pods.set(uid, { pod, assumed: false });
  }

  updatePod(_oldPod: PodObject, pod: PodObject): void {
    this.addPod(pod);
  }

  removePod(pod: PodObject): void {
    const uid = podUid(pod);
    const st = this.pods.get(uid);
    if (!st) return;
    this.removeFromNode(st.pod);
    this.pods.delete(uid);
  }

  /** Drops assumed pods whose binding finished longer than the TTL ago. */
  cleanupAssumedPods(now = this.options.clock.now()): void {
    for (const st of [...this.pods.values()]) {
      if (st.assumed && st.deadline !== undefined && now > st.deadline) {
        this.options.log?.warn({ pod: podKey(st.pod), node: st.pod.spec?.nodeName }, 'assumed pod expired');
        this.removeFromNode(st.pod);
        this.pods.delete(podUid(st.pod));
      }
    }
  }

  addNode(node: NodeObject): void {
    const name = node.metadata!.name!;
    if (!this.nodes.has(name) || !this.nodes.get(name)!.node) this.nodeSetChanged = true;
    const ni = this.info(name);
    const before = ni.imageSizes;
    ni.setNode(node);
    this.trackImages(name, before, ni.imageSizes);
  }

  private trackImages(node: string, before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): void {
    for (const image of before.keys()) {
      if (after.has(image)) continue;
      const set = this.imageNodes.get(image);
      set?.delete(node);
      if (set?.size === 0) this.imageNodes.delete(image);
      this.imagesChanged = true;
    }
    for (const image of after.keys()) {
      if (before.has(image)) continue;
      let set = this.imageNodes.get(image);
      if (!set) this.imageNodes.set(image, (set = new Set()));
      set.add(node);
      this.imagesChanged = true;
    }
  }

  updateNode(_old: NodeObject, node: NodeObject): void {
    this.addNode(node);
  }

  /** Removes the node; its pods stay accounted until they are deleted (as upstream). */
  removeNode(node: NodeObject): void {
    const name = node.metadata!.name!;
    const ni = this.nodes.get(name);
    if (!ni) return;
    this.trackImages(name, ni.imageSizes, new Map());
    ni.removeNode();
    ni.imageSizes = new Map();
    this.changed.add(name);
    this.nodeSetChanged = true;
    if (ni.pods.length === 0) this.nodes.delete(name);
  }

  nodeCount(): number {
    let n = 0;
    for (const ni of this.nodes.values()) if (ni.node) n++;
    return n;
  }

  podCount(): number {
    return this.pods.size;
  }

  /** Brings `snapshot` up to date, cloning only changed NodeInfos. */
  updateSnapshot(snapshot: Snapshot): void {
    if (this.imagesChanged) {
      snapshot.imageNodeCounts = new Map([...this.imageNodes].map(([image, nodes]) => [image, nodes.size]));
      this.imagesChanged = false;
    }
    if (this.changed.size === 0 && !this.nodeSetChanged) return;
    let affinityChanged = false;
    for (const name of this.changed) {
      const ni = this.nodes.get(name);
      const before = snapshot.nodeInfoMap.get(name);
      if (before && (before.podsWithAffinity.length || before.podsWithRequiredAntiAffinity.length)) affinityChanged = true;
      if (!ni || !ni.node) {
        if (before) {
          snapshot.nodeInfoMap.delete(name);
          this.nodeSetChanged = true;
        }
        continue;
      }
      if (before && before.generation === ni.generation) continue;
      const clone = ni.clone();
      if (clone.podsWithAffinity.length || clone.podsWithRequiredAntiAffinity.length) affinityChanged = true;
      if (!before) this.nodeSetChanged = true;
      snapshot.nodeInfoMap.set(name, clone);
      const pos = snapshot.positions.get(name);
      if (pos !== undefined) snapshot.nodeInfoList[pos] = clone;
      snapshot.generation = Math.max(snapshot.generation, ni.generation);
    }
    this.changed.clear();
    if (this.nodeSetChanged) {
      snapshot.nodeInfoList = [];
      snapshot.positions.clear();
      for (const [name, ni] of this.nodes) {
        if (!ni.node) continue;
        snapshot.positions.set(name, snapshot.nodeInfoList.length);
        snapshot.nodeInfoList.push(snapshot.nodeInfoMap.get(name)!);
      }
      affinityChanged = true;
      this.nodeSetChanged = false;
    }
    // Nodes without affinity pods before and after do not appear in these lists.
    if (affinityChanged) {
      snapshot.withAffinity = snapshot.nodeInfoList.filter((ni) => ni.podsWithAffinity.length > 0);
      snapshot.withRequiredAntiAffinity = snapshot.nodeInfoList.filter((ni) => ni.podsWithRequiredAntiAffinity.length > 0);
    }
  }
}
