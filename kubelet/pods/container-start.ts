/**
 * Starting one container of a sync (upstream kuberuntime `startContainer`): its image
 * ({@link ImagePuller}), the checks that refuse it a config (`runAsNonRoot`, an ephemeral
 * container's target, env, sub-paths, the managed `/etc/hosts`), the CRI create-and-start, the
 * `Created`/`Started` events and its postStart hook. What keeps it from starting is a waiting
 * reason (`CreateContainerConfigError`, `CreateContainerError`, the image's) and a Warning
 * event, never an error: the next sync tries again.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { PodSandboxConfig } from '../cri/types.ts';
import { startErrorCode, type ContainerType, type KubeletMetrics } from '../metrics/kubelet-metrics.ts';
import { runHook, type HookAction } from '../probes/hooks.ts';
import type { ContainerRuntime, RuntimePod } from '../runtime/types.ts';
import { VolumeError } from '../volumes/content.ts';
import { containerMounts } from '../volumes/mounts.ts';
import { resolveSubPathMounts, SubPathError } from '../volumes/subpath.ts';
import type { StartAction } from './actions.ts';
import { containerConfig } from './container-config.ts';
import { EnvError, resolveEnv } from './env.ts';
import { ephemeralTarget } from './ephemeral.ts';
import { ETC_HOSTS_PATH, managedHostsFile, mountsManagedHosts } from './etc-hosts.ts';
import { podGraceSeconds } from './grace-period.ts';
import type { ImagePuller } from './image-puller.ts';
import { envSourcesOf, type DownwardFacts, type PodObjects } from './pod-objects.ts';
import { restartCountFromLogs } from './restart-count.ts';
import { runAsNonRootViolation, wantsNonRoot } from './run-as-non-root.ts';
import type { Waiting } from './status.ts';

/** What starting a container uses: the runtime, the image puller, the pod's directory and events, and the syncer's per-pod state. */
export interface ContainerStartDeps {
  runtime: ContainerRuntime;
  images: ImagePuller;
  rootDir: string;
  clusterDomain: string;
  /** The pod's directory (`<rootDir>/pods/<uid>`): its managed hosts file is written there. */
  podDir(uid: string): string;
  /** The downward API's node and pod facts for a pod at `podIP`. */
  downward(podIP: string): DownwardFacts;
  /** The container with the resources this node granted it (in-place resize). */
  asStarted(uid: string, container: Container): Container;
  /** A restarted container (restartCount > 0) started: its crash-loop back-off steps up. */
  restarted(uid: string, name: string): void;
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Counts container starts; unset = not counted. */
  metrics?: Pick<KubeletMetrics, 'containerStarting' | 'containerStartFailed'>;
}

/** What the container starts of one sync share: the sandbox and the pod's objects and volumes. */
export interface PodStartContext {
  sandboxId: string;
  sandboxConfig: PodSandboxConfig;
  /** The sandbox's IP ('' when it has none). */
  ip: string;
  objects: PodObjects;
  /** What the runtime holds for the pod after its sandbox was created. */
  runtime: RuntimePod | undefined;
  volumeDirs: Map<string, string>;
  readOnly: Set<string>;
  /** This sync's waiting reasons by container name: a start that fails adds its own. */
  waiting: Map<string, Waiting>;
}

/** The metrics' `container_type` of a start. Pure. */
export function containerTypeOf(start: Pick<StartAction, 'init' | 'ephemeral'>): ContainerType {
  return start.ephemeral ? 'ephemeral_container' : start.init ? 'init_container' : 'container';
}

