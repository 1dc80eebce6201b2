/**
 * The kubelet's own metrics behind `GET /metrics` (upstream pkg/kubelet/metrics/metrics.go, with
 * its names, HELP texts — prefixed with the stability level as component-base prints them —
 * label names and buckets), in one prom-client registry per kubelet. Each is recorded where its
 * event happens: the PLEG relist ({@link KubeletMetrics.relisted}), the pod sync (sandbox and
 * container starts, pod start duration), every CRI call (the CRI client's observer), the eviction
 * manager (an eviction). Plus prom-client's default process metrics when asked for.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CriError, goCodeName } from '../cri/client.ts';
import type { RuntimePod } from '../runtime/types.ts';

/** Upstream's `container_type` label values. */
export type ContainerType = 'container' | 'init_container' | 'ephemeral_container';

/** Upstream `podStartupDurationBuckets` (seconds). */
export const POD_STARTUP_BUCKETS = [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600];

/** Upstream's runtime operation buckets, `ExponentialBuckets(.005, 2.5, 14)`. */
export const RUNTIME_OPERATION_BUCKETS = Array.from({ length: 14 }, (_, i) => Number((0.005 * 2.5 ** i).toPrecision(12)));

/** How many pods have a ready sandbox, and containers per state, in one relist. */
export interface RunningCounts {
  pods: number;
  containers: Record<string, number>;
}

/**
 * Upstream `updateRunningPodAndContainerMetrics`: a pod counts once when one of its sandboxes is
 * ready; every container counts under its state (`created`, `running`, `exited`, `unknown`). Pure.
 */
export function runningCounts(pods: readonly RuntimePod[]): RunningCounts {
  const containers: Record<string, number> = {};
  let running = 0;
  for (const pod of pods) {
    for (const c of pod.containers) containers[c.state] = (containers[c.state] ?? 0) + 1;
    if (pod.sandboxes.some((s) => s.state === 'ready')) running++;
  }
  return { pods: running, containers };
}

/**
 * Upstream's `operation_type` of a CRI method (instrumented_services.go): snake case, with
 * "PodSandbox" as one word — `RunPodSandbox` → `run_podsandbox`, `ListContainerStats` →
 * `list_container_stats`, `ImageFsInfo` → `image_fs_info`. Pure.
 */
export function criOperationType(method: string): string {
  return method.replace(/PodSandbox/g, 'Podsandbox').replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();
}

/** The `code` label of a failed container start: the gRPC status name (`status.Code(err).String()`), `Unknown` for other errors. */
export function startErrorCode(err: unknown): string {
  return err instanceof CriError ? goCodeName(err.code) : 'Unknown';
}

const alpha = (help: string) => `[ALPHA] ${help}`;

/** Options of {@link KubeletMetrics}. */
export interface KubeletMetricsOptions {
  nodeName: string;
  /** Add prom-client's process and Node.js metrics (one kubelet per process; off for hollow nodes). */
  defaultMetrics?: boolean;
}

/**
 * Contract: one instance per kubelet, its `registry` is the `/metrics` body; recording never
 * throws. Gauges of running pods and containers hold the last relist's counts (absent before it).
 */
export class KubeletMetrics {
  readonly registry = new Registry();
  private readonly runningPods: Gauge;
  private readonly runningContainers: Gauge<'container_state'>;
  private readonly startedPods: Counter;
  private readonly startedPodsErrors: Counter;
  private readonly startedContainers: Counter<'container_type'>;
  private readonly startedContainersErrors: Counter<'container_type' | 'code'>;
  private readonly podStart: Histogram;
  private readonly runtimeOps: Counter<'operation_type'>;
  private readonly runtimeOpErrors: Counter<'operation_type'>;
  private readonly runtimeOpDuration: Histogram<'operation_type'>;
  private readonly evictions: Counter<'eviction_signal'>;

