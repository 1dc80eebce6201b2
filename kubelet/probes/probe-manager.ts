/**
 * Probe workers (upstream `prober.Manager`): one loop per running container and probe kind,
 * honouring initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold and
 * failureThreshold. Startup gates liveness and readiness; readiness starts false, liveness and
 * startup failures past the threshold stop the container (the pod sync restarts it per
 * restartPolicy). Results change → the pod is synced again; failures emit `Unhealthy` Events.
 */
import type { Logger } from 'pino';
import { isRestartableInitContainer, type Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import { pause } from '../../pkg/util/periodic.ts';
import { latestContainer } from '../pods/actions.ts';
import { podIPOf } from '../pods/pod-ip.ts';
import type { ContainerRuntime, RuntimePod } from '../runtime/types.ts';
import { runProbe, type ProbeAction } from './prober.ts';
import type { ProberMetrics, ProbeLabels, ProbeType } from '../metrics/prober-metrics.ts';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

const TITLE: Record<ProbeKind, ProbeType> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

type ProbeSpec = ProbeAction & { initialDelaySeconds?: number; timeoutSeconds?: number; periodSeconds?: number; successThreshold?: number; failureThreshold?: number };

/** What the manager calls back. */
export interface ProbeManagerDeps {
  runtime: ContainerRuntime;
  clock: Clock;
  log: Logger;
  /** A probe result changed for the pod: sync it again. */
  onChange(uid: string): void;
  /** Liveness/startup failed past the threshold: the container must be restarted. */
  onUnhealthy(pod: Pod, container: Container, containerId: string, kind: ProbeKind): void;
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The node's IP: what a host-network pod's probes target. */
  hostIP(): string;
  /** Counts every probe run (`prober_probe_total`); unset = not counted. */
  metrics?: ProberMetrics;
}

interface Worker {
  containerId: string;
  stop: AbortController;
  result: boolean;
}

/** Contract: `sync` reconciles workers with the pod's running containers; `ready`/`started` read results. */
export class ProbeManager {
  private readonly workers = new Map<string, Worker>();
  /** The metric labels of every probe that ran, by worker key: kept across container restarts, dropped with the pod. */
  private readonly counted = new Map<string, ProbeLabels>();

  constructor(private readonly deps: ProbeManagerDeps) {}

  private key(uid: string, name: string, kind: ProbeKind): string {
    return `${uid}/${name}/${kind}`;
  }

  /** Readiness per container name (app containers and sidecars) for the pod (absent = no readiness probe). */
  readiness(pod: Pod): Map<string, boolean> {
    const uid = pod.metadata.uid as string;
    const out = new Map<string, boolean>();
    for (const c of probedContainers(pod)) {
      const name = c.name ?? '';
      if (c.startupProbe && !(this.workers.get(this.key(uid, name, 'startup'))?.result ?? false)) out.set(name, false);
      else if (c.readinessProbe) out.set(name, this.workers.get(this.key(uid, name, 'readiness'))?.result ?? false);
    }
    return out;
  }

  /** Whether the running container `name` passed its startup probe (true without one). */
  started(pod: Pod, name: string): boolean {
    const spec = probedContainers(pod).find((c) => c.name === name);
    if (!spec?.startupProbe) return true;
    return this.workers.get(this.key(pod.metadata.uid as string, name, 'startup'))?.result ?? false;
  }

  /** Starts workers for running containers with probes; stops workers of containers that changed or stopped. */
  sync(pod: Pod, runtime: RuntimePod | undefined): void {
    const uid = pod.metadata.uid as string;
    const sandbox = runtime?.sandboxes[0];
    const wanted = new Set<string>();
    for (const c of probedContainers(pod)) {
      const latest = latestContainer(runtime, sandbox?.id, c.name ?? '');
      if (!latest || latest.state !== 'running' || pod.metadata.deletionTimestamp) continue;
      for (const kind of ['startup', 'liveness', 'readiness'] as const) {
        const spec = (kind === 'startup' ? c.startupProbe : kind === 'liveness' ? c.livenessProbe : c.readinessProbe) as ProbeSpec | undefined;
        if (!spec) continue;
        const key = this.key(uid, c.name ?? '', kind);
        wanted.add(key);
        if (this.workers.get(key)?.containerId === latest.id) continue;
        this.stopWorker(key);
        this.startWorker(pod, c, latest.id, latest.startedAtMs || this.deps.clock.now(), kind, spec, podIPOf(pod, sandbox?.ip, this.deps.hostIP()));
      }
    }
    for (const key of [...this.workers.keys()]) if (key.startsWith(`${uid}/`) && !wanted.has(key)) this.stopWorker(key);
  }

  /** Stops every worker of the pod. */
  stopPod(uid: string): void {
    for (const key of [...this.workers.keys()]) if (key.startsWith(`${uid}/`)) this.stopWorker(key);
    for (const [key, labels] of this.counted) {
      if (!key.startsWith(`${uid}/`)) continue;
      this.deps.metrics?.forget(labels);
      this.counted.delete(key);
    }
  }

  /** Stops every worker (the kubelet is stopping: no probe may run, or record an event, after it). */
  stopAll(): void {
    for (const key of [...this.workers.keys()]) this.stopWorker(key);
  }

  private stopWorker(key: string): void {
    this.workers.get(key)?.stop.abort();
    this.workers.delete(key);
  }

  private startWorker(pod: Pod, container: Container, containerId: string, startedAtMs: number, kind: ProbeKind, spec: ProbeSpec, podIP: string): void {
    const key = this.key(pod.metadata.uid as string, container.name ?? '', kind);
    const worker: Worker = { containerId, stop: new AbortController(), result: kind === 'liveness' };
    this.workers.set(key, worker);
    void this.loop(pod, container, containerId, startedAtMs, kind, spec, podIP, worker).catch((err) => this.deps.log.warn({ err, key }, 'probe worker failed'));
  }

  private async loop(pod: Pod, container: Container, containerId: string, startedAtMs: number, kind: ProbeKind, spec: ProbeSpec, podIP: string, worker: Worker): Promise<void> {
    const { clock } = this.deps;
    const signal = worker.stop.signal;
    const uid = pod.metadata.uid as string;
    const period = (spec.periodSeconds ?? 10) * 1000;
    const successThreshold = spec.successThreshold ?? 1;
    const failureThreshold = spec.failureThreshold ?? 3;
    const delay = Math.max(0, startedAtMs + (spec.initialDelaySeconds ?? 0) * 1000 - clock.now());
    if (!(await pause(clock, delay, signal))) return;
    let successes = 0;
    let failures = 0;
    while (!signal.aborted) {
      const gated = kind !== 'startup' && container.startupProbe && !(this.workers.get(this.key(uid, container.name ?? '', 'startup'))?.result ?? false);
      if (!gated) {
        const outcome = await runProbe(spec, { runtime: this.deps.runtime, containerId, container, podIP, timeoutSeconds: spec.timeoutSeconds ?? 1 });
        if (signal.aborted) return;
        this.count(pod, container, kind, outcome.success);
        if (outcome.success) {
          failures = 0;
          successes++;
          if (!worker.result && successes >= successThreshold) {
            worker.result = true;
            this.deps.onChange(uid);
            if (kind === 'startup') return; // startup probes stop once they succeed
          }
        } else {
          successes = 0;
          failures++;
          this.deps.event(pod, 'Warning', 'Unhealthy', `${TITLE[kind]} probe failed: ${outcome.output.trim()}`);
          if (failures >= failureThreshold) {
            if (kind === 'readiness') {
              if (worker.result) {
                worker.result = false;
                this.deps.onChange(uid);
              }
            } else {
              this.deps.onUnhealthy(pod, container, containerId, kind);
              return;
            }
          }
        }
      }
      if (!(await pause(clock, period, signal))) return;
    }
  }

  private count(pod: Pod, container: Container, kind: ProbeKind, success: boolean): void {
    const { metrics } = this.deps;
    if (!metrics) return;
    const uid = pod.metadata.uid as string;
    const key = this.key(uid, container.name ?? '', kind);
    let labels = this.counted.get(key);
    if (!labels) {
      labels = { probeType: TITLE[kind], container: container.name ?? '', pod: pod.metadata.name as string, namespace: pod.metadata.namespace ?? 'default', podUid: uid };
      this.counted.set(key, labels);
    }
    metrics.probed(labels, success);
  }
}

/** The containers probes run for: sidecars (restartable init containers) and app containers. */
function probedContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []).filter(isRestartableInitContainer), ...(pod.spec?.containers ?? [])];
}
