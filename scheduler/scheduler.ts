/**
 * The scheduler process core (upstream scheduler.go + schedule_one.go): informers feed the
 * cache and queue; one scheduling cycle at a time picks a node and assumes the pod; the
 * binding cycle runs asynchronously; failures become a PodScheduled=False condition and a
 * FailedScheduling event.
 */
import { setImmediate } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import type { KubeObject } from '../pkg/api/meta.ts';
import { BUILTIN_COORDINATES, type ResourceCoordinates } from '../pkg/client/index.ts';
import { deletedObject, type Lister } from '../pkg/informer/index.ts';
import type { EventRecorder, Manager } from '../pkg/runtime/index.ts';
import type { TimerHandle } from '../pkg/workqueue/index.ts';
import { BindGate } from './bind-gate.ts';
import { Cache, Snapshot } from './cache/index.ts';
import { nodeHandlers, podHandlers, storageHandlers, type StorageResource } from './event-handlers.ts';
import {
  ASSIGNED_POD_DELETE,
  Code,
  CycleState,
  newPodInfo,
  podKey,
  podUid,
  Status,
  type NominatingInfo,
  type NodeObject,
  type PodObject,
  type QueuedPodInfo,
  type Registry,
  type ResolvedConfiguration,
} from './framework/index.ts';
import { Framework } from './framework/runtime/index.ts';
import { SchedulerMetrics, type AttemptResult } from './metrics.ts';
import { failureStatusPatch, REASON_SCHEDULER_ERROR, REASON_UNSCHEDULABLE, scheduledMessage, truncateMessage } from './pod-status.ts';
import { Nominator, SchedulingQueue, type QueueProfile } from './queue/index.ts';
import { schedulePod, type StartIndex } from './schedule-pod.ts';
import { copyJson } from '../pkg/util/json-copy.ts';

export interface SchedulerOptions {
  manager: Manager;
  config: ResolvedConfiguration;
  registry: Registry;
  log: Logger;
  /** Assumed-pod TTL after binding finished (default 15 min). */
  assumedPodTtlMs?: number;
}

interface Profile {
  fwk: Framework;
  recorder: EventRecorder;
}

const asPodObject = (pod: PodObject): KubeObject => ({ ...(pod as KubeObject), apiVersion: 'v1', kind: 'Pod' });

/**
 * Contract: {@link Scheduler.create} builds every profile's framework (throwing on bad
 * configuration), registers the pod and node informer handlers on the manager and adds the
 * scheduling loop as a leader-elected runnable. Only one scheduling cycle runs at a time;
 * a pod is bound at most once by this process.
 */
export class Scheduler {
  readonly cache: Cache;
  readonly queue: SchedulingQueue;
  readonly snapshot = new Snapshot();
  readonly metrics: SchedulerMetrics;
  private readonly profiles = new Map<string, Profile>();
  private readonly nextStart: StartIndex = { value: 0 };
  /** Binding cycles and status writes in flight (awaited on shutdown). */
  private readonly bindings = new Set<Promise<void>>();
  /** Binding cycles writing to the API server; the loop waits while too many are. */
  private readonly binds = new BindGate();
  private readonly podLister: Lister<Pod>;
  private readonly log: Logger;

  private constructor(
    private readonly options: SchedulerOptions,
    profiles: Map<string, Profile>,
    nominator: Nominator,
  ) {
    const { manager, config } = options;
    this.log = options.log;
    this.profiles = profiles;
    this.cache = new Cache({ clock: manager.clock, log: this.log.child({ component: 'cache' }), assumedPodTtlMs: options.assumedPodTtlMs });
    const first = [...profiles.values()][0]!.fwk;
    const queueProfiles = new Map<string, QueueProfile>();
    for (const [name, p] of profiles) queueProfiles.set(name, { preEnqueue: (pod) => p.fwk.runPreEnqueuePlugins(pod), enqueueExtensions: p.fwk.enqueueExtensions() });
    this.queue = new SchedulingQueue({
      clock: manager.clock,
      less: first.queueSortLess(),
      profiles: queueProfiles,
      podInitialBackoffMs: config.podInitialBackoffMs,
      podMaxBackoffMs: config.podMaxBackoffMs,
      nominator,
    });
    this.metrics = new SchedulerMetrics(manager.metrics.registry, () => this.queue.counts());
    this.podLister = manager.lister<Pod>(BUILTIN_COORDINATES.pods);
  }

