/**
 * A profile's framework (upstream frameworkImpl): the instantiated plugins per extension point
 * and the `run*` methods the scheduling and binding cycles call. Also the {@link Handle} given
 * to this profile's plugins.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { Client, ResourceCoordinates } from '../../../pkg/client/index.ts';
import type { Lister, SharedInformer } from '../../../pkg/informer/index.ts';
import type { EventRecorder } from '../../../pkg/runtime/index.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import type { ResolvedProfile } from '../config.ts';
import type { CycleState } from '../cycle-state.ts';
import type { ClusterEventWithHint } from '../events.ts';
import type { Handle, PodNominator, SharedLister, WaitingPod } from '../handle.ts';
import {
  implementsExtensionPoint,
  isEnqueueExtensions,
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  mergePreFilterResults,
  type BindPlugin,
  type ExtensionPoint,
  type FilterPlugin,
  type NodeScore,
  type NodeToStatus,
  type PermitPlugin,
  type Plugin,
  type PostBindPlugin,
  type PostFilterOutcome,
  type PostFilterPlugin,
  type PreBindPlugin,
  type PreEnqueuePlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type QueuedPodInfo,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
} from '../interfaces.ts';
import type { NodeInfo } from '../node-info.ts';
import type { PodInfo } from '../pod-info.ts';
import type { Registry } from '../registry.ts';
import { Code, Status } from '../status.ts';
import { podPriority, podUid, type PodObject } from '../types.ts';
import { DEFAULT_MULTI_POINT } from '../config.ts';
import { expandPlugins } from './expand.ts';
import { WaitingPods } from './waiting-pods.ts';

/** What a framework needs from the scheduler process. */
export interface FrameworkOptions {
  profile: ResolvedProfile;
  registry: Registry;
  client: Client;
  eventRecorder: EventRecorder;
  log: Logger;
  clock: Clock;
  nominator: PodNominator;
  lister<T extends KubeObject>(coords: ResourceCoordinates): Lister<T>;
  /** The shared informers behind `lister` (absent in unit tests that never wait on events). */
  informer?<T extends KubeObject>(coords: ResourceCoordinates): SharedInformer<T>;
  /** The current cycle's snapshot. */
  snapshot(): SharedLister;
  parallelism?: number;
}

/** Per-node result of the score phase: the sum of every plugin's weighted, normalized score. */
export interface NodePluginScores {
  name: string;
  totalScore: number;
}

function guard<T>(pluginName: string, fn: () => T): T | Status {
  try {
    return fn();
  } catch (err) {
    return Status.asStatus(err).withPlugin(pluginName);
  }
}

/**
 * Contract: built once per profile by {@link Framework.create}; plugins are instantiated once
 * with their `pluginConfig` args. Run methods never throw for plugin failures: a thrown
 * plugin error becomes an Error status naming the plugin.
 */
export class Framework implements Handle {
  readonly profileName: string;
  readonly client: Client;
  readonly eventRecorder: EventRecorder;
  readonly log: Logger;
  readonly clock: Clock;
  readonly parallelism: number;
  readonly nominator: PodNominator;
  readonly percentageOfNodesToScore: number;
  private readonly plugins = new Map<string, Plugin>();
  private points = {} as Record<ExtensionPoint, Plugin[]>;
  private scoreWeights = new Map<string, number>();
  private readonly waiting: WaitingPods;
  private readonly stopping = new AbortController();

  private constructor(private readonly options: FrameworkOptions) {
    this.profileName = options.profile.schedulerName;
    this.client = options.client;
    this.eventRecorder = options.eventRecorder;
    this.log = options.log.child({ profile: options.profile.schedulerName });
    this.clock = options.clock;
    this.parallelism = options.parallelism ?? 16;
    this.nominator = options.nominator;
    this.percentageOfNodesToScore = options.profile.percentageOfNodesToScore;
    this.waiting = new WaitingPods(options.clock);
  }

