/**
 * What one sync of a pod must do, decided from the desired pod and what the runtime holds
 * (upstream `computePodActions`). Pure: the caller executes the actions and reports the
 * waiting reasons in the status.
 */
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { RuntimeContainer, RuntimePod, RuntimeSandbox } from '../runtime/types.ts';
import { formatDuration } from '../../pkg/util/duration.ts';
import { matchesSpec } from './container-config.ts';
import { asContainer, ephemeralNames, ephemeralToStart } from './ephemeral.ts';
import { addInitContainerActions } from './init-actions.ts';
import { isRestartableInitContainer } from '../../pkg/api/core/v1/pod-container.ts';

/** A container to start, with the restart count it will carry. */
export interface StartAction {
  container: Container;
  init: boolean;
  restartCount: number;
  /** Set for an ephemeral container: the container whose PID namespace it joins, if any. */
  ephemeral?: { targetContainerName?: string };
}

/** The plan of one sync. */
export interface PodActions {
  /** Stop every container and sandbox of the pod (sandbox gone or replaced, or pod finished). */
  killPod: boolean;
  /** Create a new sandbox with this attempt number (after killing the old one). */
  createSandbox: { attempt: number } | null;
  /** The ready sandbox to start containers in (absent when one must be created). */
  sandbox: RuntimeSandbox | null;
  start: StartAction[];
  /**
   * Running containers to stop: replaced by a new spec, restarted by a resize, or not in the spec
   * at all. `message` is the Killing event's text when it is not `<reason>, will be restarted`.
   */
  kill: Array<{ container: RuntimeContainer; reason: string; message?: string }>;
  /** Running sidecars to stop for good, in this order: the pod's app containers have finished. */
  stop: RuntimeContainer[];
  /** Containers held back by a restart back-off: name → message. */
  crashLoop: Map<string, string>;
}

/** Restart decision per policy (upstream `ShouldContainerBeRestarted`). */
export function shouldRestart(policy: string | undefined, exitCode: number): boolean {
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCode !== 0;
  return true;
}

/** The newest runtime container of `name` in `sandboxId`, if any. */
export function latestContainer(runtime: RuntimePod | undefined, sandboxId: string | undefined, name: string): RuntimeContainer | undefined {
  let best: RuntimeContainer | undefined;
  for (const c of runtime?.containers ?? []) {
    if (c.name !== name || (sandboxId && c.sandboxId !== sandboxId)) continue;
    if (!best || c.attempt > best.attempt || (c.attempt === best.attempt && c.createdAtMs > best.createdAtMs)) best = c;
  }
  return best;
}

/** Whether every app container has finished for good under the restart policy. */
export function podFinished(pod: Pod, runtime: RuntimePod | undefined, sandboxId: string | undefined): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return false;
  const containers = pod.spec?.containers ?? [];
  return containers.length > 0 && containers.every((c) => {
    const latest = latestContainer(runtime, sandboxId, c.name ?? '');
    return latest?.state === 'exited' && !shouldRestart(policy, latest.exitCode);
  });
}

/**
 * Decides the actions; `backoffMs(containerName, finishedAtMs)` is the restart back-off the
 * container is still in (0 = may restart now); `started(name)` whether a running container passed
 * its startup probe (a sidecar with one holds the next init container back until it has);
 * `resizeRestarts` the app containers an in-place resize restarts (their resizePolicy).
 */
