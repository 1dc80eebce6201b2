/**
 * The init containers' part of a sync (upstream `computeInitContainerActions`, with sidecars):
 * regular init containers run one at a time, in order, each to success; a sidecar (an init
 * container with `restartPolicy: Always`) is started in its turn, lets the next one start once it
 * is started (running, and past its startup probe if it has one), and is restarted whenever it
 * stops (with back-off), before and after the pod is initialized. Pure.
 */
import { isRestartableInitContainer, type Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { RuntimePod } from '../runtime/types.ts';
import type { PodActions } from './actions.ts';
import { matchesSpec } from './container-config.ts';

/** What the init-container decisions read besides the pod and runtime. */
export interface InitContext {
  /** Back-off still to wait before `name` may restart (0 = now). */
  backoffMs(name: string, finishedAtMs: number): number;
  /** Whether a running container passed its startup probe (true without one). */
  started(name: string): boolean;
  /** The back-off message of a container. */
  backoffMessage(c: Container, delayMs: number): string;
  /** The newest container of `name` in the sandbox. */
  latest(name: string): RuntimePod['containers'][number] | undefined;
  /** The restart count a new container of `name` carries (0 for the first). */
  restartCountOf(name: string): number;
  /** Sidecars an in-place resize restarts (their resizePolicy); unset = none. */
  resizeRestarts?: ReadonlySet<string>;
}

/**
 * Adds the init containers' starts, kills and back-offs to `actions`; true when the pod is
 * initialized (every regular init container succeeded and every sidecar started, or a regular
 * container already ran in this sandbox).
 */
export function addInitContainerActions(pod: Pod, actions: PodActions, ctx: InitContext): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  // An app container created or running in this sandbox: initialization happened before (its
  // init containers may since have been garbage-collected), and only sidecars are kept running.
  const initializedBefore = (pod.spec?.containers ?? []).some((c) => {
    const state = ctx.latest(c.name ?? '')?.state;
    return state === 'running' || state === 'created';
  });
  const start = (c: Container, restartCount: number) => actions.start.push({ container: c, init: true, restartCount });
  for (const init of pod.spec?.initContainers ?? []) {
    const name = init.name ?? '';
    const latest = ctx.latest(name);
    if (!isRestartableInitContainer(init)) {
      if (initializedBefore) continue;
      if (!latest) {
        start(init, 0);
        return false;
      }
      if (latest.state === 'exited' && latest.exitCode === 0) continue;
      if (latest.state === 'running' || latest.state === 'created') return false;
      if (policy === 'Never') return false; // the pod has failed
      const wait = ctx.backoffMs(name, latest.finishedAtMs);
      if (wait > 0) actions.crashLoop.set(name, ctx.backoffMessage(init, wait));
      else start(init, ctx.restartCountOf(name));
      return false;
    }
    // A sidecar.
    if (!latest) {
      start(init, ctx.restartCountOf(name));
      if (!initializedBefore) return false;
      continue;
    }
    if (latest.state === 'running') {
      const changed = !matchesSpec(latest.hash, init);
      if (changed || ctx.resizeRestarts?.has(name)) {
        const resized = `Container ${name} resize requires restart`;
        actions.kill.push(changed ? { container: latest, reason: `Init container ${name} definition changed` } : { container: latest, reason: resized, message: resized });
        start(init, ctx.restartCountOf(name));
        if (!initializedBefore) return false;
        continue;
      }
      if (!ctx.started(name) && !initializedBefore) return false;
      continue;
    }
    // Exited (or stuck in created): restarted whatever the pod's restartPolicy, after its back-off.
    const wait = latest.state === 'exited' ? ctx.backoffMs(name, latest.finishedAtMs) : 0;
    if (wait > 0) actions.crashLoop.set(name, ctx.backoffMessage(init, wait));
    else start(init, ctx.restartCountOf(name));
    if (!initializedBefore) return false;
  }
  return true;
}