  /**
   * Instantiates the profile's plugins. Throws when a configured plugin is not registered
   * (upstream-default plugins that this build lacks are skipped), when args are invalid, or
   * when there is no QueueSort or Bind plugin.
   */
  static async create(options: FrameworkOptions): Promise<Framework> {
    const fw = new Framework(options);
    const { profile, registry } = options;
    const defaultRefs = new Set<object>(DEFAULT_MULTI_POINT);
    const multi = profile.plugins.multiPoint.enabled.filter((p) => {
      if (p.name in registry) return true;
      if (defaultRefs.has(p)) return false;
      throw new Error(`plugin "${p.name}" does not exist`);
    });
    const plugins = { ...profile.plugins, multiPoint: { ...profile.plugins.multiPoint, enabled: multi } };
    const names = new Set([...multi.map((p) => p.name)]);
    for (const [ep, set] of Object.entries(plugins)) {
      if (ep === 'multiPoint') continue;
      for (const p of set.enabled) {
        if (!(p.name in registry)) throw new Error(`${ep} plugin "${p.name}" does not exist`);
        names.add(p.name);
      }
    }
    for (const name of profile.pluginConfig.keys()) {
      if (!(name in registry)) throw new Error(`pluginConfig: plugin "${name}" does not exist`);
    }
    for (const name of names) {
      const plugin = await registry[name]!(profile.pluginConfig.get(name), fw);
      fw.plugins.set(name, plugin);
    }
    const expanded = expandPlugins(plugins, (name, ep) => implementsExtensionPoint(fw.plugins.get(name)!, ep));
    for (const [ep, list] of Object.entries(expanded.points)) {
      fw.points[ep as ExtensionPoint] = list.map((n) => {
        const pl = fw.plugins.get(n);
        if (!pl) throw new Error(`plugin "${n}" does not exist`);
        if (!implementsExtensionPoint(pl, ep as ExtensionPoint)) throw new Error(`plugin "${n}" does not extend ${ep} plugin`);
        return pl;
      });
    }
    fw.scoreWeights = expanded.scoreWeights;
    if (fw.points.queueSort.length !== 1) throw new Error(`one queue sort plugin required for profile with scheduler name "${fw.profileName}"`);
    if (fw.points.bind.length === 0) throw new Error(`at least one bind plugin is needed for profile with scheduler name "${fw.profileName}"`);
    return fw;
  }

  /** Names of the plugins enabled at `ep`, in run order. */
  pluginNames(ep: ExtensionPoint): string[] {
    return this.points[ep].map((p) => p.name);
  }

  /** The score weight of a score plugin. */
  scoreWeight(name: string): number | undefined {
    return this.scoreWeights.get(name);
  }

  /** The instantiated plugin by name. */
  plugin(name: string): Plugin | undefined {
    return this.plugins.get(name);
  }

  queueSortLess(): (a: QueuedPodInfo, b: QueuedPodInfo) => boolean {
    const qs = this.points.queueSort[0] as QueueSortPlugin;
    return (a, b) => qs.less(a, b);
  }

  /** Plugin name → events that may make pods it rejected schedulable. */
  enqueueExtensions(): Map<string, ClusterEventWithHint[]> {
    const out = new Map<string, ClusterEventWithHint[]>();
    for (const pl of this.plugins.values()) if (isEnqueueExtensions(pl)) out.set(pl.name, pl.eventsToRegister());
    return out;
  }

  // ---- Handle ----
  snapshotSharedLister(): SharedLister {
    return this.options.snapshot();
  }

  lister<T extends KubeObject>(coords: ResourceCoordinates): Lister<T> {
    return this.options.lister<T>(coords);
  }

  get stopSignal(): AbortSignal {
    return this.stopping.signal;
  }

  /** Aborts {@link stopSignal}: the scheduler is shutting down (idempotent). */
  stop(): void {
    this.stopping.abort();
  }

  informer<T extends KubeObject>(coords: ResourceCoordinates): SharedInformer<T> {
    if (!this.options.informer) throw new Error(`no informer for ${coords.plural} in this framework`);
    return this.options.informer<T>(coords);
  }

  getWaitingPod(uid: string): WaitingPod | undefined {
    return this.waiting.get(uid);
  }

  iterateOverWaitingPods(fn: (wp: WaitingPod) => void): void {
    this.waiting.forEach(fn);
  }

  rejectWaitingPod(uid: string): boolean {
    const wp = this.waiting.get(uid);
    if (!wp) return false;
    wp.reject('', 'removed');
    return true;
  }