export function computePodActions(pod: Pod, runtime: RuntimePod | undefined, backoffMs: (name: string, finishedAtMs: number) => number, started: (name: string) => boolean = () => true, resizeRestarts: ReadonlySet<string> = new Set()): PodActions {
  const actions: PodActions = { killPod: false, createSandbox: null, sandbox: null, start: [], kill: [], stop: [], crashLoop: new Map() };
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const latestSandbox = runtime?.sandboxes[0];
  const sandboxReady = latestSandbox?.state === 'ready';
  if (pod.metadata.deletionTimestamp) {
    actions.killPod = Boolean(runtime && (runtime.sandboxes.some((s) => s.state === 'ready') || runtime.containers.some((c) => c.state === 'running')));
    return actions;
  }
  if (!sandboxReady) {
    // A sandbox that died after the pod finished is not recreated.
    if (latestSandbox && podFinished(pod, runtime, latestSandbox.id)) return actions;
    actions.killPod = Boolean(runtime?.containers.some((c) => c.state === 'running') || latestSandbox);
    actions.createSandbox = { attempt: latestSandbox ? latestSandbox.attempt + 1 : 0 };
    const first = (pod.spec?.initContainers ?? [])[0];
    if (first) actions.start.push({ container: first, init: true, restartCount: 0 });
    else for (const c of pod.spec?.containers ?? []) actions.start.push({ container: c, init: false, restartCount: 0 });
    return actions;
  }
  actions.sandbox = latestSandbox;
  const sandboxId = latestSandbox.id;
  // The app containers finished for good (restartPolicy Never/OnFailure): the pod is done. Its
  // sidecars are stopped, not kept running or restarted (upstream kills the pod), and no
  // ephemeral container starts.
  if (podFinished(pod, runtime, sandboxId)) {
    actions.stop.push(...runningSidecars(pod, runtime, sandboxId));
    return actions;
  }
  // Ephemeral containers first, even while init containers run (upstream SyncPod step 5).
  for (const ec of ephemeralToStart(pod, runtime)) actions.start.push({ container: asContainer(ec), init: false, restartCount: 0, ephemeral: { targetContainerName: ec.targetContainerName } });
  const restartCountOf = (name: string) => {
    const latest = latestContainer(runtime, undefined, name);
    return latest ? latest.restartCount + 1 : 0;
  };
  const backoffMessage = (c: Container, delayMs: number) => `back-off ${formatDuration(delayMs)} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

  const initialized = addInitContainerActions(pod, actions, {
    backoffMs,
    started,
    backoffMessage,
    latest: (name) => latestContainer(runtime, sandboxId, name),
    restartCountOf,
    resizeRestarts,
  });
  if (!initialized) return actions;

  const specNames = new Set([...(pod.spec?.containers ?? []).map((c) => c.name), ...ephemeralNames(pod)]);
  for (const c of pod.spec?.containers ?? []) {
    const latest = latestContainer(runtime, sandboxId, c.name ?? '');
    if (!latest) {
      actions.start.push({ container: c, init: false, restartCount: restartCountOf(c.name ?? '') });
      continue;
    }
    if (latest.state === 'running' || latest.state === 'created') {
      if (!matchesSpec(latest.hash, c)) {
        actions.kill.push({ container: latest, reason: `Container ${c.name} definition changed` });
        actions.start.push({ container: c, init: false, restartCount: latest.restartCount + 1 });
      } else if (latest.state === 'running' && resizeRestarts.has(c.name ?? '')) {
        const message = `Container ${c.name} resize requires restart`;
        actions.kill.push({ container: latest, reason: message, message });
        actions.start.push({ container: c, init: false, restartCount: latest.restartCount + 1 });
      }
      continue;
    }
    if (!shouldRestart(policy, latest.exitCode)) continue;
    const wait = backoffMs(c.name ?? '', latest.finishedAtMs);
    if (wait > 0) {
      actions.crashLoop.set(c.name ?? '', backoffMessage(c, wait));
      continue;
    }
    actions.start.push({ container: c, init: false, restartCount: latest.restartCount + 1 });
  }
  for (const rc of runtime?.containers ?? []) {
    const isInit = (pod.spec?.initContainers ?? []).some((i) => i.name === rc.name);
    if (rc.state === 'running' && !specNames.has(rc.name) && !isInit) actions.kill.push({ container: rc, reason: 'Container is not in the pod spec' });
  }
  return actions;
}

/** The running sidecars of the sandbox, last declared first (upstream stops sidecars in reverse order). */
export function runningSidecars(pod: Pod, runtime: RuntimePod | undefined, sandboxId: string | undefined): RuntimeContainer[] {
  return (pod.spec?.initContainers ?? [])
    .filter(isRestartableInitContainer)
    .map((c) => latestContainer(runtime, sandboxId, c.name ?? ''))
    .filter((c): c is RuntimeContainer => c?.state === 'running')
    .reverse();
}
