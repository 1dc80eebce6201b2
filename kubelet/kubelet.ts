/**
 * The kubelet: the node agent (registration, status, lease), pods bound to this node and its
 * static pods ({@link PodSources}), one serialized worker per pod UID, and the PLEG — a relist of the
 * runtime every `relistMs` (1 s) that wakes the workers of pods whose containers changed and
 * cleans up what belongs to pods the API no longer has. A periodic resync (10 s) re-syncs
 * every pod so missed events heal. Housekeeping (10 s) samples container and node usage for the
 * API's `/stats/summary`, `/metrics/resource` and `/metrics/cadvisor`; the kubelet's own metrics
 * and the prober's are served at `/metrics` and `/metrics/probes`. With `eviction` configured, the eviction
 * manager (10 s) reports the node's pressure conditions, admits new pods against them and evicts
 * pods when a threshold is met; the pod's worker carries out what it decided ({@link PodFates}).
 * With `gc` configured, dead containers, sandboxes and pod log directories are collected every
 * minute and unused images every 5 minutes ({@link NodeGarbageCollection}), and disk pressure
 * reclaims through them before it evicts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { EventSink, type EventRecorder } from '../pkg/runtime/index.ts';
import { runEvery } from '../pkg/util/periodic.ts';
import { renderCniConflist } from './containerd/cni.ts';
import { nodeAllocatable } from './node/node-status.ts';
import { NodeAgent } from './node/node-agent.ts';
import { PodSyncer } from './pods/pod-sync.ts';
import { PodWorkers } from './pods/pod-workers.ts';
import { RelistTracker } from './pleg/relist.ts';
import { PodSources } from './pods/pod-sources.ts';
import { statusTargetOf } from './pods/status-writer.ts';
import { startKubeletServer, type KubeletServer } from './server/server.ts';
import { podStillRuns } from './runtime/types.ts';
import { StatsCollector } from './stats/collector.ts';
import { nodeBootTimeMs, procNodeUsage, type NodeUsageSource } from './stats/node-usage.ts';
import { copyJson } from '../pkg/util/json-copy.ts';
import type { PodCondition } from '../pkg/api/core/v1/pod-status.ts';
import { rfc3339 } from '../pkg/util/time.ts';
import { EvictionManager, type EvictionManagerOptions, type EvictionRequest } from './eviction/manager.ts';
import { rejectedStatusMessage } from './eviction/messages.ts';
import { canAdmitPod } from './pods/pod-admission.ts';
import { DEADLINE_EXCEEDED_MESSAGE, DEADLINE_EXCEEDED_REASON, pastActiveDeadline } from './pods/active-deadline.ts';
import { appArmorEnabledOnHost } from './node/apparmor-host.ts';
import { insufficientResource } from './pods/resource-fit.ts';
import { podUsageOf } from './eviction/pod-usage.ts';
import { measurePodStorage } from './eviction/pod-storage.ts';
import { VolumeManager } from './volumes/volume-manager.ts';
import { containerLogDirectory } from './pods/sandbox-config.ts';
import { fsReading, machineReadings } from './eviction/readings.ts';
import { DEFAULT_HARD_THRESHOLDS, hardEvictionReserve } from './eviction/thresholds.ts';
import { PodFates } from './pods/pod-fates.ts';
import { NodeGarbageCollection, type GcConfig, type NodeGcOptions } from './gc/node-gc.ts';
import type { KubeletOptions } from './kubelet-options.ts';
import { gcPodState } from './gc/pod-state.ts';
import { KubeletMetrics } from './metrics/kubelet-metrics.ts';
import { ProberMetrics } from './metrics/prober-metrics.ts';
import { renderCadvisorMetrics, type MachineFacts } from './stats/cadvisor-metrics.ts';

/** Runs until the signal aborts. */
export class Kubelet {
  readonly agent: NodeAgent;
  /** The pods bound to this node and its static pods. */
  private readonly pods: PodSources;
  private readonly workers: PodWorkers;
  private readonly syncer: PodSyncer;
  /** The node's allocatable resources (capacity minus the hard eviction thresholds). */
  private readonly allocatable: () => Record<string, string>;
  private readonly events: EventSink;
  /** Records the kubelet's events (component `kubelet`). */
  private readonly recorder: EventRecorder;
  private readonly pleg = new RelistTracker();
  private server: KubeletServer | undefined;
  private readonly stats: StatsCollector;
  /** Node-pressure eviction and its admission check (absent when not configured). */
  readonly eviction: EvictionManager | undefined;
  /** Which pods this kubelet admitted, rejected or evicted. */
  private readonly fates = new PodFates();
  /** Container and image garbage collection (absent when not configured). */
  readonly gc: NodeGarbageCollection | undefined;

