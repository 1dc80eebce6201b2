/**
 * {@link ContainerRuntime} over a CRI endpoint: groups sandboxes and containers by the pod UID
 * label; times are CRI nanoseconds turned into milliseconds.
 */
import { isCriNotFound, type CriClient } from '../cri/client.ts';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig } from '../cri/types.ts';
import { joinContainerStats } from './cri-stats.ts';
import { exitedContainerMessage } from './termination-message.ts';
import {
  cgroupResources,
  ANNOTATION_CONTAINER_HASH,
  ANNOTATION_RESTART_COUNT,
  LABEL_CONTAINER_NAME,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  type ContainerCgroupResources,
  type ContainerRunState,
  type ContainerRuntime,
  type ExecResult,
  type ImageUser,
  type PulledImage,
  type RuntimeContainer,
  type RuntimeContainerStats,
  type RuntimeImage,
  type RuntimePod,
  type StreamRequest,
} from './types.ts';

const nsToMs = (ns: string | number | undefined): number => (ns ? Math.floor(Number(BigInt(ns) / 1_000_000n)) : 0);

const STATE: Record<string, ContainerRunState> = { CONTAINER_CREATED: 'created', CONTAINER_RUNNING: 'running', CONTAINER_EXITED: 'exited' };

/** The CRI-backed runtime. */
export class CriRuntime implements ContainerRuntime {
  constructor(private readonly cri: CriClient) {}

  async version(): Promise<string> {
    const v = await this.cri.version();
    return `${v.runtimeName}://${v.runtimeVersion.replace(/~.*$/, '')}`;
  }

  async health(): Promise<string | null> {
    const conditions = await this.cri.status();
    const bad = conditions.filter((c) => !c.status);
    if (!bad.length) return null;
    return bad.map((c) => `${c.type}=false reason:${c.reason} message:${c.message}`).join(', ');
  }

  async listPods(): Promise<RuntimePod[]> {
    return this.collect({});
  }

  async getPod(uid: string): Promise<RuntimePod | undefined> {
    return (await this.collect({ [LABEL_POD_UID]: uid }))[0];
  }

  private async collect(labelSelector: Record<string, string>): Promise<RuntimePod[]> {
    const [sandboxes, containers] = await Promise.all([this.cri.listPodSandbox({ labelSelector }), this.cri.listContainers({ labelSelector })]);
    const pods = new Map<string, RuntimePod>();
    const podFor = (labels: Record<string, string>): RuntimePod | undefined => {
      const uid = labels[LABEL_POD_UID];
      if (!uid) return undefined;
      let pod = pods.get(uid);
      if (!pod) {
        pod = { uid, name: labels[LABEL_POD_NAME] ?? '', namespace: labels[LABEL_POD_NAMESPACE] ?? '', sandboxes: [], containers: [] };
        pods.set(uid, pod);
      }
      return pod;
    };
    await Promise.all(sandboxes.map(async (s) => {
      const pod = podFor(s.labels);
      if (!pod) return;
      const ip = s.state === 'SANDBOX_READY' ? await this.sandboxIp(s.id) : '';
      pod.sandboxes.push({ id: s.id, state: s.state === 'SANDBOX_READY' ? 'ready' : 'notready', attempt: s.metadata.attempt, ip, createdAtMs: nsToMs(s.createdAt) });
    }));
    await Promise.all(containers.map(async (c) => {
      const pod = podFor(c.labels);
      if (!pod) return;
      // Running containers need no status call until they exit (exit code, times); cache by id+state.
      const status = await this.containerStatusCached(c.id, c.state);
      pod.containers.push(toRuntimeContainer(c.podSandboxId, c.labels, c.annotations, status, c.id, c.state, c.image.image, c.imageRef, c.metadata.attempt, c.createdAt));
    }));
    for (const pod of pods.values()) pod.sandboxes.sort((a, b) => b.createdAtMs - a.createdAtMs);
    return [...pods.values()];
  }

  private readonly ips = new Map<string, string>();
  private readonly statuses = new Map<string, { state: string; status: ContainerStatus | undefined }>();

  /** A ready sandbox's IP never changes: ask once. */
  private async sandboxIp(id: string): Promise<string> {
    const known = this.ips.get(id);
    if (known !== undefined) return known;
    const ip = (await this.cri.podSandboxStatus(id).catch(() => undefined))?.network?.ip ?? '';
    if (ip) this.ips.set(id, ip);
    return ip;
  }

  /** A container's status only changes with its state: ask again only when the state moved. */
  private async containerStatusCached(id: string, state: string): Promise<ContainerStatus | undefined> {
    const known = this.statuses.get(id);
    if (known && known.state === state) return known.status;
    const status = await this.cri.containerStatus(id).catch(() => undefined);
    // An exited container's message takes what it wrote for its termination, read once.
    if (status?.state === 'CONTAINER_EXITED') status.message = await exitedContainerMessage(status);
    this.statuses.set(id, { state, status });
    return status;
  }

