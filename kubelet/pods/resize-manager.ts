/**
 * What the kubelet granted each pod (upstream's allocation manager, with its checkpoint): the first
 * sync of a pod grants its spec; a later change of its containers' resources — an in-place resize
 * through `pods/resize` — is granted when {@link decideResize} allows it, else reported pending
 * until a later sync can grant it. Also the pod conditions that report both.
 */
import type { PodCondition } from '../../pkg/api/core/v1/pod-status.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { PodLike } from '../../pkg/quota/pod-usage.ts';
import type { ResourceList } from '../../pkg/quota/resource-list.ts';
import type { AllocationCheckpoint } from './allocation-checkpoint.ts';
import { allocationsEqual, decideResize, desiredAllocation, POD_RESIZE_IN_PROGRESS, POD_RESIZE_PENDING, withAllocation, type ContainerAllocation, type PodAllocation } from './resize.ts';

/** Where the manager reads the node's room and the pods that share it. */
export interface PodResizeDeps {
  /** The node's allocatable resources. */
  allocatable(): ResourceList;
  /** The pods admitted to this node and not finished (every one, the resized pod included). */
  activePods(): readonly Pod[];
  /** Where grants survive a kubelet restart; unset = memory only. */
  checkpoint?: Pick<AllocationCheckpoint, 'load' | 'save'>;
}

/** Granted resources, pending resizes and actuation errors per pod UID. */
export class PodResizeManager {
  private readonly granted: Map<string, PodAllocation>;
  private readonly pending = new Map<string, { reason: string; message: string }>();
  private readonly errors = new Map<string, string>();

  constructor(private readonly deps: PodResizeDeps) {
    this.granted = deps.checkpoint?.load() ?? new Map();
  }

  /**
   * The pod's allocation after deciding on its spec: granted at first sight; when the spec
   * changed since, granted if the node has room (see {@link decideResize}), else the previous
   * allocation stays and the resize is pending.
   */
  allocate(pod: Pod): PodAllocation {
    const uid = pod.metadata.uid as string;
    const desired = desiredAllocation(pod);
    const current = this.granted.get(uid);
    if (current && !allocationsEqual(current, desired)) {
      const others = this.deps.activePods().filter((p) => p.metadata.uid !== uid).map((p) => this.asAllocated(p) as PodLike);
      const verdict = decideResize(pod, others, this.deps.allocatable());
      if (!verdict.grant) {
        this.pending.set(uid, { reason: verdict.reason, message: verdict.message });
        return current;
      }
    }
    this.pending.delete(uid);
    if (!current || !allocationsEqual(current, desired)) {
      this.granted.set(uid, desired);
      this.deps.checkpoint?.save(this.granted);
    }
    return this.granted.get(uid)!;
  }

  /** The pod's granted resources; undefined before its first {@link allocate}. */
  allocation(uid: string): PodAllocation | undefined {
    return this.granted.get(uid);
  }

  /** One container's granted resources; undefined before the pod's first {@link allocate}. */
  containerAllocation(uid: string, name: string): ContainerAllocation | undefined {
    return this.granted.get(uid)?.get(name);
  }

  /** Records why applying the allocation failed in this sync (undefined: it did not fail). */
  actuationFailed(uid: string, message: string | undefined): void {
    if (message === undefined) this.errors.delete(uid);
    else this.errors.set(uid, message);
  }

  /**
   * The resize conditions to report: `PodResizePending` while a resize waits for room,
   * `PodResizeInProgress` while a granted one is not applied everywhere (`inProgress`; reason
   * `Error` when applying it failed). Transition times carry over from `previous`.
   */
  conditions(uid: string, inProgress: boolean, now: string, previous: readonly PodCondition[] = []): PodCondition[] {
    const out: PodCondition[] = [];
    const since = (type: string) => previous.find((c) => c.type === type && c.status === 'True')?.lastTransitionTime ?? now;
    const pending = this.pending.get(uid);
    if (pending) out.push({ type: POD_RESIZE_PENDING, status: 'True', lastProbeTime: null as unknown as undefined, lastTransitionTime: since(POD_RESIZE_PENDING), reason: pending.reason, message: pending.message });
    const error = this.errors.get(uid);
    if (inProgress || error !== undefined) {
      out.push({ type: POD_RESIZE_IN_PROGRESS, status: 'True', lastProbeTime: null as unknown as undefined, lastTransitionTime: since(POD_RESIZE_IN_PROGRESS), ...(error !== undefined ? { reason: 'Error', message: error } : {}) });
    }
    return out;
  }

  /** Forgets a pod that is gone. */
  forget(uid: string): void {
    if (this.granted.delete(uid)) this.deps.checkpoint?.save(this.granted);
    this.pending.delete(uid);
    this.errors.delete(uid);
  }

  /** The pod with the resources this node granted it (its spec's before its first {@link allocate}). */
  asAllocated(pod: Pod): Pod {
    const granted = this.granted.get(pod.metadata.uid as string);
    return granted ? withAllocation(pod, granted) : pod;
  }
}
