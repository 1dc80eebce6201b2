/**
 * The I/O edge of one pod's sync (upstream `SyncPod` / `SyncTerminatingPod`): executes the
 * actions `computePodActions` decided — sandbox, volumes, then each container's start
 * ({@link startContainer}: image pulls with `imagePullPolicy`, init and app containers) —
 * records Events with the kubelet's reasons and messages, and writes the pod status when it
 * changed ({@link PodStatusWriter}). Terminating pods are stopped with their grace period and
 * then confirmed deleted (DELETE with grace 0 and a uid precondition), never before their
 * containers stopped. One call per pod at a time (the pod workers guarantee it).
 */
import type { Logger } from 'pino';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Client } from '../../pkg/client/index.ts';
import { isConflict, isNotFound } from '../../pkg/errors/index.ts';
import type { EventRecorder } from '../../pkg/runtime/index.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import type { PodSandboxConfig } from '../cri/types.ts';
import { podStillRuns, type ContainerRuntime, type RuntimePod } from '../runtime/types.ts';
import { computePodActions } from './actions.ts';
import { killPod } from './kill-pod.ts';
import { podIPOf } from './pod-ip.ts';
import { PodResizeManager } from './resize-manager.ts';
import { AllocationCheckpoint, allocationCheckpointPath } from './allocation-checkpoint.ts';
import { Backoff } from './backoff.ts';
import { ImagePuller } from './image-puller.ts';
import { startContainer, type ContainerStartDeps } from './container-start.ts';
import { readPodObjects, volumeSourcesOf, type DownwardFacts, type PodObjects } from './pod-objects.ts';
import { podSandboxConfig, type DnsSettings } from './sandbox-config.ts';
import { readOnlyVolumes, VolumeError } from '../volumes/content.ts';
import { planPodVolumes } from '../volumes/claims.ts';
import { fetchClaimVolumes } from '../volumes/claim-fetch.ts';
import { VolumeManager } from '../volumes/volume-manager.ts';
import { ProbeManager } from '../probes/probe-manager.ts';
import type { Waiting } from './status.ts';
import { isTerminalPodPhase } from '../../pkg/api/core/v1/pod-status.ts';
import { PodStatusWriter, statusTargetOf, type StatusTarget } from './status-writer.ts';
import { isStaticPod } from './static-pods.ts';
import { deletionGraceSeconds, podGraceSeconds } from './grace-period.ts';
import { TokenManager } from '../token/token-manager.ts';
import { apiTokenGetter } from '../token/api-token-getter.ts';
import { fetchPodTokens } from '../volumes/pod-tokens.ts';
import { apiRuntimeHandlerLookup, type RuntimeHandlerLookup } from './runtime-handler.ts';
import type { KubeletMetrics } from '../metrics/kubelet-metrics.ts';
import type { ProberMetrics } from '../metrics/prober-metrics.ts';

/** What the syncer needs from the node. */
export interface PodSyncDeps {
  runtime: ContainerRuntime;
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  nodeName: string;
  hostIP(): string;
  logRoot: string;
  /** Where pod directories (volumes) live: `<rootDir>/pods/<uid>`. */
  rootDir: string;
  dns: DnsSettings;
  nodeAllocatable(): Record<string, string>;
  /** Asks for another sync of the pod (probe results changed). */
  requestSync(uid: string): void;
  /** Service-account tokens for projected volumes (default: one over `client`). */
  tokens?: TokenManager;
  /** RuntimeClass name → CRI runtime handler (default: a GET through `client` per sandbox). */
  runtimeHandlers?: RuntimeHandlerLookup;
  /** Counts sandbox and container starts and pod start durations; unset = not counted. */
  metrics?: Pick<KubeletMetrics, 'podStarting' | 'podStartFailed' | 'containerStarting' | 'containerStartFailed' | 'podStartDuration'>;
  /** Counts probe runs; unset = not counted. */
  proberMetrics?: ProberMetrics;
  /** The pods admitted to this node and not finished (in-place resizes are granted against them); unset = none. */
  activePods?(): readonly Pod[];
  /** Checkpoint the granted resources under `rootDir` (default true). */
  checkpointAllocations?: boolean;
}


/** Syncs pods against the runtime; holds back-off and waiting state per pod UID. */
export class PodSyncer {
  private readonly restarts: Backoff;
  private readonly images: ImagePuller;
  private readonly waiting = new Map<string, Map<string, Waiting>>();
  private readonly statuses: PodStatusWriter;
  private readonly starts: ContainerStartDeps;

