/**
 * The kubelet's pod-level view of a container runtime: what runs for each pod UID, and the
 * few operations the pod sync needs. Implemented over CRI (`cri-runtime.ts`) and in memory
 * (`fake-runtime.ts`, for hollow nodes and tests). Labels identify pods and containers the
 * way upstream's kuberuntime does (`io.kubernetes.pod.uid`, `io.kubernetes.container.name`).
 */
import type { ContainerConfig, LinuxContainerResources, PodSandboxConfig } from '../cri/types.ts';

/** The Linux cgroup values a container runs with (CRI LinuxContainerResources, as numbers). */
export interface ContainerCgroupResources {
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  memoryLimitInBytes?: number;
}

/**
 * The cgroup values of CRI LinuxContainerResources (64-bit fields arrive as strings), zeros
 * dropped (CRI's "unset"); undefined without any.
 */
export function cgroupResources(linux: LinuxContainerResources | null | undefined): ContainerCgroupResources | undefined {
  if (!linux) return undefined;
  const out: ContainerCgroupResources = {};
  for (const key of ['cpuShares', 'cpuQuota', 'cpuPeriod', 'memoryLimitInBytes'] as const) {
    const value = Number(linux[key] ?? 0);
    if (value) out[key] = value;
  }
  return out;
}

/** The user an image runs as (CRI ImageStatus `uid` / `username`); neither = root. */
export interface ImageUser {
  uid?: number;
  username?: string;
}

export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** Annotation holding the hash of the container spec the container was created from. */
export const ANNOTATION_CONTAINER_HASH = 'io.kubernetes.container.hash';
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';
/** Annotations with the container's `terminationMessagePath` and `terminationMessagePolicy` (upstream's names). */
export const ANNOTATION_TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
export const ANNOTATION_TERMINATION_MESSAGE_POLICY = 'io.kubernetes.container.terminationMessagePolicy';

export type SandboxState = 'ready' | 'notready';
export type ContainerRunState = 'created' | 'running' | 'exited' | 'unknown';

/** One sandbox of a pod (newest first in {@link RuntimePod.sandboxes}). */
export interface RuntimeSandbox {
  id: string;
  state: SandboxState;
  attempt: number;
  /** Pod IP, empty with host networking or before CNI answered. */
  ip: string;
  createdAtMs: number;
}

/** One container of a pod (every attempt still present in the runtime). */
export interface RuntimeContainer {
  id: string;
  sandboxId: string;
  name: string;
  state: ContainerRunState;
  attempt: number;
  hash: string;
  restartCount: number;
  image: string;
  imageRef: string;
  createdAtMs: number;
  startedAtMs: number;
  finishedAtMs: number;
  exitCode: number;
  reason: string;
  message: string;
  /** What the runtime reports the container runs with (absent when it reports nothing). */
  resources?: ContainerCgroupResources;
}

/** Everything the runtime holds for one pod UID. */
export interface RuntimePod {
  uid: string;
  name: string;
  namespace: string;
  sandboxes: RuntimeSandbox[];
  containers: RuntimeContainer[];
}

/** Whether anything of the pod still runs: a ready sandbox, or a running or created (startable) container. */
export function podStillRuns(runtime: RuntimePod | undefined): boolean {
  return !!runtime && (runtime.sandboxes.some((s) => s.state === 'ready') || runtime.containers.some((c) => c.state === 'running' || c.state === 'created'));
}