/** Starts one container of the pod, or records in `ctx.waiting` why it did not. */
export async function startContainer(deps: ContainerStartDeps, pod: Pod, start: StartAction, ctx: PodStartContext): Promise<void> {
  const c = start.container;
  const name = c.name ?? '';
  const uid = pod.metadata.uid as string;
  const { waiting, sandboxId, sandboxConfig } = ctx;
  const image = await deps.images.ensure(pod, c, sandboxConfig, waiting);
  if (!image) return;
  const configError = (message: string) => {
    waiting.set(name, { reason: 'CreateContainerConfigError', message });
    deps.event(pod, 'Warning', 'Failed', `Error: ${message}`);
  };
  // The image's user is asked for only when the container forbids root.
  const nonRoot = wantsNonRoot(pod, c) ? runAsNonRootViolation(pod, c, await deps.runtime.imageUser(image)) : undefined;
  if (nonRoot) return configError(nonRoot);
  // An ephemeral container's target must be running: its PID namespace is joined by id.
  const target = start.ephemeral ? ephemeralTarget({ ...c, targetContainerName: start.ephemeral.targetContainerName }, ctx.runtime, sandboxId) : {};
  if (target.error) return configError(target.error);
  let env;
  let mounts;
  try {
    const invalidNames = (message: string) => deps.event(pod, 'Warning', 'InvalidEnvironmentVariableNames', message);
    env = resolveEnv(pod, c, { ...envSourcesOf(pod, ctx.objects, deps.downward(ctx.ip)), invalidNames });
    mounts = await resolveSubPathMounts(c, ctx.volumeDirs, containerMounts(c, ctx.volumeDirs, env, ctx.readOnly));
    if (mountsManagedHosts(pod, c, ctx.ip ? [ctx.ip] : [])) mounts.push({ containerPath: ETC_HOSTS_PATH, hostPath: await writeHostsFile(deps, pod, ctx.ip), readonly: false });
    if (c.terminationMessagePath) mounts.push({ containerPath: c.terminationMessagePath, hostPath: await createTerminationMessageFile(deps, uid, name), readonly: false });
  } catch (err) {
    if (!(err instanceof EnvError) && !(err instanceof VolumeError) && !(err instanceof SubPathError)) throw err;
    return configError(err.message);
  }
  // A first instance as far as the runtime knows may have run before it lost its state.
  const restartCount = start.restartCount > 0 || start.ephemeral ? start.restartCount : await restartCountFromLogs(sandboxConfig.logDirectory, name);
  const config = containerConfig(pod, deps.asStarted(uid, c), { restartCount, env, mounts, image, rootDir: deps.rootDir, targetId: target.id });
  let containerId: string;
  const type = containerTypeOf(start);
  deps.metrics?.containerStarting(type);
  try {
    containerId = await deps.runtime.startContainer(sandboxId, config, sandboxConfig);
  } catch (err) {
    deps.metrics?.containerStartFailed(type, startErrorCode(err));
    waiting.set(name, { reason: 'CreateContainerError', message: (err as Error).message });
    deps.event(pod, 'Warning', 'Failed', `Error: ${(err as Error).message}`);
    return;
  }
  if (start.restartCount > 0) deps.restarted(uid, name);
  deps.event(pod, 'Normal', 'Created', `Created container: ${name}`);
  deps.event(pod, 'Normal', 'Started', `Started container ${name}`);
  const postStart = c.lifecycle?.postStart as HookAction | undefined;
  if (postStart) {
    const failure = await runHook(postStart, { runtime: deps.runtime, containerId, container: c, podIP: ctx.ip, timeoutSeconds: podGraceSeconds(pod) });
    if (failure) {
      deps.event(pod, 'Warning', 'FailedPostStartHook', failure);
      deps.event(pod, 'Normal', 'Killing', `FailedPostStartHook`);
      await deps.runtime.stopContainer(containerId, podGraceSeconds(pod));
    }
  }
}

/**
 * An empty, world-writable file for this instance of the container to write its termination
 * message into (`<pod dir>/containers/<name>/<random id>`, as upstream's kuberuntime): mounted at
 * its `terminationMessagePath`, read back by the runtime when it exits.
 */
async function createTerminationMessageFile(deps: Pick<ContainerStartDeps, 'podDir'>, uid: string, name: string): Promise<string> {
  const dir = join(deps.podDir(uid), 'containers', name);
  await mkdir(dir, { recursive: true });
  const file = join(dir, randomBytes(4).toString('hex'));
  await writeFile(file, '');
  await chmod(file, 0o666); // not through writeFile's mode, which the umask narrows
  return file;
}

/** Writes the pod's kubelet-managed hosts file (`<pod dir>/etc-hosts`); returns its path. */
async function writeHostsFile(deps: Pick<ContainerStartDeps, 'podDir' | 'clusterDomain'>, pod: Pod, ip: string): Promise<string> {
  const file = join(deps.podDir(pod.metadata.uid as string), 'etc-hosts');
  await mkdir(dirname(file), { recursive: true });
  const nodeHosts = pod.spec?.hostNetwork ? await readFile(ETC_HOSTS_PATH, 'utf8') : '';
  await writeFile(file, managedHostsFile(pod, [ip], deps.clusterDomain, nodeHosts), { mode: 0o644 });
  return file;
}
