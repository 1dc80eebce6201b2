/**
 * One small interface per extension point (upstream framework/interface.go). A plugin is an
 * object with a `name` implementing any subset of them; the framework detects which by the
 * methods present. Filter/Score-side methods are synchronous (they run for thousands of nodes
 * per pod); PostFilter, Reserve, Permit, PreBind and Bind may return promises.
 *
 * Error policy: an expected outcome (pod does not fit, nothing to do) is a {@link Status}; a
 * thrown exception is an internal error and becomes a {@link Code.Error} status attributed to
 * the plugin.
 */
import type { CycleState } from './cycle-state.ts';
import type { ClusterEventWithHint } from './events.ts';
import type { NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';
import type { Status } from './status.ts';
import type { PodObject } from './types.ts';

/** Highest and lowest score a Score plugin may return after normalization. */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;
/** Upper bound of the weighted total (upstream MaxTotalScore). */
export const MAX_TOTAL_SCORE = Number.MAX_SAFE_INTEGER;

export interface Plugin {
  /** The registered name (`NodeResourcesFit`). */
  readonly name: string;
}

/** A pod in the scheduling queue with its attempt bookkeeping (upstream QueuedPodInfo). */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod was last added to the queue (ms). */
  timestamp: number;
  /** Scheduling attempts so far (back-off grows with it). */
  attempts: number;
  /** When the pod was first added (ms); for the e2e latency metric. */
  initialAttemptTimestamp: number | undefined;
  /** Plugins that rejected the pod in its last attempt (decide which events requeue it). */
  unschedulablePlugins: Set<string>;
  /** Plugins that returned Pending in its last attempt. */
  pendingPlugins: Set<string>;
  /** Whether a PreEnqueue plugin (SchedulingGates) keeps the pod out of activeQ. */
  gated: boolean;
  /** The plugin that gated it. */
  gatingPlugin?: string;
}

/** Orders activeQ: `less(a, b)` is true when `a` is scheduled before `b`. */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** Decides whether a pod may enter activeQ at all (e.g. SchedulingGates). */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: PodObject): Status;
}

/** Declares which cluster events can make pods this plugin rejected schedulable. */
export interface EnqueueExtensions {
  eventsToRegister(): ClusterEventWithHint[];
}

/**
 * Restricts the nodes Filter is run on. `nodeNames` undefined means all nodes; an empty set
 * means none (the pod is unschedulable).
 */
export interface PreFilterResult {
  readonly nodeNames?: ReadonlySet<string>;
}

/** Intersection of two PreFilterResults (undefined = all nodes). */
export function mergePreFilterResults(a: PreFilterResult | undefined, b: PreFilterResult | undefined): PreFilterResult | undefined {
  if (!a?.nodeNames) return b;
  if (!b?.nodeNames) return a;
  const out = new Set<string>();
  for (const n of a.nodeNames) if (b.nodeNames.has(n)) out.add(n);
  return { nodeNames: out };
}

/**
 * Incremental updates of PreFilter state when preemption simulates adding or removing a pod
 * on a node. Must update only state read from `state` (which is a clone).
 */
export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: PodObject, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  removePod(state: CycleState, podToSchedule: PodObject, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface PreFilterOutcome {
  result?: PreFilterResult;
  status: Status;
}

/** Computes per-pod state once per cycle; Skip means "my Filter has nothing to check". */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodObject, nodes: readonly NodeInfo[]): PreFilterOutcome;
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

/** Whether the pod fits one node. Must not mutate `nodeInfo`. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodObject, nodeInfo: NodeInfo): Status;
}

/** Per-node outcomes of the filter phase. Nodes never filtered (PreFilterResult) get `absentNodesStatus`. */
export class NodeToStatus {
  readonly statuses = new Map<string, Status>();
  constructor(public absentNodesStatus: Status | undefined = undefined) {}

  set(node: string, status: Status): void {
    this.statuses.set(node, status);
  }

  /** The node's status, or the absent-nodes status. */
  get(node: string): Status | undefined {
    return this.statuses.get(node) ?? this.absentNodesStatus;
  }

  /** Number of nodes with an explicit status. */
  get size(): number {
    return this.statuses.size;
  }
}

/** How to set `status.nominatedNodeName` after PostFilter. */
export interface NominatingInfo {
  nominatedNodeName: string;
  mode: 'Override' | 'Noop';
}

export interface PostFilterResult {
  nominatingInfo?: NominatingInfo;
}

export interface PostFilterOutcome {
  result?: PostFilterResult;
  status: Status;
}

/** Runs when no node passed Filter (preemption). Success means the pod may fit later. */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodObject, filteredNodeStatus: NodeToStatus): PostFilterOutcome | Promise<PostFilterOutcome>;
}

/** Computes scoring state once for the feasible nodes; Skip means "don't call my Score". */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodObject, nodes: readonly NodeInfo[]): Status;
}

/** One node's score. */
export interface NodeScore {
  name: string;
  score: number;
}

/** Normalizes the raw scores of all nodes into [MIN_NODE_SCORE, MAX_NODE_SCORE], in place. */
export interface ScoreExtensions {
  normalizeScore(state: CycleState, pod: PodObject, scores: NodeScore[]): Status;
}

/** Ranks one feasible node; returns the raw score (throw = internal error). */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodObject, nodeInfo: NodeInfo): number;
  scoreExtensions?(): ScoreExtensions | undefined;
}

/** Reserves resources for the chosen node; `unreserve` must be idempotent and never fail. */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodObject, nodeName: string): Status | Promise<Status>;
  unreserve(state: CycleState, pod: PodObject, nodeName: string): void | Promise<void>;
}

export interface PermitOutcome {
  status: Status;
  /** For Wait: how long to wait before rejecting (ms). */
  timeoutMs?: number;
}

/** Approves, rejects or delays (Wait) the binding of a reserved pod. */
export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: PodObject, nodeName: string): PermitOutcome;
}

/** Runs before binding (e.g. volume provisioning). */
export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodObject, nodeName: string): Promise<Status>;
}

/** Binds the pod; Skip hands over to the next bind plugin. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: PodObject, nodeName: string): Promise<Status>;
}

/** Informational, after a successful bind. */
export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodObject, nodeName: string): void;
}

/** The extension points, as configured in KubeSchedulerConfiguration `plugins`. */
export const EXTENSION_POINTS = [
  'preEnqueue',
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** The method whose presence marks a plugin as implementing an extension point. */
export const EXTENSION_POINT_METHOD: Record<ExtensionPoint, string> = {
  preEnqueue: 'preEnqueue',
  queueSort: 'less',
  preFilter: 'preFilter',
  filter: 'filter',
  postFilter: 'postFilter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  permit: 'permit',
  preBind: 'preBind',
  bind: 'bind',
  postBind: 'postBind',
};

/** Whether `plugin` implements extension point `ep`. */
export function implementsExtensionPoint(plugin: Plugin, ep: ExtensionPoint): boolean {
  return typeof (plugin as unknown as Record<string, unknown>)[EXTENSION_POINT_METHOD[ep]] === 'function';
}

/** Whether `plugin` declares enqueue events. */
export function isEnqueueExtensions(plugin: Plugin): plugin is Plugin & EnqueueExtensions {
  return typeof (plugin as Partial<EnqueueExtensions>).eventsToRegister === 'function';
}
