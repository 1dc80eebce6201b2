/**
 * The kubelet: the node agent (registration, status, lease), pods bound to this node from a
 * field-selected informer, one serialized worker per pod UID, and the PLEG — a relist of the
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
import type { Logger } from 'pino';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES, type Client } from '../pkg/client/index.ts';
import { deletedObject, SharedInformerFactory, type SharedInformer } from '../pkg/informer/index.ts';
import { EventSink, type EventRecorder } from '../pkg/runtime/index.ts';
import type { Clock } from '../pkg/workqueue/index.ts';
import { runEvery } from '../pkg/util/periodic.ts';
import { renderCniConflist } from './containerd/cni.ts';
import { nodeAllocatable, type HostFacts } from './node/node-status.ts';
import { NodeAgent } from './node/node-agent.ts';
import { PodSyncer } from './pods/pod-sync.ts';
import { PodWorkers } from './pods/pod-workers.ts';
import { RelistTracker } from './pleg/relist.ts';
import { CONFIG_MIRROR, isMirrorPod } from './pods/static-pods.ts';
import { StaticPodSource } from './pods/static-pod-source.ts';
import { startKubeletServer, type KubeletServer, type KubeletServerTls } from './server/server.ts';
import type { KubeletApiAuth } from './server/auth.ts';
import type { DnsSettings } from './pods/sandbox-config.ts';
import { podStillRuns, type ContainerRuntime } from './runtime/types.ts';
import type { TokenManager } from './token/token-manager.ts';
import { StatsCollector, type RunningPodRef } from './stats/collector.ts';
import { nodeBootTimeMs, procNodeUsage, type NodeUsageSource } from './stats/node-usage.ts';
import { copyJson } from '../pkg/util/json-copy.ts';
import type { PodCondition } from '../pkg/api/core/v1/pod-status.ts';
import { rfc3339 } from '../pkg/util/time.ts';
import { EvictionManager, type EvictionConfig, type EvictionManagerOptions, type EvictionRequest } from './eviction/manager.ts';
import { rejectedStatusMessage } from './eviction/messages.ts';
import { isCriticalPod, type AdmitResult } from './eviction/admission.ts';
import { insufficientResource, insufficientResourceMessage } from './pods/resource-fit.ts';
import type { PodUsage, UsageOf } from './eviction/rank.ts';
import { fsReading, machineReadings, type NodeReadingsSource } from './eviction/readings.ts';
import { DEFAULT_HARD_THRESHOLDS, hardEvictionReserve } from './eviction/thresholds.ts';
import { PodFates } from './pods/pod-fates.ts';
import { NodeGarbageCollection, type GcConfig, type NodeGcOptions } from './gc/node-gc.ts';
import { gcPodState } from './gc/pod-state.ts';
import { KubeletMetrics } from './metrics/kubelet-metrics.ts';
import { ProberMetrics } from './metrics/prober-metrics.ts';
import { renderCadvisorMetrics, type MachineFacts } from './stats/cadvisor-metrics.ts';

/** Options of {@link Kubelet}. */
export interface KubeletOptions {
  client: Client;
  /** The node status and Lease heartbeats' own client (see {@link NodeAgentOptions.heartbeatClient}); default `client`. */
  heartbeatClient?: Client;
  runtime: ContainerRuntime;
  clock: Clock;
  log: Logger;
  nodeName: string;
  facts: HostFacts;
  rootDir: string;
  dns: DnsSettings;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  /** Write a CNI bridge conflist for the node's pod CIDR here (k8ts extension; unset = leave CNI alone). */
  cniConfDir?: string;
  /** Pod CIDR to use before/without the Node's spec.podCIDR (`--pod-cidr`). */
  podCidr?: string;
  /** Serve the kubelet API here (default 0.0.0.0:10250; port 0 = any free port). */
  serverAddress?: { host: string; port: number };
  /** Serve the kubelet API over HTTPS with this certificate and key (PEM); unset = plain HTTP. */
  serverTls?: KubeletServerTls;
  /** Who may call the kubelet API (see {@link KubeletApiAuth}); unset = anyone, for anything. */
  serverAuth?: KubeletApiAuth;
  /** Run static pods from manifests in this directory (`--pod-manifest-path`). */
  podManifestPath?: string;
  /** How often the manifest directory is read (default 20 s, upstream's file check frequency). */
  staticPodCheckMs?: number;
  relistMs?: number;
  resyncMs?: number;
  /** Service-account tokens for projected volumes (default: a token manager over `client`'s TokenRequest). */
  tokens?: TokenManager;
  statusIntervalMs?: number;
  /** How often container and node usage is sampled (`--housekeeping-interval`, default 10 s as cadvisor's). */
  housekeepingMs?: number;
  /** Where the node's own CPU and memory come from (default: /proc and the root memory cgroup). */
  nodeUsage?: NodeUsageSource;
  /**
   * Keep the pods' granted resources in `<rootDir>/allocated_pods_state` across restarts (default
   * true; hollow nodes, whose runtime forgets everything on a restart, skip the writes).
   */
  checkpointAllocations?: boolean;
  /**
   * Node-pressure eviction (thresholds, transition period, soft grace); unset = none (no
   * pressure conditions, every pod admitted), as for hollow nodes.
   */
  eviction?: EvictionConfig & {
    /** A directory on containerd's image filesystem, when it may differ from the root directory's. */
    imageFsDir?: string;
    /** Where the readings come from (default: this machine). */
    readings?: NodeReadingsSource;
  };
  /**
   * Container and image garbage collection (policies, periods); unset = none, as for hollow
   * nodes. With eviction also configured, disk signals reclaim through it before evicting.
   */
  gc?: GcConfig;
  /**
   * The kubelet's `/metrics` (shared with the CRI client, which counts runtime operations into it);
   * default: a registry of its own without process metrics.
   */
  metrics?: KubeletMetrics;
}

