/**
 * Stopping a whole pod (upstream `killPodWithSyncResult`): preStop hooks, then the containers
 * within one grace period in upstream's termination order, then its sandboxes.
 */
import { isRestartableInitContainer } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import { runHook, type HookAction } from '../probes/hooks.ts';
import type { ContainerRuntime, RuntimeContainer, RuntimePod } from '../runtime/types.ts';
import { podIPOf } from './pod-ip.ts';

/** What stopping a pod uses: the runtime, a clock for the grace period left, and the pod's events. */
export interface KillPodDeps {
  runtime: ContainerRuntime;
  clock: Clock;
  /** The node's IP: what a host-network pod's preStop hooks target. */
  hostIP: string;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/**
 * Stops every running or created container of the pod (its preStop hook first) and every ready
 * sandbox: the app containers together, then the sidecars one by one, last declared first, all
 * within the one `graceSeconds` (each stop gets what is left of it, at least 2 s).
 */
export async function killPod(pod: Pod, runtime: RuntimePod | undefined, graceSeconds: number, deps: KillPodDeps): Promise<void> {
  const running = (runtime?.containers ?? []).filter((c) => c.state === 'running' || c.state === 'created');
  const sidecarOrder = (pod.spec?.initContainers ?? []).filter(isRestartableInitContainer).map((c) => c.name).reverse();
  const started = deps.clock.now();
  const podIP = podIPOf(pod, runtime?.sandboxes.find((s) => s.state === 'ready')?.ip, deps.hostIP);
  const stop = async (c: RuntimeContainer) => {
    const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((x) => x.name === c.name);
    const preStop = spec?.lifecycle?.preStop as HookAction | undefined;
    if (spec && preStop && c.state === 'running') {
      const failure = await runHook(preStop, { runtime: deps.runtime, containerId: c.id, container: spec, podIP, timeoutSeconds: graceSeconds });
      if (failure) deps.event('Warning', 'FailedPreStopHook', failure);
    }
    deps.event('Normal', 'Killing', `Stopping container ${c.name}`);
    const remaining = Math.max(2, graceSeconds - Math.floor((deps.clock.now() - started) / 1000));
    await deps.runtime.stopContainer(c.id, remaining);
  };
  await Promise.all(running.filter((c) => !sidecarOrder.includes(c.name)).map(stop));
  for (const name of sidecarOrder) for (const c of running.filter((r) => r.name === name)) await stop(c);
  for (const s of runtime?.sandboxes ?? []) if (s.state === 'ready') await deps.runtime.stopSandbox(s.id);
}