  private readonly logRoot: string;
  /** `/metrics`: what the kubelet counts. */
  readonly metrics: KubeletMetrics;
  /** `/metrics/probes`: probe results. */
  private readonly proberMetrics = new ProberMetrics();
  /** The machine facts behind cAdvisor's `machine_*` metrics. */
  private readonly machine: MachineFacts;
  /** Whether this host enforces AppArmor (asked once, as upstream's kubelet). */
  private readonly appArmorEnabled: boolean;

  constructor(private readonly options: KubeletOptions) {
    const { client, clock, log, nodeName } = options;
    this.logRoot = join(options.rootDir, 'pods-logs');
    this.appArmorEnabled = options.appArmorEnabled ?? appArmorEnabledOnHost();
    this.metrics = options.metrics ?? new KubeletMetrics({ nodeName });
    const { facts } = options;
    this.machine = { cpuCores: facts.cpus, memoryBytes: facts.memoryBytes, bootID: facts.bootID, machineID: facts.machineID, systemUUID: facts.systemUUID, atMs: clock.now() };
    this.events = new EventSink({ client, clock, log: log.child({ component: 'events' }), host: nodeName });
    this.recorder = this.events.recorder('kubelet');
    const nodeUsageSource = options.nodeUsage ?? procNodeUsage({ now: () => clock.now() });
    // Hard thresholds hold their amount back from allocatable; without eviction, upstream's default ones do.
    const evictionReserve = hardEvictionReserve(options.eviction?.thresholds ?? DEFAULT_HARD_THRESHOLDS, options.facts);
    this.allocatable = () => nodeAllocatable(options.facts, evictionReserve);
    // Upstream's node reference carries the node name as its UID.
    const nodeEvent = (type: 'Normal' | 'Warning', reason: string, message: string) => this.recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, uid: nodeName } }, type, reason, message);
    this.agent = new NodeAgent({
      client,
      heartbeatClient: options.heartbeatClient,
      runtime: options.runtime,
      clock,
      log: log.child({ component: 'node' }),
      nodeName,
      facts: options.facts,
      labels: options.labels,
      taints: options.taints,
      statusIntervalMs: options.statusIntervalMs,
      kubeletPort: () => this.server?.port ?? options.serverAddress?.port ?? 10250,
      onPodCidr: (cidr) => this.applyPodCidr(cidr),
      pressure: () => this.eviction?.conditions() ?? [],
      evictionReserve,
      // Without eviction the conditions never move: hollow nodes skip the NodeHasSufficient… events
      // upstream records at every kubelet's first status (thousands of nodes, three events each).
      ...(options.eviction ? { nodeEvent } : {}),
    });
    this.syncer = new PodSyncer({
      runtime: options.runtime,
      client,
      recorder: this.recorder,
      clock,
      log: log.child({ component: 'pod-sync' }),
      nodeName,
      hostIP: () => options.facts.internalIP,
      logRoot: this.logRoot,
      rootDir: options.rootDir,
      dns: options.dns,
      nodeAllocatable: this.allocatable,
      requestSync: (uid) => this.workers.enqueue(uid),
      tokens: options.tokens,
      metrics: this.metrics,
      proberMetrics: this.proberMetrics,
      activePods: () => this.activePods(),
      checkpointAllocations: options.checkpointAllocations,
    });
    this.stats = new StatsCollector({
      runtime: options.runtime,
      node: nodeUsageSource,
      nodeName,
      nodeStartMs: nodeBootTimeMs(clock.now(), uptime()),
      log: log.child({ component: 'stats' }),
    });
    this.workers = new PodWorkers((uid) => this.syncPod(uid), log.child({ component: 'pod-workers' }));
    this.pods = new PodSources({ client, clock, log, nodeName, manifestDir: options.podManifestPath, changed: (uid) => this.workers.enqueue(uid) });
    this.gc = options.gc && this.garbageCollection(options.gc, nodeEvent);
    this.eviction = options.eviction && this.evictionManager(options.eviction, nodeUsageSource, nodeEvent);
  }

  private async applyPodCidr(cidr: string): Promise<void> {
    this.options.log.info({ podCIDR: cidr }, 'using pod CIDR');
    if (this.options.cniConfDir) {
      await mkdir(this.options.cniConfDir, { recursive: true });
      await writeFile(join(this.options.cniConfDir, '10-k8ts.conflist'), renderCniConflist({ podCidr: cidr }));
    }
    await this.options.runtime.setPodCidr(cidr).catch((err) => this.options.log.warn({ err }, 'UpdateRuntimeConfig failed'));
  }

  private async syncPod(uid: string): Promise<void> {
    const started = this.fates.syncing(uid);
    try {
      await this.syncPodOnce(uid);
    } catch (err) {
      this.fates.synced(uid, started, err);
      throw err;
    }
    this.fates.synced(uid, started);
  }

  private async syncPodOnce(uid: string): Promise<void> {
    const pod = this.pods.byUid(uid);
    const runtime = await this.options.runtime.getPod(uid);
    if (!pod) {
      this.fates.forget(uid);
      if (runtime) await this.syncer.cleanupOrphan(runtime);
      else this.syncer.podRemoved(uid);
      return;
    }
    if (!pod.metadata.deletionTimestamp) this.admit(pod);
    // Past its deadline before this sync (a kubelet restart): fail it now, start nothing.
    this.failPastDeadline(pod);
    const fate = this.fates.get(uid);
    const options = fate?.graceSeconds !== undefined ? { graceSeconds: fate.graceSeconds } : {};
    if (this.pods.staticPods.has(uid)) {
      const mirror = await this.pods.staticPods.ensureMirror(pod);
      await this.syncer.sync(this.fates.overlay(copyJson({ ...pod, status: mirror.status ?? {} }) as Pod), runtime, statusTargetOf(mirror), options);
      return;
    }
    await this.syncer.sync(this.fates.overlay(copyJson(pod)), runtime, undefined, options);
  }

  /**
   * The kubelet's admission of a pod it has not decided on yet ({@link canAdmitPod}): a refused
   * pod fails with the verdict's reason (`OutOfcpu`, …) and `Pod was rejected: <message>`, and an
   * event of that reason; it never starts.
   */
  private admit(pod: Pod): void {
    const uid = pod.metadata.uid as string;
    if (!this.fates.undecided(pod)) return;
    const verdict = canAdmitPod(pod, {
      pressure: this.eviction?.admit(pod),
      // A pod this node granted resources before (a restart) is admitted with them, not a pending resize's.
      lacking: () => insufficientResource(this.syncer.asAllocated(pod), this.syncer.othersAsAllocated(uid), this.allocatable()),
      appArmorEnabled: this.appArmorEnabled,
    });
    if (verdict.admit) {
      this.fates.admit(uid);
      return;
    }
    this.options.log.info({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, reason: verdict.reason, message: verdict.message }, 'failed to admit pod');
    this.podEvent(pod, 'Warning', verdict.reason, verdict.message);
    this.fates.fail(uid, { reason: verdict.reason, message: rejectedStatusMessage(verdict.message) });
  }

  /** Garbage collection over this kubelet's runtime, pods and log directory. */
  private garbageCollection(config: GcConfig, nodeEvent: NodeGcOptions['nodeEvent']): NodeGarbageCollection {
    const { clock, log, rootDir, runtime } = this.options;
    const imageFsDir = this.options.eviction?.imageFsDir ?? rootDir;
    return new NodeGarbageCollection({
      config,
      runtime,
      logRoot: this.logRoot,
      // An evicted pod's fate carries the eviction's grace period; a pod rejected at admission has none.
      podState: (uid) => gcPodState({ pod: this.pods.byUid(uid), fate: this.fates.get(uid) && { evicted: this.fates.get(uid)?.graceSeconds !== undefined } }),
      allSourcesReady: () => this.pods.allReady(),
      imageFs: () => fsReading(imageFsDir),
      nodeEvent,
      clock,
      log: log.child({ component: 'gc' }),
    });
  }

  /** The eviction manager over this kubelet's pods, stats and pod workers. */
  private evictionManager(config: NonNullable<KubeletOptions['eviction']>, nodeUsage: NodeUsageSource, nodeEvent: EvictionManagerOptions['nodeEvent']): EvictionManager {
    const { clock, log, rootDir, runtime } = this.options;
    const volumes = new VolumeManager(rootDir);
    return new EvictionManager({
      config,
      readings: config.readings ?? machineReadings({ now: () => clock.now(), nodeUsage, rootDir, imageFsDir: config.imageFsDir }),
      activePods: () => this.activePods(),
      usage: () => podUsageOf(this.stats.view(this.pods.running())),
      storageUsage: (pods) =>
        measurePodStorage(pods, {
          writableLayerBytes: (uid, container) => this.stats.writableLayerBytes(uid, container),
          emptyDirPath: (uid, name) => volumes.emptyDirPath(uid, name),
          containerLogDir: (pod, container) => containerLogDirectory(this.logRoot, pod, container),
        }),
      evictPod: (pod, request) => this.evictPod(pod, request),
      podCleanedUp: async (pod) => !podStillRuns(await runtime.getPod(pod.metadata.uid as string)),
      podEvent: (pod, type, reason, message) => this.podEvent(pod, type, reason, message),
      ...(this.gc ? { nodeReclaim: { dedicatedImageFs: config.imageFsDir !== undefined, reclaim: () => (this.gc as NodeGarbageCollection).reclaim() } } : {}),
      nodeEvent,
      metrics: this.metrics,
      clock,
      log: log.child({ component: 'eviction' }),
    });
  }

  /** An event about a pod, from the kubelet. */
  private podEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, type, reason, message);
  }

  /** Pods admitted and not in a final phase (upstream `GetActivePods`): the eviction candidates. */
  private activePods(): Pod[] {
    return this.pods.local().filter((p) => this.fates.active(p));
  }

  /**
   * Upstream `killPodFunc` for the eviction manager: the pod's worker stops its containers within
   * the request's grace period and writes phase Failed with its reason, message and condition;
   * resolves once that sync finished.
   */
  private evictPod(pod: Pod, request: EvictionRequest): Promise<void> {
    const uid = pod.metadata.uid as string;
    const condition: PodCondition | undefined = request.condition && { ...request.condition, lastProbeTime: null as unknown as undefined, lastTransitionTime: rfc3339(this.options.clock.now()) };
    this.fates.fail(uid, { reason: request.reason, message: request.message, ...(condition ? { condition } : {}), graceSeconds: request.graceSeconds });
    const synced = this.fates.waitForSync(uid);
    this.workers.enqueue(uid);
    return synced;
  }

  /**
   * Upstream's activeDeadlineHandler: an active pod past its `activeDeadlineSeconds` fails with
   * reason `DeadlineExceeded` (and a Normal event of that reason) and its worker stops it.
   */
  private enforceActiveDeadlines(): void {
    for (const pod of this.activePods()) if (this.failPastDeadline(pod)) this.workers.enqueue(pod.metadata.uid as string);
  }

  /** Gives an active pod past its deadline its DeadlineExceeded fate; whether it did. */
  private failPastDeadline(pod: Pod): boolean {
    if (!this.fates.active(pod) || !pastActiveDeadline(pod, this.options.clock.now())) return false;
    this.podEvent(pod, 'Normal', DEADLINE_EXCEEDED_REASON, DEADLINE_EXCEEDED_MESSAGE);
    this.fates.fail(pod.metadata.uid as string, { reason: DEADLINE_EXCEEDED_REASON, message: DEADLINE_EXCEEDED_MESSAGE });
    return true;
  }

  /** One PLEG relist: wake pods whose runtime state changed, and known pods whose runtime state went. */
  async relist(): Promise<void> {
    const pods = await this.options.runtime.listPods();
    this.metrics.relisted(pods);
    const { changed, gone } = this.pleg.next(pods);
    for (const uid of changed) this.workers.enqueue(uid);
    for (const uid of gone) if (this.pods.byUid(uid)) this.workers.enqueue(uid);
  }

  async run(signal: AbortSignal): Promise<void> {
    const { clock, log } = this.options;
    if (this.options.podCidr) await this.applyPodCidr(this.options.podCidr);
    this.server = await startKubeletServer(
      {
        log: log.child({ component: 'server' }),
        runtime: this.options.runtime,
        logRoot: this.logRoot,
        pod: (namespace, name) => this.pods.apiPod(namespace, name),
        pods: () => this.pods.apiPods(),
        stats: () => this.stats.view(this.pods.running()),
        metrics: {
          kubelet: () => this.metrics.registry.metrics(),
          cadvisor: () => renderCadvisorMetrics({ view: this.stats.view(this.pods.running()), machine: this.machine, nowMs: clock.now() }),
          probes: () => this.proberMetrics.registry.metrics(),
        },
      },
      this.options.serverAddress ?? { host: '0.0.0.0', port: 10250 },
      this.options.serverTls,
      this.options.serverAuth,
    );
    const agent = this.agent.run(signal);
    // The pressure conditions are known before the first pod is admitted.
    await this.eviction?.synchronize().catch((err: unknown) => log.error({ err }, 'eviction manager failed to synchronize'));
    this.pods.start(signal);
    await this.pods.waitForSync(signal);
    const every = (name: string, intervalMs: number, fn: () => Promise<void> | void) => runEvery({ name, intervalMs, clock, signal, log }, fn);
    await Promise.all([
      agent,
      every('relist', this.options.relistMs ?? 1000, () => this.relist()),
      every('active deadlines', this.options.activeDeadlineCheckMs ?? 1000, () => this.enforceActiveDeadlines()),
      every('resync', this.options.resyncMs ?? 10_000, () => {
        for (const p of this.pods.local()) this.workers.enqueue(p.metadata.uid as string);
      }),
      every('housekeeping', this.options.housekeepingMs ?? 10_000, () => {
        // Upstream RemoveOrphanedPods: grants of pods deleted while this kubelet was down go.
        if (this.pods.staticPods.ready) this.syncer.retainAllocations(new Set(this.pods.local().map((p) => p.metadata.uid as string)));
        return this.stats.sample();
      }),
      this.eviction?.run(signal),
      this.gc?.run(signal),
      every('static pods', this.options.staticPodCheckMs ?? 20_000, () => this.pods.staticPods.refresh()),
      // Upstream token manager's gcPeriod: expired service-account tokens leave the cache.
      every('token cleanup', 60_000, () => this.syncer.tokens.cleanup()),
    ]);
    this.workers.stop();
    await this.workers.idle();
    this.syncer.stop();
    this.fates.rejectAll(new Error('kubelet stopped'));
    await this.server.close();
    await this.pods.shutdown();
    await this.events.flush();
  }
}