const UID_INDEX = 'uid';

/** Runs until the signal aborts. */
export class Kubelet {
  readonly agent: NodeAgent;
  private readonly informer: SharedInformer<Pod>;
  private readonly factory: SharedInformerFactory;
  private readonly workers: PodWorkers;
  private readonly syncer: PodSyncer;
  /** The node's allocatable resources (capacity minus the hard eviction thresholds). */
  private readonly allocatable: () => Record<string, string>;
  private readonly events: EventSink;
  /** Records the kubelet's events (component `kubelet`). */
  private readonly recorder: EventRecorder;
  private readonly pleg = new RelistTracker();
  private server: KubeletServer | undefined;
  private readonly staticPods: StaticPodSource;
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

  constructor(private readonly options: KubeletOptions) {
    const { client, clock, log, nodeName } = options;
    this.logRoot = join(options.rootDir, 'pods-logs');
    this.metrics = options.metrics ?? new KubeletMetrics({ nodeName });
    const { facts } = options;
    this.machine = { cpuCores: facts.cpus, memoryBytes: facts.memoryBytes, bootID: facts.bootID, machineID: facts.machineID, systemUUID: facts.systemUUID, atMs: clock.now() };
    this.factory = new SharedInformerFactory(client, { clock, logger: log });
    this.informer = this.factory.forResource<Pod>(BUILTIN_COORDINATES.pods, { fieldSelector: `spec.nodeName=${nodeName}` });
    this.informer.addIndexers({ [UID_INDEX]: (p) => [p.metadata.uid as string] });
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
    this.staticPods = new StaticPodSource({ client, clock, log, nodeName, manifestDir: options.podManifestPath, changed: (uid) => this.workers.enqueue(uid) });
    this.gc = options.gc && this.garbageCollection(options.gc, nodeEvent);
    this.eviction = options.eviction && this.evictionManager(options.eviction, nodeUsageSource, nodeEvent);
    // A mirror pod's events concern its static pod (e.g. a deleted mirror is recreated).
    const uidOf = (p: { metadata: { uid?: string; annotations?: Record<string, string> } }) => (isMirrorPod(p) ? (p.metadata.annotations?.[CONFIG_MIRROR] as string) : (p.metadata.uid as string));
    this.informer.addEventHandler({
      onAdd: (p) => this.workers.enqueue(uidOf(p)),
      onUpdate: (_o, p) => this.workers.enqueue(uidOf(p)),
      // A deleted pod's worker cleans up what is left of it (a terminal pod is deleted at once,
      // without a graceful termination, and its runtime state need not change for the PLEG to see).
      onDelete: (p) => this.workers.enqueue(uidOf(deletedObject(p))),
    });
  }

