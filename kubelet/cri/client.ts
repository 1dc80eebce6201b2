/**
 * A CRI runtime.v1 client over gRPC (@grpc/grpc-js + the project's own `api.proto`): every call
 * has a deadline, and failures surface as {@link CriError} carrying the gRPC status code, so a
 * hung runtime is an error within the deadline instead of a silent stall.
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type {
  Container,
  ContainerConfig,
  ContainerStats,
  ContainerStatus,
  ExecSyncResponse,
  FilesystemUsage,
  Image,
  LinuxContainerResources,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxStatus,
  RuntimeCondition,
  VersionResponse,
} from './types.ts';

const PROTO_PATH = fileURLToPath(new URL('./api.proto', import.meta.url));

let definition: grpc.GrpcObject | undefined;
function loadDefinition(): grpc.GrpcObject {
  definition ??= grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_PATH, { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true }));
  return definition;
}

/** Go's name of a gRPC status code (`codes.Code.String()`): `NOT_FOUND` → `NotFound`, `CANCELLED` → `Canceled`. */
export function goCodeName(code: grpc.status): string {
  if (code === grpc.status.CANCELLED) return 'Canceled';
  const name = grpc.status[code];
  if (name === undefined) return `Code(${code})`;
  return name.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());
}

/**
 * A failed CRI call: `code` is the gRPC status (e.g. `grpc.status.NOT_FOUND`, `DEADLINE_EXCEEDED`).
 * The message is what Go's gRPC status error prints (`rpc error: code = Unknown desc = …`), so the
 * events and statuses that quote it read as upstream kubelet's.
 */
export class CriError extends Error {
  constructor(
    readonly method: string,
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(`rpc error: code = ${goCodeName(code)} desc = ${details}`);
    this.name = 'CriError';
  }
}

/** True for a NOT_FOUND CriError (the sandbox, container or image is gone). */
export function isCriNotFound(err: unknown): boolean {
  return err instanceof CriError && err.code === grpc.status.NOT_FOUND;
}

/** Options of {@link CriClient}. */
export interface CriClientOptions {
  /** `unix:///run/containerd/containerd.sock` or a bare socket path. */
  endpoint: string;
  /** Deadline of every call but PullImage (default 2 min, the kubelet's --runtime-request-timeout). */
  timeoutMs?: number;
  /** Deadline of PullImage (default 5 min). */
  pullTimeoutMs?: number;
  /**
   * Told of every call once it finished: the CRI method (`ListContainers`), how long it took and
   * whether it failed — the kubelet's `kubelet_runtime_operations_*` metrics. Must not throw.
   */
  observe?: (method: string, seconds: number, failed: boolean) => void;
}

/** Filters of ListPodSandbox / ListContainers (all optional). */
export interface SandboxFilter {
  id?: string;
  state?: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
  labelSelector?: Record<string, string>;
}
export interface ContainerFilter {
  id?: string;
  podSandboxId?: string;
  state?: 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
  labelSelector?: Record<string, string>;
}

type Unary = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

/** RuntimeService + ImageService on one channel. */
export class CriClient {
  private readonly runtime: grpc.Client;
  private readonly images: grpc.Client;
  private readonly timeoutMs: number;
  private readonly pullTimeoutMs: number;
  private readonly observe: CriClientOptions['observe'];

  constructor(options: CriClientOptions) {
    const target = options.endpoint.startsWith('unix:') ? options.endpoint : `unix://${options.endpoint}`;
    const pkg = (loadDefinition().runtime as grpc.GrpcObject).v1 as grpc.GrpcObject;
    const Runtime = pkg.RuntimeService as grpc.ServiceClientConstructor;
    const Images = pkg.ImageService as grpc.ServiceClientConstructor;
    const channelOptions = { 'grpc.max_receive_message_length': 16 * 1024 * 1024 };
    this.runtime = new Runtime(target, grpc.credentials.createInsecure(), channelOptions);
    this.images = new Images(target, grpc.credentials.createInsecure(), { ...channelOptions, channelOverride: this.runtime.getChannel() });
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.pullTimeoutMs = options.pullTimeoutMs ?? 300_000;
    this.observe = options.observe;
  }