  async hasImage(image: string): Promise<boolean> {
    return (await this.cri.imageStatus(image)) !== null;
  }

  async imageUser(image: string): Promise<ImageUser> {
    const status = await this.cri.imageStatus(image);
    if (status?.uid) return { uid: Number(status.uid.value) };
    return status?.username ? { username: status.username } : {};
  }

  async listImages(): Promise<RuntimeImage[]> {
    return (await this.cri.listImages()).map((i) => ({ id: i.id, repoTags: i.repoTags ?? [], repoDigests: i.repoDigests ?? [], sizeBytes: Number(i.size) || 0, pinned: Boolean(i.pinned) }));
  }

  async removeImage(id: string): Promise<void> {
    await this.cri.removeImage(id).catch((err: unknown) => {
      if (!isCriNotFound(err)) throw err;
    });
  }

  /** containerd names it in its verbose status: `info.config` → `sandboxImage`. */
  async sandboxImage(): Promise<string | undefined> {
    const config = (await this.cri.statusInfo()).config;
    if (!config) return undefined;
    try {
      const image = (JSON.parse(config) as { sandboxImage?: unknown }).sandboxImage;
      return typeof image === 'string' && image ? image : undefined;
    } catch {
      return undefined;
    }
  }

  /** Pulls, then asks the image's size as upstream's puller does (`GetImageSize`). */
  async pullImage(image: string, sandbox: PodSandboxConfig): Promise<PulledImage> {
    const ref = await this.cri.pullImage(image, sandbox);
    const status = await this.cri.imageStatus(ref).catch(() => null);
    return { ref, sizeBytes: Number(status?.size) || 0 };
  }

  runSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    return this.cri.runPodSandbox(config, runtimeHandler);
  }

  stopSandbox(id: string): Promise<void> {
    return this.cri.stopPodSandbox(id);
  }

  removeSandbox(id: string): Promise<void> {
    this.ips.delete(id);
    return this.cri.removePodSandbox(id);
  }

  async startContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string> {
    const id = await this.cri.createContainer(sandboxId, config, sandbox);
    await this.cri.startContainer(id);
    return id;
  }

  stopContainer(id: string, graceSeconds: number): Promise<void> {
    return this.cri.stopContainer(id, graceSeconds);
  }

  removeContainer(id: string): Promise<void> {
    this.statuses.delete(id);
    return this.cri.removeContainer(id);
  }

  async updateContainerResources(id: string, resources: ContainerCgroupResources): Promise<void> {
    await this.cri.updateContainerResources(id, resources);
    // The cached status holds the resources before the update: ask again next time.
    this.statuses.delete(id);
  }

  async exec(containerId: string, command: string[], timeoutSeconds: number): Promise<ExecResult> {
    const res = await this.cri.execSync(containerId, command, timeoutSeconds);
    return { stdout: Buffer.from(res.stdout).toString(), stderr: Buffer.from(res.stderr).toString(), exitCode: res.exitCode };
  }

  streamUrl(request: StreamRequest): Promise<string> {
    const { containerId, tty, stdin, stdout, stderr } = request;
    return request.kind === 'exec' ? this.cri.exec({ containerId, cmd: request.command ?? [], tty, stdin, stdout, stderr }) : this.cri.attach({ containerId, tty, stdin, stdout, stderr });
  }

  portForwardUrl(sandboxId: string, ports: number[]): Promise<string> {
    return this.cri.portForward(sandboxId, ports);
  }

  setPodCidr(cidr: string): Promise<void> {
    return this.cri.updateRuntimeConfig(cidr);
  }

  async containerStats(): Promise<RuntimeContainerStats[]> {
    const [stats, containers, sandboxes] = await Promise.all([this.cri.listContainerStats(), this.cri.listContainers({ state: 'CONTAINER_RUNNING' }), this.cri.listPodSandbox()]);
    return joinContainerStats(stats, containers, sandboxes);
  }
}

function toRuntimeContainer(
  sandboxId: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  status: ContainerStatus | undefined,
  id: string,
  state: string,
  image: string,
  imageRef: string,
  attempt: number,
  createdAt: string,
): RuntimeContainer {
  return {
    id,
    sandboxId,
    name: labels[LABEL_CONTAINER_NAME] ?? '',
    state: STATE[status?.state ?? state] ?? 'unknown',
    attempt,
    hash: annotations[ANNOTATION_CONTAINER_HASH] ?? '',
    restartCount: Number(annotations[ANNOTATION_RESTART_COUNT] ?? attempt) || 0,
    image,
    imageRef: status?.imageRef || imageRef,
    createdAtMs: nsToMs(createdAt),
    startedAtMs: nsToMs(status?.startedAt),
    finishedAtMs: nsToMs(status?.finishedAt),
    exitCode: status?.exitCode ?? 0,
    reason: status?.reason ?? '',
    message: status?.message ?? '',
    ...(status?.resources?.linux ? { resources: cgroupResources(status.resources.linux) } : {}),
  };
}