  constructor(options: KubeletMetricsOptions) {
    const registers = [this.registry];
    new Gauge({ name: 'kubelet_node_name', help: alpha("The node's name. The count is always 1."), labelNames: ['node'], registers }).set({ node: options.nodeName }, 1);
    this.runningPods = new Gauge({ name: 'kubelet_running_pods', help: alpha('Number of pods that have a running pod sandbox'), registers });
    this.runningContainers = new Gauge({ name: 'kubelet_running_containers', help: alpha('Number of containers currently running'), labelNames: ['container_state'], registers });
    this.startedPods = new Counter({ name: 'kubelet_started_pods_total', help: alpha('Cumulative number of pods started'), registers });
    this.startedPodsErrors = new Counter({ name: 'kubelet_started_pods_errors_total', help: alpha('Cumulative number of errors when starting pods'), registers });
    this.startedContainers = new Counter({ name: 'kubelet_started_containers_total', help: alpha('Cumulative number of containers started'), labelNames: ['container_type'], registers });
    this.startedContainersErrors = new Counter({ name: 'kubelet_started_containers_errors_total', help: alpha('Cumulative number of errors when starting containers'), labelNames: ['container_type', 'code'], registers });
    this.podStart = new Histogram({ name: 'kubelet_pod_start_duration_seconds', help: alpha('Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run'), buckets: POD_STARTUP_BUCKETS, registers });
    this.runtimeOps = new Counter({ name: 'kubelet_runtime_operations_total', help: alpha('Cumulative number of runtime operations by operation type.'), labelNames: ['operation_type'], registers });
    this.runtimeOpErrors = new Counter({ name: 'kubelet_runtime_operations_errors_total', help: alpha('Cumulative number of runtime operation errors by operation type.'), labelNames: ['operation_type'], registers });
    this.runtimeOpDuration = new Histogram({ name: 'kubelet_runtime_operations_duration_seconds', help: alpha('Duration in seconds of runtime operations. Broken down by operation type.'), labelNames: ['operation_type'], buckets: RUNTIME_OPERATION_BUCKETS, registers });
    this.evictions = new Counter({ name: 'kubelet_evictions', help: alpha('Cumulative number of pod evictions by eviction signal'), labelNames: ['eviction_signal'], registers });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** A PLEG relist saw `pods` in the runtime. */
  relisted(pods: readonly RuntimePod[]): void {
    const counts = runningCounts(pods);
    this.runningPods.set(counts.pods);
    // Unlike upstream, a state no container is in any longer drops to absent instead of keeping its last count.
    this.runningContainers.reset();
    for (const [state, n] of Object.entries(counts.containers)) this.runningContainers.set({ container_state: state }, n);
  }

  /** A pod sandbox is about to be created (upstream counts the attempt). */
  podStarting(): void {
    this.startedPods.inc();
  }

  /** Creating the sandbox counted by {@link podStarting} failed. */
  podStartFailed(): void {
    this.startedPodsErrors.inc();
  }

  /** A container is about to be created and started. */
  containerStarting(type: ContainerType): void {
    this.startedContainers.inc({ container_type: type });
  }

  /** Creating or starting a container failed with the gRPC status `code` (Go's name, e.g. `Unknown`). */
  containerStartFailed(type: ContainerType, code: string): void {
    this.startedContainersErrors.inc({ container_type: type, code });
  }

  /** A pod reached Running `seconds` after this kubelet first saw it. */
  podStartDuration(seconds: number): void {
    this.podStart.observe(seconds);
  }

  /** One CRI call (`method` as the CRI names it, e.g. `ListContainers`) took `seconds`. */
  readonly runtimeOperation = (method: string, seconds: number, failed: boolean): void => {
    const labels = { operation_type: criOperationType(method) };
    this.runtimeOps.inc(labels);
    this.runtimeOpDuration.observe(labels, seconds);
    if (failed) this.runtimeOpErrors.inc(labels);
  };

  /** A pod was evicted for `signal` (e.g. `memory.available`). */
  evicted(signal: string): void {
    this.evictions.inc({ eviction_signal: signal });
  }
}