  private readonly volumes: VolumeManager;
  private readonly probes: ProbeManager;
  private readonly runtimeHandlers: RuntimeHandlerLookup;
  private readonly resizes: PodResizeManager;
  /** The pods' service-account tokens (upstream kubelet `tokenManager`). */
  readonly tokens: TokenManager;

  constructor(private readonly deps: PodSyncDeps) {
    this.tokens = deps.tokens ?? new TokenManager({ getToken: apiTokenGetter(deps.client), clock: deps.clock, log: deps.log.child({ component: 'token-manager' }) });
    this.restarts = new Backoff(deps.clock);
    this.images = new ImagePuller({ runtime: deps.runtime, clock: deps.clock, event: (pod, type, reason, message) => this.event(pod, type, reason, message) });
    this.runtimeHandlers = deps.runtimeHandlers ?? apiRuntimeHandlerLookup(deps.client);
    this.volumes = new VolumeManager(deps.rootDir);
    this.statuses = new PodStatusWriter({
      client: deps.client,
      clock: deps.clock,
      hostIP: () => deps.hostIP(),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      sources: (pod, runtime, now, previousConditions) => ({
        waiting: this.waiting.get(pod.metadata.uid as string) ?? new Map(),
        readiness: this.probes.readiness(pod),
        started: (name) => this.probes.started(pod, name),
        ...this.resizes.statusInput(pod, runtime, now, previousConditions),
      }),
    });
    this.resizes = new PodResizeManager({
      allocatable: () => deps.nodeAllocatable(),
      activePods: () => deps.activePods?.() ?? [],
      ...(deps.checkpointAllocations !== false ? { checkpoint: new AllocationCheckpoint(allocationCheckpointPath(deps.rootDir), deps.log) } : {}),
      runtime: deps.runtime,
      log: deps.log,
    });
    this.probes = new ProbeManager({
      runtime: deps.runtime,
      clock: deps.clock,
      hostIP: () => deps.hostIP(),
      log: deps.log.child({ component: 'prober' }),
      onChange: (uid) => deps.requestSync(uid),
      event: (pod, type, reason, message) => this.event(pod, type, reason, message),
      ...(deps.proberMetrics ? { metrics: deps.proberMetrics } : {}),
      onUnhealthy: (pod, container, containerId, kind) => {
        this.event(pod, 'Normal', 'Killing', `Container ${container.name} failed ${kind} probe, will be restarted`);
        void deps.runtime
          .stopContainer(containerId, podGraceSeconds(pod))
          .catch((err) => deps.log.warn({ err }, 'stopping an unhealthy container failed'))
          .finally(() => deps.requestSync(pod.metadata.uid as string));
      },
    });
    this.starts = {
      runtime: deps.runtime,
      images: this.images,
      rootDir: deps.rootDir,
      clusterDomain: deps.dns.clusterDomain,
      podDir: (uid) => this.volumes.podDir(uid),
      downward: (podIP) => this.downward(podIP),
      asStarted: (uid, container) => this.resizes.asStarted(uid, container),
      restarted: (uid, name) => this.restarts.next(`${uid}/${name}`),
      event: (pod, type, reason, message) => this.event(pod, type, reason, message),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
    };
  }

  /** Forgets the resize grants of pods not in `uids` (the pods this node has now). */
  retainAllocations(uids: ReadonlySet<string>): void {
    this.resizes.retain(uids);
  }

  /** The pod with the resources this node granted it (its spec's before its first sync). */
  asAllocated(pod: Pod): Pod {
    return this.resizes.asAllocated(pod);
  }

  /** The other active pods with the resources this node granted them: the room they hold. */
  othersAsAllocated(uid: string): Pod[] {
    return this.resizes.othersAsAllocated(uid);
  }