/** An interactive exec (with `command`) or attach (without) to a container. */
export interface StreamRequest {
  kind: 'exec' | 'attach';
  containerId: string;
  command?: string[];
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/**
 * One running container's usage as the runtime measured it, with who it belongs to. Counters are
 * plain numbers: exact up to 2^53 (104 core-days of CPU), then off by a few nanoseconds.
 */
export interface RuntimeContainerStats {
  id: string;
  /** The container's name in the pod spec. */
  name: string;
  /** The image the container was created from, as the runtime names it (CRI `Container.image.image`); absent when unknown. */
  image?: string;
  podUid: string;
  podName: string;
  podNamespace: string;
  /** When the container was created (upstream's container startTime), ms since the epoch (with a sub-ms fraction). */
  createdAtMs: number;
  /** When its pod sandbox was created (upstream's pod startTime), ms; 0 when unknown. */
  sandboxCreatedAtMs: number;
  /** Absent when the runtime reported no CPU figures. `atMs` may carry a fraction (ns precision). */
  cpu?: { atMs: number; usageCoreNanoSeconds: number };
  /** Absent when the runtime reported no memory figures; each field absent when not reported. */
  memory?: ContainerMemoryUsage;
  /** Bytes the container's writable layer holds (CRI `writable_layer.used_bytes`); absent when not reported. */
  rootfsUsedBytes?: number;
}

/** Memory figures of a container or the node (bytes; fault counts cumulative). */
export interface ContainerMemoryUsage {
  atMs: number;
  workingSetBytes?: number;
  availableBytes?: number;
  usageBytes?: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

/** An image the runtime holds (CRI `Image`), for image garbage collection. */
export interface RuntimeImage {
  id: string;
  repoTags: readonly string[];
  repoDigests: readonly string[];
  sizeBytes: number;
  /** CRI `pinned`: the runtime asks the kubelet never to remove it. */
  pinned: boolean;
}

/** Result of running a command in a container. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** An image the runtime has just pulled. */
export interface PulledImage {
  /** The image reference the runtime resolved (`sha256:…`). */
  ref: string;
  /** Bytes the image takes in the runtime's store; 0 when the runtime does not say. */
  sizeBytes: number;
}

/**
 * The runtime operations. Every method either completes or rejects within the runtime's
 * deadline; `listPods` is the PLEG's relist and the source of truth for pod status.
 */
export interface ContainerRuntime {
  /** `containerd://1.6.20` style version for `nodeInfo.containerRuntimeVersion`. */
  version(): Promise<string>;
  /** Null when healthy, else the reason the node is not ready (e.g. network plugin not ready). */
  health(): Promise<string | null>;
  listPods(): Promise<RuntimePod[]>;
  /** What the runtime holds for one pod UID (a label-filtered query, not a full relist). */
  getPod(uid: string): Promise<RuntimePod | undefined>;
  /** Whether the image is present (for imagePullPolicy IfNotPresent/Never). */
  hasImage(image: string): Promise<boolean>;
  /** The user the image runs as (`{}` when it names none, i.e. root); for runAsNonRoot. */
  imageUser(image: string): Promise<ImageUser>;
  /** Every image the runtime holds (CRI ListImages). */
  listImages(): Promise<RuntimeImage[]>;
  /** Removes an image by ID (CRI RemoveImage); resolves when it is gone (also when it already was). */
  removeImage(id: string): Promise<void>;
  /**
   * The image the runtime builds pod sandboxes from (containerd's `sandbox_image`), which the
   * image collector keeps; undefined when the runtime does not say.
   */
  sandboxImage(): Promise<string | undefined>;
  /** Pulls the image; returns its reference and its size as the runtime stores it (CRI ImageStatus `size`, 0 if unknown). */
  pullImage(image: string, sandbox: PodSandboxConfig): Promise<PulledImage>;
  /** Creates and starts a pod sandbox; `runtimeHandler` is the RuntimeClass's handler (`''` = the runtime's default). */
  runSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string>;
  stopSandbox(id: string): Promise<void>;
  removeSandbox(id: string): Promise<void>;
  /** Creates and starts a container; returns its id. */
  startContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string>;
  /** SIGTERM, SIGKILL after `graceSeconds`. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  /** Applies new cgroup values to a running container (CRI UpdateContainerResources): an in-place resize. */
  updateContainerResources(id: string, resources: ContainerCgroupResources): Promise<void>;
  exec(containerId: string, command: string[], timeoutSeconds: number): Promise<ExecResult>;
  /** The runtime's streaming URL for an interactive exec or attach (SPDY/WebSocket upgrade target). */
  streamUrl(request: StreamRequest): Promise<string>;
  /** The streaming URL for port-forwarding into a sandbox. */
  portForwardUrl(sandboxId: string, ports: number[]): Promise<string>;
  /** Sets the pod CIDR (CRI UpdateRuntimeConfig). */
  setPodCidr(cidr: string): Promise<void>;
  /** Usage of every running container that belongs to a pod (CRI ListContainerStats), one call per sample. */
  containerStats(): Promise<RuntimeContainerStats[]>;
}
