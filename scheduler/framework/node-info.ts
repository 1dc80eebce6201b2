/**
 * Aggregated per-node information (upstream framework.NodeInfo): the node, the pods on it
 * (bound or assumed), their summed requests, used host ports and affinity pods.
 */
import { HostPortInfo } from './host-ports.ts';
import { hasPodAffinity, hasRequiredAntiAffinity, newPodInfo, type PodInfo } from './pod-info.ts';
import { addResource, cloneResource, emptyResource, resourceFromList, subtractResource, type Resource } from './resource.ts';
import { podUid, type NodeObject, type PodObject } from './types.ts';

let generationCounter = 0;

/** The next value of the process-wide, strictly increasing NodeInfo generation. */
export function nextGeneration(): number {
  return ++generationCounter;
}

/**
 * Contract: every mutation bumps `generation` to a new process-wide maximum, so a snapshot can
 * re-clone only NodeInfos whose generation exceeds the one it last saw. `requested` counts
 * pod requests (one pod = one `allowedPodNumber`), `nonZeroRequested` the scoring defaults.
 * Plugins get snapshot clones and must not mutate them (except in preemption simulations on
 * their own `clone()`).
 */
export class NodeInfo {
  node: NodeObject | undefined;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  requested: Resource = emptyResource();
  nonZeroRequested: Resource = emptyResource();
  allocatable: Resource = emptyResource();
  /** Image name → size in bytes, from node.status.images (for ImageLocality). */
  imageSizes = new Map<string, number>();
  generation = nextGeneration();

  constructor(node?: NodeObject, pods: readonly PodObject[] = []) {
    if (node) this.setNode(node);
    for (const p of pods) this.addPod(p);
  }

  /** The node's name ('' when the node object is not known yet). */
  nodeName(): string {
    return this.node?.metadata?.name ?? '';
  }

  setNode(node: NodeObject): void {
    this.node = node;
    this.allocatable = resourceFromList(node.status?.allocatable as Record<string, string> | undefined);
    this.imageSizes = new Map();
    for (const img of node.status?.images ?? []) for (const name of img.names ?? []) this.imageSizes.set(name, img.sizeBytes ?? 0);
    this.generation = nextGeneration();
  }

  removeNode(): void {
    this.node = undefined;
    this.generation = nextGeneration();
  }

  addPod(pod: PodObject): void {
    this.addPodInfo(newPodInfo(pod));
  }

  addPodInfo(pi: PodInfo): void {
    this.pods.push(pi);
    if (hasPodAffinity(pi)) this.podsWithAffinity.push(pi);
    if (hasRequiredAntiAffinity(pi)) this.podsWithRequiredAntiAffinity.push(pi);
    this.update(pi, +1);
  }

  /** Removes the pod with `pod`'s UID; returns false when it was not on this node. */
  removePod(pod: PodObject): boolean {
    const uid = podUid(pod);
    const i = this.pods.findIndex((p) => podUid(p.pod) === uid);
    if (i < 0) return false;
    const [pi] = this.pods.splice(i, 1);
    this.podsWithAffinity = this.podsWithAffinity.filter((p) => p !== pi);
    this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => p !== pi);
    this.update(pi!, -1);
    return true;
  }

  private update(pi: PodInfo, sign: 1 | -1): void {
    const op = sign > 0 ? addResource : subtractResource;
    op(this.requested, pi.requests);
    this.requested.allowedPodNumber += sign;
    op(this.nonZeroRequested, pi.nonZeroRequests);
    for (const hp of pi.hostPorts) {
      if (sign > 0) this.usedPorts.add(hp);
      else this.usedPorts.remove(hp);
    }
    this.generation = nextGeneration();
  }

  /** A copy sharing the (immutable) PodInfos; mutations of the copy don't affect this one. */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.pods = [...this.pods];
    c.podsWithAffinity = [...this.podsWithAffinity];
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    c.usedPorts = this.usedPorts.clone();
    c.requested = cloneResource(this.requested);
    c.nonZeroRequested = cloneResource(this.nonZeroRequested);
    c.allocatable = cloneResource(this.allocatable);
    c.imageSizes = this.imageSizes;
    c.generation = this.generation;
    return c;
  }
}
