/**
 * What the kubelet granted each pod (upstream's allocation manager, with its checkpoint): the first
 * sync of a pod grants its spec; a later change of its containers' resources — an in-place resize
 * through `pods/resize` — is granted when {@link decideResize} allows it, else reported pending
 * until a later sync can grant it. Also the edge that applies grants to running containers, the
 * resources containers start with, and the status fields and conditions that report all this.
 */
import type { Logger } from 'pino';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { PodCondition } from '../../pkg/api/core/v1/pod-status.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { ResourceList } from '../../pkg/quota/resource-list.ts';
import type { AllocationCheckpoint } from './allocation-checkpoint.ts';
import type { ContainerRuntime, RuntimeContainer, RuntimePod } from '../runtime/types.ts';
import { latestContainer } from './actions.ts';
import { allocationsEqual, containerStatusResources, decideResize, desiredAllocation, POD_RESIZE_IN_PROGRESS, POD_RESIZE_PENDING, resizeActions, withAllocation, withGrantedResources, type PodAllocation, type ResizeAction } from './resize.ts';
import type { StatusInput } from './status.ts';

/** Where the manager reads the node's room and the pods that share it. */
export interface PodResizeDeps {
  /** The node's allocatable resources. */
  allocatable(): ResourceList;
  /** The pods admitted to this node and not finished (every one, the resized pod included). */
  activePods(): readonly Pod[];
  /** Where grants survive a kubelet restart; unset = memory only. */
  checkpoint?: Pick<AllocationCheckpoint, 'load' | 'save'>;
  /** Applies grants to running containers. */
  runtime: Pick<ContainerRuntime, 'updateContainerResources'>;
  log: Logger;
}

/** What one sync does for resizes: the containers to restart, and the updates to apply in place. */
export interface ResizePlan {
  restarts: ReadonlySet<string>;
  inPlace: readonly ResizeAction[];
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
    if (current) {
      if (allocationsEqual(current, desired)) {
        this.pending.delete(uid);
        return current;
      }
      const verdict = decideResize(pod, this.othersAsAllocated(uid), this.deps.allocatable());
      if (!verdict.grant) {
        this.pending.set(uid, { reason: verdict.reason, message: verdict.message });
        return current;
      }
    }
    this.pending.delete(uid);
    this.granted.set(uid, desired);
    this.deps.checkpoint?.save(this.granted);
    return desired;
  }

  /**
   * Decides on the pod's spec ({@link allocate}) and plans the sync's resizes of its running
   * containers in `runtime`: restarts (their resizePolicy) and in-place updates.
   */
  plan(pod: Pod, runtime: RuntimePod | undefined): ResizePlan {
    const actions = resizeActions(pod, this.allocate(pod), latestIn(runtime));
    return { restarts: new Set(actions.filter((a) => a.restart).map((a) => a.container.name)), inPlace: actions.filter((a) => !a.restart) };
  }

  /** Applies in-place updates (CRI UpdateContainerResources); a failure is kept for the pod's conditions until a sync applies without one. */
  async applyInPlace(uid: string, updates: readonly ResizeAction[]): Promise<void> {
    let failure: string | undefined;
    for (const u of updates) {
      await this.deps.runtime.updateContainerResources(u.container.id, u.resources).catch((err: Error) => {
        failure = `updating the resources of container ${u.container.name} failed: ${err.message}`;
        this.deps.log.warn({ err, container: u.container.name, uid }, 'in-place resize failed');
      });
    }
    if (failure === undefined) this.errors.delete(uid);
    else this.errors.set(uid, failure);
  }

  /** The container as it starts on this node: with the resources granted to it, which lag the spec while a resize is pending. */
  asStarted(uid: string, container: Container): Container {
    return withGrantedResources(container, this.granted.get(uid)?.get(container.name ?? ''));
  }

  /** The status fields and conditions that report the pod's grants, given what the runtime runs. */
  statusInput(pod: Pod, runtime: RuntimePod | undefined, now: string, previous: readonly PodCondition[]): Pick<StatusInput, 'containerResources' | 'resizeConditions'> {
    const uid = pod.metadata.uid as string;
    const allocation = this.granted.get(uid);
    const inProgress = allocation !== undefined && resizeActions(pod, allocation, latestIn(runtime)).length > 0;
    return {
      containerResources: (name, latest) => containerStatusResources(allocation?.get(name), latest),
      resizeConditions: this.conditions(uid, inProgress, now, previous),
    };
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

  /** Forgets the grants of every pod not in `uids` (pods that went while nobody synced them). */
  retain(uids: ReadonlySet<string>): void {
    const gone = [...this.granted.keys()].filter((uid) => !uids.has(uid));
    if (gone.length === 0) return;
    for (const uid of gone) this.forget(uid);
  }

  /** Forgets a pod that is gone. */
  forget(uid: string): void {
    if (this.granted.delete(uid)) this.deps.checkpoint?.save(this.granted);
    this.pending.delete(uid);
    this.errors.delete(uid);
  }

  /** The active pods but `uid`, each with the resources this node granted it: the room they hold. */
  othersAsAllocated(uid: string): Pod[] {
    return this.deps.activePods().filter((p) => p.metadata.uid !== uid).map((p) => this.asAllocated(p));
  }

  /** The pod with the resources this node granted it (its spec's before its first {@link allocate}). */
  asAllocated(pod: Pod): Pod {
    const granted = this.granted.get(pod.metadata.uid as string);
    return granted ? withAllocation(pod, granted) : pod;
  }
}

/** The newest container of a name in the pod's newest sandbox. */
function latestIn(runtime: RuntimePod | undefined): (name: string) => RuntimeContainer | undefined {
  return (name) => latestContainer(runtime, runtime?.sandboxes[0]?.id, name);
}