  /** Builds the scheduler on `manager` (call before `manager.start`). */
  static async create(options: SchedulerOptions): Promise<Scheduler> {
    const { manager, config, registry } = options;
    const nominator = new Nominator();
    const profiles = new Map<string, Profile>();
    let scheduler: Scheduler | undefined;
    for (const profile of config.profiles) {
      const recorder = manager.eventRecorder(profile.schedulerName);
      const fwk = await Framework.create({
        profile,
        registry,
        client: manager.client,
        eventRecorder: recorder,
        log: options.log,
        clock: manager.clock,
        nominator,
        parallelism: config.parallelism,
        lister: <T extends KubeObject>(coords: ResourceCoordinates) => manager.lister<T>(coords),
        informer: <T extends KubeObject>(coords: ResourceCoordinates) => manager.informer<T>(coords),
        snapshot: () => scheduler!.snapshot,
      });
      profiles.set(profile.schedulerName, { fwk, recorder });
    }
    const queueSorts = new Set([...profiles.values()].map((p) => p.fwk.pluginNames('queueSort')[0]));
    if (queueSorts.size > 1) throw new Error('different queue sort plugins for profiles are not supported');
    scheduler = new Scheduler(options, profiles, nominator);
    scheduler.register();
    return scheduler;
  }

  /** The framework of a profile. */
  framework(schedulerName: string): Framework | undefined {
    return this.profiles.get(schedulerName)?.fwk;
  }

  private register(): void {
    const { manager } = this.options;
    const pods = podHandlers({
      cache: this.cache,
      queue: this.queue,
      responsibleFor: (pod) => this.profiles.has(pod.spec?.schedulerName || 'default-scheduler'),
      onPodGone: (pod) => {
        for (const p of this.profiles.values()) p.fwk.rejectWaitingPod(podUid(pod));
      },
    });
    manager.informer<Pod>(BUILTIN_COORDINATES.pods).addEventHandler({
      onAdd: (pod) => pods.onAdd(pod),
      onUpdate: (oldPod, newPod) => pods.onUpdate(oldPod, newPod),
      onDelete: (obj) => pods.onDelete(deletedObject(obj)),
    });
    const nodes = nodeHandlers({ cache: this.cache, queue: this.queue });
    manager.informer<KubeObject>(BUILTIN_COORDINATES.nodes).addEventHandler({
      onAdd: (node) => nodes.onAdd(node as NodeObject),
      onUpdate: (oldNode, newNode) => nodes.onUpdate(oldNode as NodeObject, newNode as NodeObject),
      onDelete: (obj) => nodes.onDelete(deletedObject(obj) as NodeObject),
    });
    const storage: [ResourceCoordinates, StorageResource][] = [
      [BUILTIN_COORDINATES.persistentVolumes, 'PersistentVolume'],
      [BUILTIN_COORDINATES.persistentVolumeClaims, 'PersistentVolumeClaim'],
      [BUILTIN_COORDINATES.storageClasses, 'StorageClass'],
    ];
    for (const [coords, resource] of storage) {
      const h = storageHandlers({ queue: this.queue }, resource);
      manager.informer<KubeObject>(coords).addEventHandler({ onAdd: (o) => h.onAdd(o), onUpdate: (a, b) => h.onUpdate(a, b) });
    }
    manager.add({ name: 'scheduler', start: (signal) => this.run(signal) });
  }