  private async applyPodCidr(cidr: string): Promise<void> {
    this.options.log.info({ podCIDR: cidr }, 'using pod CIDR');
    if (this.options.cniConfDir) {
      await mkdir(this.options.cniConfDir, { recursive: true });
      await writeFile(join(this.options.cniConfDir, '10-k8ts.conflist'), renderCniConflist({ podCidr: cidr }));
    }
    await this.options.runtime.setPodCidr(cidr).catch((err) => this.options.log.warn({ err }, 'UpdateRuntimeConfig failed'));
  }

  private podByUid(uid: string): Pod | undefined {
    const pod = this.staticPods.get(uid) ?? (this.informer.store().byIndex(UID_INDEX, uid)[0] as Pod | undefined);
    return pod && !isMirrorPod(pod) ? pod : undefined;
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
    const pod = this.podByUid(uid);
    const runtime = await this.options.runtime.getPod(uid);
    if (!pod) {
      this.fates.forget(uid);
      if (runtime) await this.syncer.cleanupOrphan(runtime);
      else this.syncer.podRemoved(uid);
      return;
    }
    if (!pod.metadata.deletionTimestamp) this.admit(pod);
    const fate = this.fates.get(uid);
    const options = fate?.graceSeconds !== undefined ? { graceSeconds: fate.graceSeconds } : {};
    if (this.staticPods.has(uid)) {
      const mirror = await this.staticPods.ensureMirror(pod);
      await this.syncer.sync(this.fates.overlay(copyJson({ ...pod, status: mirror.status ?? {} }) as Pod), runtime, { namespace: mirror.metadata.namespace ?? 'default', name: mirror.metadata.name as string, uid: mirror.metadata.uid as string, resourceVersion: mirror.metadata.resourceVersion }, options);
      return;
    }
    await this.syncer.sync(this.fates.overlay(copyJson(pod)), runtime, undefined, options);
  }

  /**
   * The kubelet's admission of a pod it has not decided on yet (upstream `canAdmitPod`: the
   * eviction manager's handler, then the resource fit — a critical pod is not refused for it): a
   * refused pod fails with the handler's reason (`OutOfcpu`, …) and `Pod was rejected: <message>`,
   * and an event of that reason; it never starts.
   */
  private admit(pod: Pod): void {
    const uid = pod.metadata.uid as string;
    if (!this.fates.undecided(pod)) return;
    const verdict = this.admission(pod);
    if (verdict.admit) {
      this.fates.admit(uid);
      return;
    }
    this.options.log.info({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, reason: verdict.reason, message: verdict.message }, 'failed to admit pod');
    this.podEvent(pod, 'Warning', verdict.reason, verdict.message);
    this.fates.fail(uid, { reason: verdict.reason, message: rejectedStatusMessage(verdict.message) });
  }

