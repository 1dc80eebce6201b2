/**
 * The pod status the kubelet reports (upstream `generateAPIPodStatus` + `getPhase`), from the
 * desired pod, what the runtime holds and why containers wait. Pure; transition times of
 * unchanged conditions are kept from the previous status.
 */
import { isRestartableInitContainer, type Container } from '../../pkg/api/core/v1/pod-container.ts';
import { isTerminalPodPhase, type ContainerStatus, type PodCondition, type PodStatus } from '../../pkg/api/core/v1/pod-status.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { RuntimeContainer, RuntimePod } from '../runtime/types.ts';
import { latestContainer, shouldRestart } from './actions.ts';
import { asContainer, ephemeralStatuses } from './ephemeral.ts';
import { podIPOf } from './pod-ip.ts';
import { rfc3339 } from '../../pkg/util/time.ts';

/** A waiting reason set by the sync (image pull, config, back-off). */
export interface Waiting {
  reason: string;
  message: string;
}

/** Inputs besides the pod and runtime state. */
export interface StatusInput {
  /** RFC 3339 (seconds) "now". */
  now: string;
  hostIP: string;
  waiting: ReadonlyMap<string, Waiting>;
  /** Readiness per container name; absent = no readiness probe (ready when running). */
  readiness?: ReadonlyMap<string, boolean>;
  /** Whether a running container passed its startup probe (absent: it has). */
  started?: (name: string) => boolean;
  /** A container's `allocatedResources` and `resources` (in-place resize); absent: neither is reported. */
  containerResources?: (name: string, latest: RuntimeContainer | undefined) => Pick<ContainerStatus, 'allocatedResources' | 'resources'>;
  /** The kubelet's resize conditions (`PodResizePending`, `PodResizeInProgress`); they replace the old ones of those types. */
  resizeConditions?: readonly PodCondition[];
  /**
   * The pod was terminated (deleted, its containers stopped for good): its phase is final whatever
   * its restart policy (upstream `podIsTerminal` and the status manager's `TerminatePod`).
   */
  terminal?: boolean;
}

/** Condition types the kubelet reports only while a resize is pending or in progress. */
const RESIZE_CONDITIONS = new Set(['PodResizePending', 'PodResizeInProgress']);


function containerId(c: RuntimeContainer): string {
  return `containerd://${c.id}`;
}

function terminatedState(c: RuntimeContainer) {
  return {
    terminated: {
      exitCode: c.exitCode,
      reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
      ...(c.message ? { message: c.message } : {}),
      startedAt: c.startedAtMs ? rfc3339(c.startedAtMs) : undefined,
      finishedAt: c.finishedAtMs ? rfc3339(c.finishedAtMs) : undefined,
      containerID: containerId(c),
    },
  };
}

/** Upstream's last state of a container that was running and is gone from the runtime. */
const LOST_WHILE_RUNNING = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was deleted.  The container used to be Running' } };

/** Upstream's state of such a container once the pod is over. */
const LOST_AT_TERMINATION = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } };

function statusOf(spec: Container, runtime: RuntimePod | undefined, sandboxId: string | undefined, input: StatusInput, defaultWaiting: string, old: ContainerStatus | undefined, deleting: boolean): ContainerStatus {
  const name = spec.name ?? '';
  const latest = latestContainer(runtime, sandboxId, name) ?? latestContainer(runtime, undefined, name);
  // A container the runtime no longer holds (collected, or gone with the node's runtime state)
  // keeps the terminated state it last reported, as upstream's convertToAPIContainerStatuses:
  // a completed pod stays Completed instead of turning back into ContainerCreating.
  if (!latest && old?.state?.terminated) {
    const waiting = input.waiting.get(name);
    return waiting ? { ...old, state: { waiting }, lastState: old.state } : old;
  }
  const previous = (runtime?.containers ?? []).filter((c) => c.name === name && c !== latest && c.state === 'exited').sort((a, b) => b.attempt - a.attempt)[0];
  // Without an earlier attempt in the runtime, the last state reported stays (upstream).
  const lastState = previous ? { lastState: terminatedState(previous) } : old?.lastState?.terminated ? { lastState: old.lastState } : {};
  const waiting = input.waiting.get(name);
  const base: ContainerStatus = { name, image: spec.image ?? '', imageID: latest?.imageRef ?? '', ready: false, restartCount: latest?.restartCount ?? old?.restartCount ?? 0, started: false, ...input.containerResources?.(name, latest) };
  if (latest) base.containerID = containerId(latest);
  if (latest?.state === 'running' && !waiting) {
    const ready = input.readiness?.get(name) ?? true;
    return { ...base, state: { running: { startedAt: rfc3339(latest.startedAtMs || latest.createdAtMs) } }, ...lastState, ready, started: input.started?.(name) ?? true };
  }
  if (latest?.state === 'exited') {
    if (waiting) return { ...base, state: { waiting }, lastState: terminatedState(latest) };
    return { ...base, state: terminatedState(latest), ...lastState };
  }
  // It was running and the runtime lost it (its state went with `k8ts down`, a reboot): upstream
  // reports it terminated with an unknown status and, unless the pod is being deleted, restarted.
  if (!latest && old?.state?.running) {
    return { ...base, restartCount: (old.restartCount ?? 0) + (deleting ? 0 : 1), state: { waiting: waiting ?? { reason: defaultWaiting } }, lastState: LOST_WHILE_RUNNING };
  }
  return { ...base, state: { waiting: waiting ?? { reason: defaultWaiting } }, ...lastState };
}

