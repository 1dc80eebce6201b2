/**
 * An in-memory {@link ContainerRuntime} for hollow nodes (`--runtime fake`) and tests: sandboxes
 * get IPs from the node's pod CIDR, containers "run" until stopped, nothing executes. Images are
 * always present; `exec` answers exit code 0. Running containers use no CPU and no memory unless
 * a test says otherwise ({@link FakeRuntime.setUsage}).
 */
import { randomBytes } from 'node:crypto';
import type { ContainerConfig, PodSandboxConfig } from '../cri/types.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import {
  cgroupResources,
  type ContainerCgroupResources,
  ANNOTATION_CONTAINER_HASH,
  ANNOTATION_RESTART_COUNT,
  type ContainerRuntime,
  type ExecResult,
  type ImageUser,
  type PulledImage,
  type RuntimeImage,
  type RuntimeContainer,
  type RuntimeContainerStats,
  type RuntimePod,
  type RuntimeSandbox,
} from './types.ts';

interface FakePod {
  uid: string;
  name: string;
  namespace: string;
  sandboxes: RuntimeSandbox[];
  containers: RuntimeContainer[];
}

/** What a fake container reports as its usage. */
export interface FakeUsage {
  usageCoreNanoSeconds: number;
  workingSetBytes: number;
}

/** A copy of `p` as the runtime reports it: sandboxes newest first. */
function snapshotOf(p: FakePod): RuntimePod {
  return { ...p, sandboxes: [...p.sandboxes].sort((a, b) => b.createdAtMs - a.createdAtMs), containers: p.containers.map((c) => ({ ...c })) };
}

/** Contract as {@link ContainerRuntime}; state lives in this object only. */
export class FakeRuntime implements ContainerRuntime {
  private readonly pods = new Map<string, FakePod>();
  private readonly bySandbox = new Map<string, FakePod>();
  private readonly byContainer = new Map<string, FakePod>();
  private readonly usage = new Map<string, FakeUsage>();
  private cidrBase = [10, 244, 0];
  private nextHost = 2;

  constructor(private readonly clock: Clock) {}

  async version(): Promise<string> {
    return 'fake://1.0.0';
  }

  async health(): Promise<string | null> {
    return null;
  }

  async listPods(): Promise<RuntimePod[]> {
    return [...this.pods.values()].map(snapshotOf);
  }

  async getPod(uid: string): Promise<RuntimePod | undefined> {
    const pod = this.pods.get(uid);
    return pod && snapshotOf(pod);
  }

  async hasImage(): Promise<boolean> {
    return true;
  }

  /** Fake images name no user, so they run as root (as an image without USER does). */
  async imageUser(): Promise<ImageUser> {
    return {};
  }

  /** Fake images are not stored: there is nothing to collect. */
  async listImages(): Promise<RuntimeImage[]> {
    return [];
  }

  async removeImage(): Promise<void> {}

  async sandboxImage(): Promise<string | undefined> {
    return undefined;
  }

  async pullImage(image: string): Promise<PulledImage> {
    return { ref: `sha256:${Buffer.from(image).toString('hex').slice(0, 64).padEnd(64, '0')}`, sizeBytes: 0 };
  }

  async runSandbox(config: PodSandboxConfig): Promise<string> {
    const { uid, name, namespace, attempt } = config.metadata;
    let pod = this.pods.get(uid);
    if (!pod) {
      pod = { uid, name, namespace, sandboxes: [], containers: [] };
      this.pods.set(uid, pod);
    }
    const id = randomBytes(32).toString('hex');
    const ip = `${this.cidrBase.join('.')}.${this.nextHost}`;
    this.nextHost = this.nextHost >= 254 ? 2 : this.nextHost + 1;
    pod.sandboxes.push({ id, state: 'ready', attempt, ip, createdAtMs: this.clock.now() });
    this.bySandbox.set(id, pod);
    return id;
  }

  async stopSandbox(id: string): Promise<void> {
    const pod = this.bySandbox.get(id);
    const sandbox = pod?.sandboxes.find((s) => s.id === id);
    if (sandbox) sandbox.state = 'notready';
    for (const c of pod?.containers ?? []) if (c.sandboxId === id && c.state === 'running') this.finish(c, 137);
  }