  private call<T>(client: grpc.Client, method: string, request: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const fn = (client as unknown as Record<string, Unary>)[method];
    const started = performance.now();
    return new Promise<T>((resolve, reject) => {
      fn.call(client, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        this.observe?.(method, (performance.now() - started) / 1000, Boolean(err));
        if (err) reject(new CriError(method, err.code, err.details || err.message));
        else resolve(res as T);
      });
    });
  }

  version(): Promise<VersionResponse> {
    return this.call(this.runtime, 'Version', { version: 'v1' });
  }

  async status(): Promise<RuntimeCondition[]> {
    const res = await this.call<{ status: { conditions: RuntimeCondition[] } | null }>(this.runtime, 'Status', { verbose: false });
    return res.status?.conditions ?? [];
  }

  /** The runtime's verbose status `info` (containerd: `config` is its CRI configuration as JSON). */
  async statusInfo(): Promise<Record<string, string>> {
    return (await this.call<{ info: Record<string, string> | null }>(this.runtime, 'Status', { verbose: true })).info ?? {};
  }

  async updateRuntimeConfig(podCidr: string): Promise<void> {
    await this.call(this.runtime, 'UpdateRuntimeConfig', { runtimeConfig: { networkConfig: { podCidr } } });
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    return (await this.call<{ podSandboxId: string }>(this.runtime, 'RunPodSandbox', { config, runtimeHandler })).podSandboxId;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.runtime, 'StopPodSandbox', { podSandboxId });
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.runtime, 'RemovePodSandbox', { podSandboxId });
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    return (await this.call<{ status: PodSandboxStatus }>(this.runtime, 'PodSandboxStatus', { podSandboxId })).status;
  }

  async listPodSandbox(filter: SandboxFilter = {}): Promise<PodSandbox[]> {
    const f = { id: filter.id ?? '', labelSelector: filter.labelSelector ?? {}, ...(filter.state ? { state: { state: filter.state } } : {}) };
    return (await this.call<{ items: PodSandbox[] }>(this.runtime, 'ListPodSandbox', { filter: f })).items;
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    return (await this.call<{ containerId: string }>(this.runtime, 'CreateContainer', { podSandboxId, config, sandboxConfig })).containerId;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.call(this.runtime, 'StartContainer', { containerId });
  }

  /** Stops with SIGTERM, then SIGKILL after `timeoutSeconds`; the deadline covers the grace period. */
  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.call(this.runtime, 'StopContainer', { containerId, timeout: String(timeoutSeconds) }, this.timeoutMs + timeoutSeconds * 1000);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.call(this.runtime, 'RemoveContainer', { containerId });
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    const f = { id: filter.id ?? '', podSandboxId: filter.podSandboxId ?? '', labelSelector: filter.labelSelector ?? {}, ...(filter.state ? { state: { state: filter.state } } : {}) };
    return (await this.call<{ containers: Container[] }>(this.runtime, 'ListContainers', { filter: f })).containers;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return (await this.call<{ status: ContainerStatus }>(this.runtime, 'ContainerStatus', { containerId, verbose: false })).status;
  }

  /** Applies new Linux resources (CPU shares/quota, memory limit) to a created or running container. */
  async updateContainerResources(containerId: string, linux: LinuxContainerResources): Promise<void> {
    await this.call(this.runtime, 'UpdateContainerResources', { containerId, linux });
  }

  /** Usage of one container (NOT_FOUND when it is gone). */
  async containerStats(containerId: string): Promise<ContainerStats> {
    return (await this.call<{ stats: ContainerStats }>(this.runtime, 'ContainerStats', { containerId })).stats;
  }

  /** Usage of every container the filter selects (containerd: those with a task, i.e. created or running). */
  async listContainerStats(filter: Omit<ContainerFilter, 'state'> = {}): Promise<ContainerStats[]> {
    const f = { id: filter.id ?? '', podSandboxId: filter.podSandboxId ?? '', labelSelector: filter.labelSelector ?? {} };
    return (await this.call<{ stats: ContainerStats[] }>(this.runtime, 'ListContainerStats', { filter: f })).stats;
  }

  /** Runs `cmd` in the container and waits (probes); `timeoutSeconds` 0 = no runtime-side limit. */
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    return this.call(this.runtime, 'ExecSync', { containerId, cmd, timeout: String(timeoutSeconds) }, this.timeoutMs + timeoutSeconds * 1000);
  }

  /** A streaming URL for an interactive exec (served by the runtime's stream server). */
  async exec(request: { containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<string> {
    return (await this.call<{ url: string }>(this.runtime, 'Exec', request)).url;
  }

  async attach(request: { containerId: string; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<string> {
    return (await this.call<{ url: string }>(this.runtime, 'Attach', request)).url;
  }

  async portForward(podSandboxId: string, ports: number[]): Promise<string> {
    return (await this.call<{ url: string }>(this.runtime, 'PortForward', { podSandboxId, port: ports })).url;
  }

  async listImages(): Promise<Image[]> {
    return (await this.call<{ images: Image[] }>(this.images, 'ListImages', {})).images;
  }

  /** The image, or null when it is not present. */
  async imageStatus(image: string): Promise<Image | null> {
    return (await this.call<{ image: Image | null }>(this.images, 'ImageStatus', { image: { image } })).image;
  }

  /** Pulls and returns the image reference (digest). */
  async pullImage(image: string, sandboxConfig?: PodSandboxConfig): Promise<string> {
    return (await this.call<{ imageRef: string }>(this.images, 'PullImage', { image: { image }, sandboxConfig }, this.pullTimeoutMs)).imageRef;
  }

  async removeImage(image: string): Promise<void> {
    await this.call(this.images, 'RemoveImage', { image: { image } });
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    return (await this.call<{ imageFilesystems: FilesystemUsage[] }>(this.images, 'ImageFsInfo', {})).imageFilesystems;
  }

  close(): void {
    this.images.close();
    this.runtime.close();
  }
}