/**
 * Upstream `getPhase` once the pod is initialized (regular init containers are handled by the
 * caller): app containers, and sidecars — a running one counts as running, one that has not run
 * yet as waiting, a stopped one not at all.
 */
export function podPhase(pod: Pod, statuses: readonly ContainerStatus[], sidecars: readonly ContainerStatus[] = [], terminal = false): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of sidecars) {
    if (s.state?.running) running++;
    else if (!s.state?.terminated && !s.lastState?.terminated) waiting++;
  }
  for (const s of statuses) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    // A terminated pod's containers are not restarted whatever the policy.
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, now: string, previous: readonly PodCondition[] | undefined, reason?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const old = previous?.find((c) => c.type === type);
  return { type, status, lastProbeTime: null as unknown as undefined, lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : now, ...(reason && !ok ? { reason } : {}) };
}

/**
 * Why the pod's readiness gates hold Ready back (upstream GeneratePodReadyCondition): one message
 * per gate whose condition is missing or not `True`; empty when every gate is satisfied.
 */
export function unreadyGateMessages(pod: Pod, conditions: readonly PodCondition[] | undefined): string[] {
  const messages: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = conditions?.find((x) => x.type === gate.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  return messages;
}

/** The full status to report. */
export function generatePodStatus(pod: Pod, runtime: RuntimePod | undefined, input: StatusInput): PodStatus {
  const old = pod.status ?? {};
  const deleting = Boolean(pod.metadata.deletionTimestamp);
  const sandbox = runtime?.sandboxes[0];
  const sandboxId = sandbox?.state === 'ready' ? sandbox.id : sandbox?.id;
  const inits = pod.spec?.initContainers ?? [];
  const oldStatus = (list: readonly ContainerStatus[] | undefined, name: string | undefined) => list?.find((s) => s.name === name);
  const initStatuses = inits.map((c) => statusOf(c, runtime, sandboxId, input, 'PodInitializing', oldStatus(old.initContainerStatuses, c.name), deleting));
  const sidecarStatuses = initStatuses.filter((_, i) => isRestartableInitContainer(inits[i]));
  // Upstream: a regular init container succeeded, a sidecar started.
  const incomplete = initStatuses.filter((s, i) => (isRestartableInitContainer(inits[i]) ? !(s.state?.running && s.started) : s.state?.terminated?.exitCode !== 0));
  const appDefault = incomplete.length === 0 ? 'ContainerCreating' : 'PodInitializing';
  const statuses = (pod.spec?.containers ?? []).map((c) => statusOf(c, runtime, sandboxId, input, appDefault, oldStatus(old.containerStatuses, c.name), deleting));
  // An app container that has run means the pod was initialized, even while a sidecar restarts.
  const initialized = incomplete.length === 0 || statuses.some((s) => s.state?.running || s.state?.terminated);
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let phase: string;
  if (!initialized) {
    const initFailed = initStatuses.some((s, i) => !isRestartableInitContainer(inits[i]) && s.state?.terminated && s.state.terminated.exitCode !== 0 && !shouldRestart(policy, s.state.terminated.exitCode));
    phase = initFailed ? 'Failed' : 'Pending';
  } else {
    phase = podPhase(pod, statuses, sidecarStatuses, input.terminal);
  }
  if (isTerminalPodPhase(old.phase)) phase = old.phase as string;
  // A terminated pod ends Failed when its containers do not say otherwise (upstream TerminatePod).
  if (input.terminal && !isTerminalPodPhase(phase)) phase = 'Failed';
  // A container of a finished pod that had run but is in no runtime any more ends terminated with
  // an unknown status (upstream's status manager, TerminatePod), not waiting; so does, once the pod
  // was initialized, one of a terminated pod that never ran.
  const lost = (s: ContainerStatus) => (s.state?.waiting && s.lastState?.terminated) || (input.terminal && initialized && !s.state?.terminated);
  if (isTerminalPodPhase(phase)) for (const [i, s] of statuses.entries()) if (lost(s)) statuses[i] = { ...s, ready: false, state: LOST_AT_TERMINATION };
  // Sidecars must be ready too, and are named first (upstream GenerateContainersReadyCondition).
  const readiness = [...sidecarStatuses, ...statuses];
  const containersReady = statuses.length > 0 && readiness.every((s) => s.ready);
  const terminalReason = isTerminalPodPhase(phase) ? 'PodCompleted' : undefined;
  // Ready also waits for the pod's readiness gates, conditions other controllers write.
  const unreadyGates = containersReady ? unreadyGateMessages(pod, old.conditions) : [];
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', sandbox?.state === 'ready', input.now, old.conditions),
    condition('Initialized', initialized, input.now, old.conditions, terminalReason ?? 'ContainersNotInitialized'),
    unreadyGates.length
      ? { ...condition('Ready', false, input.now, old.conditions, 'ReadinessGatesNotReady'), message: unreadyGates.join(', ') }
      : condition('Ready', containersReady, input.now, old.conditions, terminalReason ?? 'ContainersNotReady'),
    condition('ContainersReady', containersReady, input.now, old.conditions, terminalReason ?? 'ContainersNotReady'),
    old.conditions?.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled', true, input.now, undefined),
  ];
  // Conditions others own (DisruptionTarget, readiness gates) are kept, as upstream's status manager does.
  const owned = new Set([...conditions.map((c) => c.type), ...RESIZE_CONDITIONS]);
  conditions.push(...(input.resizeConditions ?? []), ...(old.conditions ?? []).filter((c) => !owned.has(c.type)));
  for (const c of conditions) {
    if (c.status === 'False' && c.reason && (c.type === 'Ready' || c.type === 'ContainersReady') && !terminalReason && c.reason !== 'ReadinessGatesNotReady') {
      const notReady = readiness.filter((s) => !s.ready).map((s) => s.name);
      c.message = `containers with unready status: [${notReady.join(' ')}]`;
    }
    if (c.type === 'Initialized' && c.status === 'False' && !terminalReason) {
      c.message = `containers with incomplete status: [${incomplete.map((s) => s.name).join(' ')}]`;
    }
  }
  // A host-network pod's IP is the node's, immutable once set (upstream); any other pod's is its ready sandbox's, kept while there is none.
  const podIP = pod.spec?.hostNetwork ? old.podIP || podIPOf(pod, undefined, input.hostIP) : sandbox?.state === 'ready' ? sandbox.ip : (old.podIP ?? '');
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: input.hostIP ? [{ ip: input.hostIP }] : [],
    startTime: old.startTime ?? input.now,
    containerStatuses: statuses,
    ...(inits.length ? { initContainerStatuses: initStatuses } : {}),
    ...(pod.spec?.ephemeralContainers?.length
      ? { ephemeralContainerStatuses: ephemeralStatuses(pod.spec.ephemeralContainers.map((c) => statusOf(asContainer(c), runtime, sandboxId, input, inits.length ? 'PodInitializing' : 'ContainerCreating', oldStatus(old.ephemeralContainerStatuses, c.name), deleting))) }
      : {}),
    ...(old.qosClass ? { qosClass: old.qosClass } : {}),
    // Why the pod failed (an eviction, an admission rejection) stays with it.
    ...(old.reason ? { reason: old.reason } : {}),
    ...(old.message ? { message: old.message } : {}),
  };
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  return status;
}