  async removeSandbox(id: string): Promise<void> {
    const pod = this.bySandbox.get(id);
    if (!pod) return;
    pod.sandboxes = pod.sandboxes.filter((s) => s.id !== id);
    this.bySandbox.delete(id);
    if (!pod.sandboxes.length && !pod.containers.length) this.pods.delete(pod.uid);
  }

  async startContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const pod = this.bySandbox.get(sandboxId);
    if (!pod) throw new Error(`sandbox ${sandboxId} not found`);
    const id = randomBytes(32).toString('hex');
    const now = this.clock.now();
    pod.containers.push({
      id,
      sandboxId,
      name: config.metadata.name,
      state: 'running',
      attempt: config.metadata.attempt,
      hash: config.annotations?.[ANNOTATION_CONTAINER_HASH] ?? '',
      restartCount: Number(config.annotations?.[ANNOTATION_RESTART_COUNT] ?? 0),
      image: config.image.image,
      imageRef: (await this.pullImage(config.image.image)).ref,
      createdAtMs: now,
      startedAtMs: now,
      finishedAtMs: 0,
      exitCode: 0,
      reason: '',
      message: '',
      resources: cgroupResources(config.linux?.resources),
    });
    this.byContainer.set(id, pod);
    return id;
  }

  async stopContainer(id: string): Promise<void> {
    const c = this.byContainer.get(id)?.containers.find((x) => x.id === id);
    if (c && c.state === 'running') this.finish(c, 0);
  }

  async updateContainerResources(id: string, resources: ContainerCgroupResources): Promise<void> {
    const c = this.byContainer.get(id)?.containers.find((x) => x.id === id);
    if (!c || c.state !== 'running') throw new Error(`container ${id} is not running`);
    c.resources = { ...resources };
  }

  async removeContainer(id: string): Promise<void> {
    const pod = this.byContainer.get(id);
    if (!pod) return;
    pod.containers = pod.containers.filter((c) => c.id !== id);
    this.byContainer.delete(id);
    this.usage.delete(id);
    if (!pod.sandboxes.length && !pod.containers.length) this.pods.delete(pod.uid);
  }

  async exec(): Promise<ExecResult> {
    return { stdout: '', stderr: '', exitCode: 0 };
  }

  async streamUrl(): Promise<string> {
    throw new Error('hollow nodes run no containers: exec and attach are not available');
  }

  async portForwardUrl(): Promise<string> {
    throw new Error('hollow nodes run no containers: port-forward is not available');
  }

  async setPodCidr(cidr: string): Promise<void> {
    const [a, b, c] = cidr.split('/')[0].split('.').map(Number);
    this.cidrBase = [a, b, c];
  }

  /** Sets what a container reports from now on (cumulative CPU core-nanoseconds, working set bytes). */
  setUsage(containerId: string, usage: FakeUsage): void {
    this.usage.set(containerId, usage);
  }

  async containerStats(): Promise<RuntimeContainerStats[]> {
    const now = this.clock.now();
    return [...this.pods.values()].flatMap((pod) =>
      pod.containers
        .filter((c) => c.state === 'running')
        .map((c) => {
          const usage = this.usage.get(c.id) ?? { usageCoreNanoSeconds: 0, workingSetBytes: 0 };
          return {
            id: c.id,
            name: c.name,
            image: c.image,
            podUid: pod.uid,
            podName: pod.name,
            podNamespace: pod.namespace,
            createdAtMs: c.createdAtMs,
            sandboxCreatedAtMs: pod.sandboxes.find((s) => s.id === c.sandboxId)?.createdAtMs ?? 0,
            cpu: { atMs: now, usageCoreNanoSeconds: usage.usageCoreNanoSeconds },
            memory: { atMs: now, workingSetBytes: usage.workingSetBytes },
          };
        }),
    );
  }

  private finish(c: RuntimeContainer, exitCode: number): void {
    c.state = 'exited';
    c.exitCode = exitCode;
    c.finishedAtMs = this.clock.now();
    c.reason = exitCode === 0 ? 'Completed' : 'Error';
  }
}