  // ---- extension points ----
  runPreEnqueuePlugins(pod: PodObject): Status {
    for (const pl of this.points.preEnqueue as PreEnqueuePlugin[]) {
      const s = guard(pl.name, () => pl.preEnqueue(pod));
      if (!s.isSuccess()) return s.withPlugin(pl.name);
    }
    return Status.SUCCESS;
  }

  /** PreFilter: the merged node restriction, and the first rejection (with its plugin). */
  runPreFilterPlugins(state: CycleState, pod: PodObject, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status; unschedulablePlugins: Set<string> } {
    let result: PreFilterResult | undefined;
    const unschedulablePlugins = new Set<string>();
    const narrowing: string[] = [];
    for (const pl of this.points.preFilter as PreFilterPlugin[]) {
      const out = guard(pl.name, () => pl.preFilter(state, pod, nodes));
      if (out instanceof Status) return { status: out, unschedulablePlugins };
      const s = out.status;
      if (s.isSkip()) {
        state.skipFilterPlugins.add(pl.name);
        continue;
      }
      if (!s.isSuccess()) {
        if (s.isRejected()) unschedulablePlugins.add(pl.name);
        else return { status: Status.asStatus(new Error(`running PreFilter plugin "${pl.name}": ${s.message()}`)).withPlugin(pl.name), unschedulablePlugins };
        return { status: s.withPlugin(pl.name), unschedulablePlugins };
      }
      if (out.result?.nodeNames) narrowing.push(pl.name);
      result = mergePreFilterResults(result, out.result);
      if (result?.nodeNames && result.nodeNames.size === 0) {
        for (const n of narrowing) unschedulablePlugins.add(n);
        const msg = narrowing.length === 1 ? `node(s) didn't satisfy plugin ${narrowing[0]}` : `node(s) didn't satisfy plugin(s) [${narrowing.join(' ')}] simultaneously`;
        return { result, status: Status.unresolvable(msg), unschedulablePlugins };
      }
    }
    // On success, the plugins that narrowed the node set (upstream returns them for the absent-nodes status).
    for (const n of narrowing) unschedulablePlugins.add(n);
    return { result, status: Status.SUCCESS, unschedulablePlugins };
  }

  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: PodObject, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    for (const pl of this.points.preFilter as PreFilterPlugin[]) {
      const ext = pl.preFilterExtensions?.();
      if (!ext || state.skipFilterPlugins.has(pl.name)) continue;
      const s = guard(pl.name, () => ext.addPod(state, podToSchedule, podInfoToAdd, nodeInfo));
      if (!s.isSuccess()) return Status.asStatus(s.asError()).withPlugin(pl.name);
    }
    return Status.SUCCESS;
  }

  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: PodObject, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    for (const pl of this.points.preFilter as PreFilterPlugin[]) {
      const ext = pl.preFilterExtensions?.();
      if (!ext || state.skipFilterPlugins.has(pl.name)) continue;
      const s = guard(pl.name, () => ext.removePod(state, podToSchedule, podInfoToRemove, nodeInfo));
      if (!s.isSuccess()) return Status.asStatus(s.asError()).withPlugin(pl.name);
    }
    return Status.SUCCESS;
  }

  runFilterPlugins(state: CycleState, pod: PodObject, nodeInfo: NodeInfo): Status {
    const plugins = this.points.filter as FilterPlugin[];
    for (let i = 0; i < plugins.length; i++) {
      const pl = plugins[i]!;
      if (state.skipFilterPlugins.size > 0 && state.skipFilterPlugins.has(pl.name)) continue;
      let s: Status;
      try {
        s = pl.filter(state, pod, nodeInfo);
      } catch (err) {
        s = Status.asStatus(err);
      }
      if (!s.isSuccess()) {
        if (!s.isRejected()) return Status.asStatus(s.asError()).withPlugin(pl.name);
        return s.withPlugin(pl.name);
      }
    }
    return Status.SUCCESS;
  }

  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodObject, nodeInfo: NodeInfo): Status {
    const added = this.addNominatedPods(state, pod, nodeInfo);
    if (added instanceof Status) return added;
    if (added) {
      const s = this.runFilterPlugins(added.state, pod, added.nodeInfo);
      if (!s.isSuccess()) return s;
    }
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  /** Nominated pods of ≥ priority added to clones of state and nodeInfo; undefined when none. */
  private addNominatedPods(state: CycleState, pod: PodObject, nodeInfo: NodeInfo): { state: CycleState; nodeInfo: NodeInfo } | undefined | Status {
    const nominated = this.nominator.nominatedPodsForNode(nodeInfo.nodeName());
    if (nominated.length === 0) return undefined;
    const uid = podUid(pod);
    let out: { state: CycleState; nodeInfo: NodeInfo } | undefined;
    for (const pi of nominated) {
      if (podPriority(pi.pod) < podPriority(pod) || podUid(pi.pod) === uid) continue;
      out ??= { state: state.clone(), nodeInfo: nodeInfo.clone() };
      out.nodeInfo.addPodInfo(pi);
      const s = this.runPreFilterExtensionAddPod(out.state, pod, pi, out.nodeInfo);
      if (!s.isSuccess()) return s;
    }
    return out;
  }

  /** PostFilter: the first success wins; otherwise reasons of all rejections are joined. */
  async runPostFilterPlugins(state: CycleState, pod: PodObject, statuses: NodeToStatus): Promise<PostFilterOutcome> {
    const reasons: string[] = [];
    let rejector = '';
    let result: PostFilterOutcome['result'];
    for (const pl of this.points.postFilter as PostFilterPlugin[]) {
      let out: PostFilterOutcome;
      try {
        out = await pl.postFilter(state, pod, statuses);
      } catch (err) {
        return { status: Status.asStatus(err).withPlugin(pl.name) };
      }
      const s = out.status;
      if (s.isSuccess()) return out;
      if (s.code === Code.UnschedulableAndUnresolvable) return { result: out.result, status: s.withPlugin(pl.name) };
      if (!s.isRejected()) return { status: Status.asStatus(s.asError()).withPlugin(pl.name) };
      if (out.result?.nominatingInfo && out.result.nominatingInfo.mode !== 'Noop') result = out.result;
      reasons.push(...s.reasons);
      rejector ||= pl.name;
    }
    return { result, status: Status.of(Code.Unschedulable, ...reasons).withPlugin(rejector) };
  }

  runPreScorePlugins(state: CycleState, pod: PodObject, nodes: readonly NodeInfo[]): Status {
    for (const pl of this.points.preScore as PreScorePlugin[]) {
      const s = guard(pl.name, () => pl.preScore(state, pod, nodes));
      if (s.isSkip()) {
        state.skipScorePlugins.add(pl.name);
        continue;
      }
      if (!s.isSuccess()) return Status.asStatus(new Error(`running PreScore plugin "${pl.name}": ${s.message()}`)).withPlugin(pl.name);
    }
    return Status.SUCCESS;
  }

  /** Score, normalize and weight every node; returns per-node totals or an Error status. */
  runScorePlugins(state: CycleState, pod: PodObject, nodes: readonly NodeInfo[]): NodePluginScores[] | Status {
    const plugins = (this.points.score as ScorePlugin[]).filter((pl) => !state.skipScorePlugins.has(pl.name));
    const result: NodePluginScores[] = new Array(nodes.length);
    // One score list reused by every plugin (each overwrites every score, then normalizes in place):
    // this runs for hundreds of nodes per pod.
    const scores: NodeScore[] = new Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      const name = nodes[i]!.nodeName();
      result[i] = { name, totalScore: 0 };
      scores[i] = { name, score: 0 };
    }
    for (const pl of plugins) {
      for (let i = 0; i < nodes.length; i++) {
        try {
          scores[i]!.score = pl.score(state, pod, nodes[i]!);
        } catch (err) {
          return Status.asStatus(err).withPlugin(pl.name);
        }
      }
      const ext = pl.scoreExtensions?.();
      if (ext) {
        const s = guard(pl.name, () => ext.normalizeScore(state, pod, scores));
        if (!s.isSuccess()) return Status.asStatus(s.asError()).withPlugin(pl.name);
      }
      const weight = this.scoreWeights.get(pl.name) ?? 1;
      for (let i = 0; i < scores.length; i++) {
        const score = scores[i]!.score;
        if (score > MAX_NODE_SCORE || score < MIN_NODE_SCORE) {
          return Status.asStatus(new Error(`plugin "${pl.name}" returns an invalid score ${score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`)).withPlugin(pl.name);
        }
        result[i]!.totalScore += score * weight;
      }
    }
    return result;
  }

  async runReservePluginsReserve(state: CycleState, pod: PodObject, nodeName: string): Promise<Status> {
    for (const pl of this.points.reserve as ReservePlugin[]) {
      let s: Status;
      try {
        s = await pl.reserve(state, pod, nodeName);
      } catch (err) {
        s = Status.asStatus(err);
      }
      if (!s.isSuccess()) return (s.isRejected() ? s : Status.asStatus(s.asError())).withPlugin(pl.name);
    }
    return Status.SUCCESS;
  }

  /** Unreserve in reverse order; failures are logged, never returned. */
  async runReservePluginsUnreserve(state: CycleState, pod: PodObject, nodeName: string): Promise<void> {
    const list = [...(this.points.reserve as ReservePlugin[])].reverse();
    for (const pl of list) {
      try {
        await pl.unreserve(state, pod, nodeName);
      } catch (err) {
        this.log.error({ err, plugin: pl.name }, 'unreserve failed');
      }
    }
  }

  /**
   * Permit: a rejection returns at once; Wait registers the pod as waiting (resolve it with
   * {@link waitOnPermit}).
   */
  runPermitPlugins(state: CycleState, pod: PodObject, nodeName: string): Status {
    const timeouts = new Map<string, number>();
    for (const pl of this.points.permit as PermitPlugin[]) {
      const out = guard(pl.name, () => pl.permit(state, pod, nodeName));
      if (out instanceof Status) return out;
      const s = out.status;
      if (s.isWait()) {
        timeouts.set(pl.name, Math.min(out.timeoutMs ?? 0, 15 * 60_000));
        continue;
      }
      if (!s.isSuccess()) return (s.isRejected() ? s : Status.asStatus(s.asError())).withPlugin(pl.name);
    }
    if (timeouts.size > 0) {
      this.pendingPermits.set(podUid(pod), this.waiting.add(pod, timeouts));
      return Status.of(Code.Wait, 'one or more plugins asked to wait and no plugin rejected pod').withPlugin('');
    }
    return Status.SUCCESS;
  }

  private readonly pendingPermits = new Map<string, Promise<Status>>();

  /** Resolves when a waiting pod is allowed (Success) or rejected; Success when it was not waiting. */
  async waitOnPermit(pod: PodObject): Promise<Status> {
    const uid = podUid(pod);
    const p = this.pendingPermits.get(uid);
    if (!p) return Status.SUCCESS;
    try {
      return await p;
    } finally {
      this.pendingPermits.delete(uid);
    }
  }

  async runPreBindPlugins(state: CycleState, pod: PodObject, nodeName: string): Promise<Status> {
    for (const pl of this.points.preBind as PreBindPlugin[]) {
      let s: Status;
      try {
        s = await pl.preBind(state, pod, nodeName);
      } catch (err) {
        s = Status.asStatus(err);
      }
      if (s.isSkip()) continue;
      if (!s.isSuccess()) return (s.isRejected() ? s : Status.asStatus(new Error(`running PreBind plugin "${pl.name}": ${s.message()}`))).withPlugin(pl.name);
    }
    return Status.SUCCESS;
  }

  async runBindPlugins(state: CycleState, pod: PodObject, nodeName: string): Promise<Status> {
    let last: Status = Status.skip();
    for (const pl of this.points.bind as BindPlugin[]) {
      try {
        last = await pl.bind(state, pod, nodeName);
      } catch (err) {
        last = Status.asStatus(err);
      }
      if (last.isSkip()) continue;
      if (!last.isSuccess()) return (last.isRejected() ? last : Status.asStatus(new Error(`running Bind plugin "${pl.name}": ${last.message()}`))).withPlugin(pl.name);
      return last;
    }
    return last;
  }

  runPostBindPlugins(state: CycleState, pod: PodObject, nodeName: string): void {
    for (const pl of this.points.postBind as PostBindPlugin[]) {
      try {
        pl.postBind(state, pod, nodeName);
      } catch (err) {
        this.log.error({ err, plugin: pl.name }, 'postBind failed');
      }
    }
  }
}
