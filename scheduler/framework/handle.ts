/**
 * What a plugin factory gets (upstream framework.Handle): read access to the cycle's node
 * snapshot and the informer caches, the API client, an event recorder, the nominator, and
 * framework helpers preemption needs to simulate removing victims.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { Client, ResourceCoordinates } from '../../pkg/client/index.ts';
import type { Lister, SharedInformer } from '../../pkg/informer/index.ts';
import type { EventRecorder } from '../../pkg/runtime/index.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import type { CycleState } from './cycle-state.ts';
import type { NominatingInfo } from './interfaces.ts';
import type { NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';
import type { Status } from './status.ts';
import type { PodObject } from './types.ts';

/**
 * Read-only NodeInfos of the snapshot taken at the start of the current scheduling cycle.
 * Contract: stable for the whole cycle; `list()` is in the snapshot's node order.
 */
export interface NodeInfoLister {
  list(): readonly NodeInfo[];
  /** NodeInfos with at least one pod that has (anti-)affinity. */
  havePodsWithAffinityList(): readonly NodeInfo[];
  /** NodeInfos with at least one pod that has required anti-affinity. */
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
}

export interface SharedLister {
  nodeInfos(): NodeInfoLister;
  /** On how many nodes an image (normalized name, e.g. `nginx:latest`) is present (ImageLocality spread). */
  imageNumNodes?(image: string): number;
}

/**
 * Pods nominated to nodes by preemption (status.nominatedNodeName) that are not bound yet.
 * Filter runs count them as if present on their node when they have higher or equal priority.
 */
export interface PodNominator {
  addNominatedPod(pi: PodInfo, nominatingInfo?: NominatingInfo): void;
  deleteNominatedPodIfExists(pod: PodObject): void;
  updateNominatedPod(oldPod: PodObject, newPodInfo: PodInfo): void;
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
}

/** A pod held at Permit; `allow`/`reject` decide it. */
export interface WaitingPod {
  readonly pod: PodObject;
  /** Plugins still to allow it. */
  pendingPlugins(): string[];
  allow(plugin: string): void;
  reject(plugin: string, message: string): void;
}

/**
 * Contract: valid for the lifetime of the profile. Listers return frozen objects. The
 * `run*` helpers execute this profile's plugins exactly as the scheduling cycle does.
 */
export interface Handle {
  readonly profileName: string;
  readonly client: Client;
  readonly eventRecorder: EventRecorder;
  readonly log: Logger;
  readonly clock: Clock;
  /** How many nodes to evaluate concurrently (kept for API parity; evaluation is sequential). */
  readonly parallelism: number;
  /** Aborts when the scheduler shuts down; plugins end long waits (PreBind) then. */
  readonly stopSignal: AbortSignal;
  /** The node snapshot of the current cycle. */
  snapshotSharedLister(): SharedLister;
  /**
   * A lister over a shared informer cache (pods, namespaces, PodDisruptionBudgets, PriorityClasses…).
   * Call it in the plugin factory (before the process starts) so the informer is started and
   * synced with the others; a first call during a cycle starts it late (empty until synced).
   */
  lister<T extends KubeObject>(coords: ResourceCoordinates): Lister<T>;
  /**
   * The shared informer behind {@link Handle.lister}, for plugins that wait on changes (VolumeBinding's
   * PreBind). Handlers added must be removed when done. Throws when the process has no informers.
   */
  informer<T extends KubeObject>(coords: ResourceCoordinates): SharedInformer<T>;
  readonly nominator: PodNominator;
  /** Filter plugins on `nodeInfo`, first with nominated pods of ≥ priority added, then without (upstream RunFilterPluginsWithNominatedPods). */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodObject, nodeInfo: NodeInfo): Status;
  /** All Filter plugins on `nodeInfo` (stops at the first failure). */
  runFilterPlugins(state: CycleState, pod: PodObject, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: PodObject, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: PodObject, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
  getWaitingPod(uid: string): WaitingPod | undefined;
  iterateOverWaitingPods(fn: (wp: WaitingPod) => void): void;
  /** Reject a waiting pod (e.g. a preemption victim); true if it was waiting. */
  rejectWaitingPod(uid: string): boolean;
}