  private admission(pod: Pod): AdmitResult {
    const pressure = this.eviction?.admit(pod);
    if ((pressure && !pressure.admit) || isCriticalPod(pod)) return pressure ?? { admit: true };
    // A pod this node granted resources before (a restart) is admitted with them, not a pending resize's.
    const lacking = insufficientResource(this.syncer.asAllocated(pod), this.syncer.othersAsAllocated(pod.metadata.uid as string), this.allocatable());
    return lacking ? { admit: false, reason: `OutOf${lacking.name}`, message: insufficientResourceMessage(lacking) } : { admit: true };
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
      podState: (uid) => gcPodState({ pod: this.podByUid(uid), fate: this.fates.get(uid) && { evicted: this.fates.get(uid)?.graceSeconds !== undefined } }),
      allSourcesReady: () => this.informer.hasSynced() && this.staticPods.ready,
      imageFs: () => fsReading(imageFsDir),
      nodeEvent,
      clock,
      log: log.child({ component: 'gc' }),
    });
  }

  /** The eviction manager over this kubelet's pods, stats and pod workers. */
  private evictionManager(config: NonNullable<KubeletOptions['eviction']>, nodeUsage: NodeUsageSource, nodeEvent: EvictionManagerOptions['nodeEvent']): EvictionManager {
    const { clock, log, rootDir, runtime } = this.options;
    return new EvictionManager({
      config,
      readings: config.readings ?? machineReadings({ now: () => clock.now(), nodeUsage, rootDir, imageFsDir: config.imageFsDir }),
      activePods: () => this.activePods(),
      usage: () => this.podUsage(),
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
    return this.localPods().filter((p) => this.fates.active(p));
  }

  /** Each pod's last sampled memory working set, whole and per container. */
  private podUsage(): UsageOf {
    const view = this.stats.view(this.runningPods());
    const byUid = new Map<string, PodUsage>();
    for (const p of view?.pods ?? []) {
      byUid.set(p.ref.uid, { memoryBytes: p.memory?.workingSetBytes, containers: p.containers.map((c) => ({ name: c.name, memoryBytes: c.memory?.workingSetBytes })) });
    }
    return (pod) => byUid.get(pod.metadata.uid as string);
  }

  /**
   * Upstream `killPodFunc` for the eviction manager: the pod's worker stops its containers within
   * the request's grace period and writes phase Failed with its reason, message and condition;
   * resolves once that sync finished.
   */
  private evictPod(pod: Pod, request: EvictionRequest): Promise<void> {
    const uid = pod.metadata.uid as string;
    const condition: PodCondition = { ...request.condition, lastProbeTime: null as unknown as undefined, lastTransitionTime: rfc3339(this.options.clock.now()) };
    this.fates.fail(uid, { reason: request.reason, message: request.message, condition, graceSeconds: request.graceSeconds });
    const synced = this.fates.waitForSync(uid);
    this.workers.enqueue(uid);
    return synced;
  }

  /** The pods this kubelet runs: API pods bound to it (not mirrors) and static pods. */
  private localPods(): Pod[] {
    const api = (this.informer.store().list() as Pod[]).filter((p) => !isMirrorPod(p));
    return [...api, ...this.staticPods.list()];
  }

  /** {@link localPods} as the usage view names them. */
  private runningPods(): RunningPodRef[] {
    return this.localPods().map((p) => ({ uid: p.metadata.uid as string, name: p.metadata.name as string, namespace: p.metadata.namespace ?? 'default' }));
  }

  /** One PLEG relist: wake pods whose runtime state changed, and known pods whose runtime state went. */
  async relist(): Promise<void> {
    const pods = await this.options.runtime.listPods();
    this.metrics.relisted(pods);
    const { changed, gone } = this.pleg.next(pods);
    for (const uid of changed) this.workers.enqueue(uid);
    for (const uid of gone) if (this.podByUid(uid)) this.workers.enqueue(uid);
  }

  async run(signal: AbortSignal): Promise<void> {
    const { clock, log } = this.options;
    if (this.options.podCidr) await this.applyPodCidr(this.options.podCidr);
    this.server = await startKubeletServer(
      {
        log: log.child({ component: 'server' }),
        runtime: this.options.runtime,
        logRoot: this.logRoot,
        pod: (namespace, name) => this.informer.store().get(`${namespace}/${name}`) as Pod | undefined,
        pods: () => this.informer.store().list() as Pod[],
        stats: () => this.stats.view(this.runningPods()),
        metrics: {
          kubelet: () => this.metrics.registry.metrics(),
          cadvisor: () => renderCadvisorMetrics({ view: this.stats.view(this.runningPods()), machine: this.machine, nowMs: clock.now() }),
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
    this.factory.start(signal);
    await this.informer.waitForSync(signal);
    const every = (name: string, intervalMs: number, fn: () => Promise<void> | void) => runEvery({ name, intervalMs, clock, signal, log }, fn);
    await Promise.all([
      agent,
      every('relist', this.options.relistMs ?? 1000, () => this.relist()),
      every('resync', this.options.resyncMs ?? 10_000, () => {
        for (const p of this.informer.store().list()) if (!isMirrorPod(p)) this.workers.enqueue(p.metadata.uid as string);
        for (const p of this.staticPods.list()) this.workers.enqueue(p.metadata.uid as string);
      }),
      every('housekeeping', this.options.housekeepingMs ?? 10_000, () => {
        // Upstream RemoveOrphanedPods: grants of pods deleted while this kubelet was down go.
        if (this.staticPods.ready) this.syncer.retainAllocations(new Set(this.localPods().map((p) => p.metadata.uid as string)));
        return this.stats.sample();
      }),
      this.eviction?.run(signal),
      this.gc?.run(signal),
      every('static pods', this.options.staticPodCheckMs ?? 20_000, () => this.staticPods.refresh()),
      // Upstream token manager's gcPeriod: expired service-account tokens leave the cache.
      every('token cleanup', 60_000, () => this.syncer.tokens.cleanup()),
    ]);
    this.workers.stop();
    await this.workers.idle();
    this.fates.rejectAll(new Error('kubelet stopped'));
    await this.server.close();
    await this.factory.shutdown();
    await this.events.flush();
  }
}