  /** The scheduling loop; returns after `signal` aborts and in-flight bindings settle. */
  async run(signal: AbortSignal): Promise<void> {
    const clock = this.options.manager.clock;
    this.queue.run(signal);
    let cleanup: TimerHandle | undefined;
    const scheduleCleanup = () => {
      cleanup = clock.setTimeout(() => {
        if (signal.aborted) return;
        this.cache.cleanupAssumedPods();
        scheduleCleanup();
      }, 1000);
    };
    scheduleCleanup();
    try {
      for (;;) {
        const q = await this.queue.pop(signal);
        if (!q) break;
        try {
          await this.scheduleOne(q);
        } catch (err) {
          this.log.error({ err, pod: podKey(q.podInfo.pod) }, 'scheduling cycle failed');
          this.queue.done(podUid(q.podInfo.pod));
        }
        // While pods wait, pop() and scheduleOne() settle as microtasks: without a turn of the
        // event loop no binding response, watch event or timer is handled until the queue is
        // empty, and the bindings the cycles started pile up unsent (upstream runs scheduleOne in
        // its own goroutine, beside the binding goroutines).
        await setImmediate();
        await this.binds.whenOpen();
      }
    } finally {
      if (cleanup) clock.clearTimeout(cleanup);
      for (const p of this.profiles.values()) p.fwk.stop();
      while (this.bindings.size) await Promise.allSettled([...this.bindings]);
    }
  }

