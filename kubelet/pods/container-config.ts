/**
 * Container → CRI ContainerConfig (upstream `generateContainerConfig`): command/args with
 * `$(VAR)` expansion, working dir, env, mounts, log path `<name>/<restartCount>.log`, resources
 * as Linux cgroup values (shares, quota/period, memory limit) and the securityContext basics.
 * Also the spec hash that tells the sync a running container is out of date. Pure.
 */
import { createHash } from 'node:crypto';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { quantityToMilli } from '../../pkg/api/quantity.ts';
import { semanticJson } from '../../pkg/util/semantic-json.ts';
import type { ContainerConfig, KeyValue, LinuxContainerResources, Mount, NamespaceOption } from '../cri/types.ts';
import { ANNOTATION_CONTAINER_HASH, ANNOTATION_RESTART_COUNT, ANNOTATION_TERMINATION_MESSAGE_PATH, ANNOTATION_TERMINATION_MESSAGE_POLICY, LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from '../runtime/types.ts';
import { expandVars } from './env.ts';
import { seccompProfileFor } from './seccomp.ts';
import { appArmorCriFields, appArmorProfileOf } from './apparmor.ts';

const CPU_PERIOD_US = 100_000;
const MIN_SHARES = 2;
const MAX_SHARES = 262_144;

/** Linux resources from requests/limits, as upstream's `calculateLinuxResources`. */
export function linuxResources(container: Container): LinuxContainerResources {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const cpuRequest = requests.cpu ?? limits.cpu;
  const milliRequest = cpuRequest === undefined ? 0 : quantityToMilli(cpuRequest);
  const shares = milliRequest === 0 ? MIN_SHARES : Math.min(MAX_SHARES, Math.max(MIN_SHARES, Math.floor((milliRequest * 1024) / 1000)));
  const out: LinuxContainerResources = { cpuShares: shares };
  if (limits.cpu !== undefined) {
    const milliLimit = quantityToMilli(limits.cpu);
    out.cpuPeriod = CPU_PERIOD_US;
    out.cpuQuota = Math.max(1000, Math.floor((milliLimit * CPU_PERIOD_US) / 1000));
  }
  if (limits.memory !== undefined) out.memoryLimitInBytes = Math.floor(quantityToMilli(limits.memory) / 1000);
  return out;
}

/**
 * A stable hash of the fields whose change means "recreate the container". Resources are not
 * among them (as upstream since in-place resize): a resize updates or restarts the container.
 * Key order and empty or null members do not count (upstream hashes the Go struct's JSON): the
 * same spec can come back from the API server with its keys in another order (a patch that
 * touched only the labels reordered a defaulted `fieldRef`, and the container was restarted).
 */
export function containerHash(container: Container): string {
  return digest(semanticJson(hashedFields(container, undefined)));
}

/**
 * Whether a container created with spec hash `hash` still matches `container` (no hash: it
 * does). The hashes earlier k8ts kubelets wrote count too, so an upgrade restarts nothing: the
 * key-order-sensitive one, and the one from before in-place resize (it covered the limits).
 */
export function matchesSpec(hash: string, container: Container): boolean {
  return !hash || hash === containerHash(container) || hash === orderedContainerHash(container) || hash === legacyContainerHash(container);
}

/** The key-order-sensitive hash k8ts kubelets wrote before {@link containerHash}. */
export function orderedContainerHash(container: Container): string {
  return digest(JSON.stringify(hashedFields(container, undefined)));
}

/** The hash k8ts kubelets before in-place resize wrote (key-order-sensitive, with the limits). */
export function legacyContainerHash(container: Container): string {
  return digest(JSON.stringify(hashedFields(container, container.resources?.limits)));
}

function hashedFields(container: Container, limits: unknown): Record<string, unknown> {
  const { name, image, command, args, workingDir, ports, env, envFrom, volumeMounts, securityContext, stdin, tty } = container;
  return { name, image, command, args, workingDir, ports, env, envFrom, limits, volumeMounts, securityContext, stdin, tty };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** What else the config needs besides the container. */
export interface ContainerConfigInput {
  restartCount: number;
  env: KeyValue[];
  mounts: Mount[];
  /** The image reference the pull resolved (or the spec image). */
  image: string;
  /** The kubelet's --root-dir (Localhost seccomp profiles live under `<rootDir>/seccomp`). */
  rootDir: string;
  /**
   * An ephemeral container's target: the runtime id of the container whose PID namespace it
   * joins (CRI `NamespaceMode.TARGET`), when the pod does not already share one.
   */
  targetId?: string;
}

/** CRI namespace options (upstream namespacesForPod, then the TARGET pid mode of an ephemeral container). */
function namespaceOptions(pod: Pod, targetId: string | undefined): NamespaceOption {
  const spec = pod.spec;
  const pid = spec?.hostPID ? 'NODE' : spec?.shareProcessNamespace ? 'POD' : 'CONTAINER';
  const options: NamespaceOption = { network: spec?.hostNetwork ? 'NODE' : 'POD', pid, ipc: spec?.hostIPC ? 'NODE' : 'POD' };
  if (targetId && pid === 'CONTAINER') {
    options.pid = 'TARGET';
    options.targetId = targetId;
  }
  return options;
}

/** The CRI config for one start of `container`. */
export function containerConfig(pod: Pod, container: Container, input: ContainerConfigInput): ContainerConfig {
  const vars = new Map(input.env.map((e) => [e.key, e.value]));
  const expand = (s: string) => expandVars(s, (n) => vars.get(n));
  const sc = container.securityContext ?? {};
  const podSc = pod.spec?.securityContext ?? {};
  const runAsUser = sc.runAsUser ?? podSc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? podSc.runAsGroup;
  return {
    metadata: { name: container.name ?? '', attempt: input.restartCount },
    image: { image: input.image },
    command: (container.command ?? []).map(expand),
    args: (container.args ?? []).map(expand),
    workingDir: container.workingDir ?? '',
    envs: input.env.map((e) => ({ key: e.key, value: Buffer.from(e.value) })),
    mounts: input.mounts,
    labels: { [LABEL_POD_NAME]: pod.metadata.name as string, [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? 'default', [LABEL_POD_UID]: pod.metadata.uid as string, [LABEL_CONTAINER_NAME]: container.name ?? '' },
    annotations: {
      [ANNOTATION_CONTAINER_HASH]: containerHash(container),
      [ANNOTATION_RESTART_COUNT]: String(input.restartCount),
      ...(container.terminationMessagePath ? { [ANNOTATION_TERMINATION_MESSAGE_PATH]: container.terminationMessagePath } : {}),
      ...(container.terminationMessagePolicy ? { [ANNOTATION_TERMINATION_MESSAGE_POLICY]: container.terminationMessagePolicy } : {}),
    },
    logPath: `${container.name}/${input.restartCount}.log`,
    stdin: container.stdin ?? false,
    stdinOnce: container.stdinOnce ?? false,
    tty: container.tty ?? false,
    linux: {
      resources: linuxResources(container),
      securityContext: {
        privileged: sc.privileged ?? false,
        readonlyRootfs: sc.readOnlyRootFilesystem ?? false,
        ...(runAsUser !== undefined ? { runAsUser: { value: runAsUser } } : {}),
        ...(runAsGroup !== undefined ? { runAsGroup: { value: runAsGroup } } : {}),
        // fsGroup first, then the pod's supplemental groups (upstream determineEffectiveSecurityContext).
        ...(podSc.fsGroup !== undefined || podSc.supplementalGroups ? { supplementalGroups: [...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : []), ...(podSc.supplementalGroups ?? [])] } : {}),
        capabilities: { addCapabilities: sc.capabilities?.add ?? [], dropCapabilities: sc.capabilities?.drop ?? [] },
        noNewPrivs: sc.allowPrivilegeEscalation === false,
        seccomp: seccompProfileFor(pod, container, input.rootDir),
        ...appArmorCriFields(appArmorProfileOf(pod, container)),
        namespaceOptions: namespaceOptions(pod, input.targetId),
      },
    },
  };
}