  /**
   * One sync of a live (not terminating) or terminating pod. `statusTarget` names the API pod
   * that receives the status when it is not `pod` itself (the mirror of a static pod).
   */
  async sync(pod: Pod, runtime: RuntimePod | undefined, statusTarget?: StatusTarget, options: SyncOptions = {}): Promise<void> {
    const uid = pod.metadata.uid as string;
    this.statuses.seen(uid);
    if (pod.metadata.deletionTimestamp) {
      await this.terminate(pod, runtime);
      return;
    }
    if (isTerminalPodPhase(pod.status?.phase)) {
      await this.syncTerminal(pod, runtime, statusTarget, options.graceSeconds ?? podGraceSeconds(pod));
      return;
    }
    // Upstream's SyncPod generates the status first: a pod that is over by what the runtime shows
    // now (a `Never` pod's container exited, or was lost with the runtime's state) starts nothing;
    // its final status is written and the next sync tears it down. Only a pod that does not always
    // restart can be over that way (getPhase keeps an `Always` pod Running), so the others, most
    // pods, skip generating the status twice per sync.
    const mayEnd = (pod.spec?.restartPolicy ?? 'Always') !== 'Always';
    if (mayEnd && isTerminalPodPhase(this.statuses.generate(pod, runtime, statusTarget).status.phase)) {
      await this.statuses.write(pod, runtime, statusTarget);
      return;
    }
    const waiting = new Map<string, Waiting>();
    const resize = this.resizes.plan(pod, runtime);
    const actions = computePodActions(pod, runtime, (name, finishedAt) => this.restarts.waitSince(`${uid}/${name}`, finishedAt), (name) => this.probes.started(pod, name), resize.restarts);
    for (const [name, message] of actions.crashLoop) {
      waiting.set(name, { reason: 'CrashLoopBackOff', message });
      this.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${uid})`);
    }
    const { runtime: rt } = this.deps;
    let sandboxId = actions.sandbox?.id;
    const sandboxConfigOf = (attempt: number): PodSandboxConfig => podSandboxConfig(pod, { attempt, logRoot: this.deps.logRoot, dns: this.deps.dns, rootDir: this.deps.rootDir });
    let sandboxConfig = sandboxConfigOf(actions.createSandbox?.attempt ?? actions.sandbox?.attempt ?? 0);
    if (actions.killPod) {
      if (runtime?.sandboxes.length) this.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      await this.killAll(pod, runtime, podGraceSeconds(pod));
    }
    for (const k of actions.kill) {
      this.event(pod, 'Normal', 'Killing', k.message ?? `${k.reason}, will be restarted`);
      await rt.stopContainer(k.container.id, podGraceSeconds(pod));
    }
    if (!actions.killPod) await this.resizes.applyInPlace(uid, resize.inPlace);
    for (const sidecar of actions.stop) {
      this.event(pod, 'Normal', 'Killing', `Stopping container ${sidecar.name}`);
      await rt.stopContainer(sidecar.id, podGraceSeconds(pod));
    }
    if (actions.createSandbox) {
      sandboxConfig = sandboxConfigOf(actions.createSandbox.attempt);
      this.deps.metrics?.podStarting();
      // Upstream writes the pod's status before it creates the sandbox: `kubectl get pods -w`
      // shows the pod ContainerCreating (or Init:0/1) while its sandbox and containers start.
      this.waiting.set(uid, waiting);
      const before = actions.killPod ? await this.podRuntime(uid) : runtime;
      await this.statuses.write(pod, before, statusTarget).catch((e) => this.deps.log.warn({ err: e }, 'writing the status of a starting pod failed'));
      try {
        sandboxId = await rt.runSandbox(sandboxConfig, await this.runtimeHandlers.lookup(pod.spec?.runtimeClassName));
      } catch (err) {
        this.deps.metrics?.podStartFailed();
        // The failure is an event (the status says ContainerCreating), and the next sync tries again.
        this.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(err as Error).message}`);
        throw err;
      }
    }
    if (sandboxId) {
      const fresh = await this.podRuntime(uid);
      const ip = podIPOf(pod, fresh?.sandboxes.find((s) => s.id === sandboxId)?.ip, this.deps.hostIP());
      const objects = await readPodObjects(this.deps.client, pod, actions.start.length > 0);
      const volumes = await this.setUpVolumes(pod, objects, ip);
      if (volumes) {
        for (const start of actions.start) await startContainer(this.starts, pod, start, { sandboxId, sandboxConfig, ip, objects, runtime: fresh, ...volumes, waiting });
      }
    }
    this.waiting.set(uid, waiting);
    const after = await this.podRuntime(uid);
    this.probes.sync(pod, after);
    await this.statuses.write(pod, after, statusTarget);
  }

  /**
   * Sets up (or refreshes: every sync rewrites file volumes atomically, so a refreshed token or
   * an edited ConfigMap appears at once) the pod's volumes; undefined after a FailedMount event,
   * and the next sync tries again.
   */
  private async setUpVolumes(pod: Pod, objects: PodObjects, podIP: string): Promise<{ volumeDirs: Map<string, string>; readOnly: Set<string> } | undefined> {
    try {
      const tokens = await fetchPodTokens(pod, (ns, account, request) => this.tokens.getServiceAccountToken(ns, account, request));
      const claims = await fetchClaimVolumes(this.deps.client, pod);
      const plans = planPodVolumes(pod, volumeSourcesOf(objects, this.downward(podIP), tokens), claims);
      const volumeDirs = await this.volumes.setUp(pod.metadata.uid as string, plans, pod.spec?.securityContext?.fsGroup);
      return { volumeDirs, readOnly: readOnlyVolumes(plans) };
    } catch (err) {
      if (!(err instanceof VolumeError)) throw err;
      this.event(pod, 'Warning', 'FailedMount', err.message);
      return undefined;
    }
  }

  /** The downward API's node and pod facts. */
  private downward(podIP: string): DownwardFacts {
    return { podIP, podIPs: podIP ? [podIP] : [], hostIP: this.deps.hostIP(), nodeName: this.deps.nodeName, nodeAllocatable: this.deps.nodeAllocatable() };
  }

  private killAll(pod: Pod, runtime: RuntimePod | undefined, graceSeconds: number): Promise<void> {
    return killPod(pod, runtime, graceSeconds, { runtime: this.deps.runtime, clock: this.deps.clock, hostIP: this.deps.hostIP(), event: (type, reason, message) => this.event(pod, type, reason, message) });
  }

  /**
   * A pod whose phase is final (it finished, was evicted or rejected): nothing starts again;
   * whatever still runs is stopped within `graceSeconds`, then the final status is written.
   */
  private async syncTerminal(pod: Pod, runtime: RuntimePod | undefined, statusTarget: StatusTarget | undefined, graceSeconds: number): Promise<void> {
    const uid = pod.metadata.uid as string;
    this.probes.stopPod(uid);
    const running = podStillRuns(runtime);
    if (running) await this.killAll(pod, runtime, graceSeconds);
    await this.statuses.write(pod, running ? await this.podRuntime(uid) : runtime, statusTarget);
  }

  /**
   * Graceful stop, the final status (Succeeded when every container exited 0, else Failed: upstream
   * writes it before deleting, so finalizers' owners — a Job counting failures — see how the pod
   * ended), then removal from the runtime, then the API deletion is confirmed.
   */
  async terminate(pod: Pod, runtime: RuntimePod | undefined): Promise<void> {
    const grace = deletionGraceSeconds(pod);
    const uid = pod.metadata.uid as string;
    this.probes.stopPod(uid);
    await this.killAll(pod, runtime, grace);
    const stopped = await this.podRuntime(uid);
    // Static pods keep their phase, as upstream's (its TODO #116484).
    if (!isStaticPod(pod)) await this.statuses.write(pod, stopped, statusTargetOf(pod), true);
    await this.removeAll(stopped);
    await this.volumes.tearDown(uid);
    this.forget(uid);
    try {
      await this.deps.client.pods.inNamespace(pod.metadata.namespace ?? 'default').delete(pod.metadata.name as string, { gracePeriodSeconds: 0, preconditions: { uid } });
      this.deps.log.info({ pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, 'pod deletion confirmed');
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  /** Stops and removes what the runtime holds for a pod the API no longer has. */
  async cleanupOrphan(runtime: RuntimePod): Promise<void> {
    this.probes.stopPod(runtime.uid);
    for (const c of runtime.containers) if (c.state === 'running' || c.state === 'created') await this.deps.runtime.stopContainer(c.id, 0);
    for (const s of runtime.sandboxes) if (s.state === 'ready') await this.deps.runtime.stopSandbox(s.id);
    await this.removeAll(runtime);
    await this.volumes.tearDown(runtime.uid);
    this.forget(runtime.uid);
  }

  /** Forgets a pod that is gone with nothing left in the runtime (its tokens, back-offs, statuses). */
  podRemoved(uid: string): void {
    this.forget(uid);
  }

  /** The kubelet is stopping: every probe worker stops (the pods' containers keep running). */
  stop(): void {
    this.probes.stopAll();
  }

  private async removeAll(runtime: RuntimePod | undefined): Promise<void> {
    for (const c of runtime?.containers ?? []) await this.deps.runtime.removeContainer(c.id).catch(() => undefined);
    for (const s of runtime?.sandboxes ?? []) await this.deps.runtime.removeSandbox(s.id).catch(() => undefined);
  }

  private forget(uid: string): void {
    this.tokens.deleteServiceAccountToken(uid);
    this.waiting.delete(uid);
    this.statuses.forget(uid);
    this.restarts.forget(`${uid}/`);
    this.images.forgetPod(uid);
    this.resizes.forget(uid);
  }

  private async podRuntime(uid: string): Promise<RuntimePod | undefined> {
    return this.deps.runtime.getPod(uid);
  }

  private event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, type, reason, message);
  }
}

/** Options of one {@link PodSyncer.sync}. */
export interface SyncOptions {
  /** The grace period to stop a pod in a final phase with (an eviction's); default the pod's. */
  graceSeconds?: number;
}
