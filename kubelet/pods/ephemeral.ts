/**
 * Ephemeral (debug) containers in the kubelet (upstream kuberuntime's ephemeral container
 * handling): which to start — each at most once, in the pod's ready sandbox, never restarted —
 * the running container a `targetContainerName` shares its PID namespace with, and their
 * statuses (never ready, not part of the pod's readiness or phase). Pure.
 */
import type { ContainerStatus } from '../../pkg/api/core/v1/pod-status.ts';
import type { Container, EphemeralContainer } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { RuntimePod } from '../runtime/types.ts';

/** The ephemeral container names of a pod. */
export function ephemeralNames(pod: Pod): Set<string> {
  return new Set((pod.spec?.ephemeralContainers ?? []).map((c) => c.name ?? ''));
}

/**
 * The ephemeral containers to start now (upstream computePodActions): those the runtime has
 * never held under their name, in any sandbox — one that ran and exited is not started again.
 */
export function ephemeralToStart(pod: Pod, runtime: RuntimePod | undefined): EphemeralContainer[] {
  const held = new Set((runtime?.containers ?? []).map((c) => c.name));
  return (pod.spec?.ephemeralContainers ?? []).filter((c) => !held.has(c.name ?? ''));
}

/** An ephemeral container as the Container the config and status code handle (the same fields, upstream's cast). */
export function asContainer(c: EphemeralContainer): Container {
  const { targetContainerName: _target, ...container } = c;
  return container;
}

/**
 * The runtime id of the container whose PID namespace `c` joins (upstream startSpec.getTargetID):
 * none without `targetContainerName`; an error when the target is not running in `sandboxId`.
 */
export function ephemeralTarget(c: EphemeralContainer, runtime: RuntimePod | undefined, sandboxId: string): { id?: string; error?: string } {
  if (!c.targetContainerName) return {};
  const target = (runtime?.containers ?? []).find((rc) => rc.name === c.targetContainerName && rc.sandboxId === sandboxId && rc.state === 'running');
  if (!target) return { error: `unable to find target container ${c.targetContainerName}` };
  return { id: target.id };
}

/**
 * `status.ephemeralContainerStatuses` from the statuses computed like any container's (`base`,
 * one per spec entry): an ephemeral container is never ready, has no `started` (the prober
 * never looks at it) and no previous attempt.
 */
export function ephemeralStatuses(base: readonly ContainerStatus[]): ContainerStatus[] {
  return base.map((s) => {
    const { started: _started, lastState: _last, ...rest } = s;
    return { ...rest, ready: false, restartCount: 0 };
  });
}