  /** One scheduling cycle for a popped pod; starts its binding cycle on success. */
  async scheduleOne(q: QueuedPodInfo): Promise<void> {
    const pod = q.podInfo.pod;
    const uid = podUid(pod);
    const profile = this.profiles.get(pod.spec?.schedulerName || 'default-scheduler');
    if (!profile || pod.metadata?.deletionTimestamp || this.cache.isAssumedPod(pod)) {
      this.queue.done(uid);
      return;
    }
    const { fwk } = profile;
    const clock = this.options.manager.clock;
    const start = clock.now();
    const state = new CycleState();
    this.cache.updateSnapshot(this.snapshot);
    const outcome = schedulePod(fwk, state, pod, this.snapshot, this.nextStart);
    if (!outcome.ok) {
      let nominating: NominatingInfo | undefined;
      let result: AttemptResult = 'error';
      let reason = REASON_SCHEDULER_ERROR;
      let message = outcome.status.message();
      q.unschedulablePlugins = new Set();
      q.pendingPlugins = new Set();
      if (outcome.fitError) {
        const d = outcome.fitError.diagnosis;
        if (fwk.pluginNames('postFilter').length > 0) {
          const pf = await fwk.runPostFilterPlugins(state, pod, d.nodeToStatus);
          if (pf.status.code === Code.Error) this.log.error({ pod: podKey(pod), err: pf.status.asError() }, 'PostFilter failed');
          else d.postFilterMsg = pf.status.message();
          nominating = pf.result?.nominatingInfo;
          outcome.fitError.refreshMessage();
        }
        result = 'unschedulable';
        reason = REASON_UNSCHEDULABLE;
        message = outcome.fitError.message;
        q.unschedulablePlugins = new Set([...d.unschedulablePlugins].filter(Boolean));
        q.pendingPlugins = new Set([...d.pendingPlugins].filter(Boolean));
      } else this.log.error({ pod: podKey(pod), err: outcome.status.asError() }, 'error scheduling pod; retrying');
      this.metrics.attempt(result, fwk.profileName, (clock.now() - start) / 1000);
      await this.handleFailure(profile, q, reason, message, nominating);
      return;
    }
    const host = outcome.result.suggestedHost;
    const assumed = copyJson(pod) as Pod;
    assumed.spec = { ...(assumed.spec ?? {}), nodeName: host };
    try {
      this.cache.assumePod(assumed);
    } catch (err) {
      await this.failCycle(profile, q, start, Status.asStatus(err));
      return;
    }
    const reserve = await fwk.runReservePluginsReserve(state, assumed, host);
    if (!reserve.isSuccess()) {
      await fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed);
      await this.failCycle(profile, q, start, reserve);
      return;
    }
    const permit = fwk.runPermitPlugins(state, assumed, host);
    if (!permit.isSuccess() && !permit.isWait()) {
      await fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed);
      await this.failCycle(profile, q, start, permit);
      return;
    }
    this.queue.nominator.deleteNominatedPodIfExists(pod);
    this.track(this.bindingCycle(profile, state, q, assumed, host, start).catch((err) => this.log.error({ err, pod: podKey(pod) }, 'binding cycle failed')));
  }

  private async failCycle(profile: Profile, q: QueuedPodInfo, start: number, status: Status): Promise<void> {
    const rejected = status.isRejected();
    q.unschedulablePlugins = rejected && status.plugin ? new Set([status.plugin]) : new Set();
    this.metrics.attempt(rejected ? 'unschedulable' : 'error', profile.fwk.profileName, (this.options.manager.clock.now() - start) / 1000);
    await this.handleFailure(profile, q, rejected ? REASON_UNSCHEDULABLE : REASON_SCHEDULER_ERROR, status.message());
  }

  private async bindingCycle(profile: Profile, state: CycleState, q: QueuedPodInfo, assumed: Pod, host: string, start: number): Promise<void> {
    const { fwk, recorder } = profile;
    const clock = this.options.manager.clock;
    let status = await fwk.waitOnPermit(assumed);
    if (status.isSuccess()) {
      this.binds.enter();
      try {
        status = await fwk.runPreBindPlugins(state, assumed, host);
        if (status.isSuccess()) {
          status = await fwk.runBindPlugins(state, assumed, host);
          if (!status.isSuccess() && !status.isRejected()) status = Status.asStatus(new Error(`binding rejected: ${status.message()}`));
        }
      } finally {
        this.binds.leave();
      }
    }
    if (!status.isSuccess()) {
      await fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed);
      this.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE, assumed, undefined);
      await this.failCycle(profile, q, start, status);
      return;
    }
    this.cache.finishBinding(assumed);
    recorder.event(asPodObject(assumed), 'Normal', 'Scheduled', scheduledMessage(assumed, host));
    fwk.runPostBindPlugins(state, assumed, host);
    const now = clock.now();
    this.metrics.attempt('scheduled', fwk.profileName, (now - start) / 1000);
    this.metrics.podScheduled(q.attempts, (now - (q.initialAttemptTimestamp ?? start)) / 1000);
    this.log.debug({ pod: podKey(assumed), node: host }, 'bound pod');
    this.queue.done(podUid(assumed));
  }

  /** Requeues the pod (unless it is gone or bound), records FailedScheduling and patches PodScheduled=False. */
  private async handleFailure(profile: Profile, q: QueuedPodInfo, reason: string, message: string, nominating?: NominatingInfo): Promise<void> {
    const pod = q.podInfo.pod;
    const uid = podUid(pod);
    const current = this.podLister.get(podKey(pod));
    if (!current || podUid(current) !== uid) {
      this.queue.done(uid);
      return;
    }
    if (current.spec?.nodeName) {
      this.queue.done(uid);
      return;
    }
    this.queue.addUnschedulableIfNotPresent(q);
    if (nominating?.mode === 'Override') this.queue.nominator.addNominatedPod(newPodInfo(current), nominating);
    profile.recorder.event(asPodObject(current), 'Warning', 'FailedScheduling', truncateMessage(message));
    const nominatedNodeName = nominating?.mode === 'Override' ? nominating.nominatedNodeName : undefined;
    const patch = failureStatusPatch(current, { reason, message, nominatedNodeName }, new Date(this.options.manager.clock.now()));
    if (!patch) return;
    // Written off the scheduling loop so many unschedulable pods don't serialize on API latency.
    this.track(
      this.options.manager.client.pods
        .inNamespace(current.metadata!.namespace!)
        .patch(current.metadata!.name!, patch, { type: 'strategic', subresource: 'status' })
        .then(
          () => undefined,
          (err: unknown) => this.log.warn({ err, pod: podKey(pod) }, 'failed to update pod status'),
        ),
    );
  }

  private track(p: Promise<void>): void {
    this.bindings.add(p);
    void p.finally(() => this.bindings.delete(p));
  }
}
