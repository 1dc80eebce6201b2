/**
 * Writing a pod's status (upstream status manager's `SetPodStatus` and sync): the status is
 * generated against the newest one known — the API's, or the one this kubelet wrote last while
 * its copy of the pod predates that write ({@link WrittenStatuses}) — and sent as a merge patch of
 * the `status` subresource only when it differs. Transition times and the start time carry over
 * from that same status, so a lagging watch does not move them. The first write that moves a pod
 * to Running observes `kubelet_pod_start_duration_seconds` from when this kubelet first saw it.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { isTerminalPodPhase, type PodCondition, type PodStatus } from '../../pkg/api/core/v1/pod-status.ts';
import type { Client } from '../../pkg/client/index.ts';
import { isNotFound } from '../../pkg/errors/index.ts';
import { rfc3339 } from '../../pkg/util/time.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import type { KubeletMetrics } from '../metrics/kubelet-metrics.ts';
import type { RuntimePod } from '../runtime/types.ts';
import { generatePodStatus, type StatusInput } from './status.ts';
import { statusUnchanged } from './status-equal.ts';
import { WrittenStatuses } from './written-statuses.ts';

type Status = Record<string, unknown>;

/** The API pod a status is written to. */
export interface StatusTarget {
  namespace: string;
  name: string;
  uid: string;
  /** The resourceVersion of the API copy the synced pod's status was read from. */
  resourceVersion: string | undefined;
}

/** The API pod itself as the target of a status (a static pod's is its mirror). Pure. */
export function statusTargetOf(pod: Pod): StatusTarget {
  return { namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name as string, uid: pod.metadata.uid as string, resourceVersion: pod.metadata.resourceVersion };
}

/**
 * The status a new one is built on and compared with: `baseline` (the newest known, see
 * {@link WrittenStatuses.baseline}), except that a final phase the caller decided for the pod
 * (eviction, rejection) wins over a baseline that is not final. Pure.
 */
export function knownStatus(pod: Pod, baseline: Status | undefined): Status | undefined {
  if (isTerminalPodPhase(pod.status?.phase) && !isTerminalPodPhase(baseline?.phase as string | undefined)) return pod.status as Status;
  return baseline;
}

/** Whether writing a status of phase `next` over one of phase `known` moves the pod to Running (upstream's start-duration moment). Pure. */
export function movesToRunning(next: string | undefined, known: unknown): boolean {
  return next === 'Running' && known !== 'Running';
}

/** What of a pod's status comes from the syncer's own state: waiting reasons, probe results, resize grants. */
export type PodStatusSources = (pod: Pod, runtime: RuntimePod | undefined, now: string, previousConditions: readonly PodCondition[]) => Omit<StatusInput, 'now' | 'hostIP'>;

/** What {@link PodStatusWriter} needs. */
export interface PodStatusWriterDeps {
  client: Client;
  clock: Clock;
  hostIP(): string;
  /** The per-pod inputs of {@link generatePodStatus} besides the time and the host IP. */
  sources: PodStatusSources;
  /** Observes pod start durations; unset = not observed. */
  metrics?: Pick<KubeletMetrics, 'podStartDuration'>;
}

/**
 * Contract: `write` patches the target's status only when the generated status differs from the
 * newest known one; a target that is gone (NotFound) is no error, any other API error is thrown.
 * Call `seen` at each sync (the first call starts the pod's start duration) and `forget` once the
 * pod is gone. One call per pod at a time (the pod workers guarantee it).
 */
export class PodStatusWriter {
  private readonly written = new WrittenStatuses();
  /** When this kubelet first synced each pod (ms): the start of `kubelet_pod_start_duration_seconds`. */
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly deps: PodStatusWriterDeps) {}

  /** Notes that the pod is being synced (its first sync starts its start duration). */
  seen(uid: string): void {
    if (!this.firstSeen.has(uid)) this.firstSeen.set(uid, this.deps.clock.now());
  }

  /** The status `write` would report now, and the newest one known it starts from; `terminal`: see {@link StatusInput.terminal}. */
  generate(pod: Pod, runtime: RuntimePod | undefined, target: StatusTarget = statusTargetOf(pod), terminal = false): { status: PodStatus; known: Status | undefined } {
    const known = knownStatus(pod, this.written.baseline(pod.metadata.uid as string, pod.status as Status | undefined, target.resourceVersion));
    const now = rfc3339(this.deps.clock.now());
    const status = generatePodStatus(known === pod.status ? pod : ({ ...pod, status: known } as Pod), runtime, {
      now,
      hostIP: this.deps.hostIP(),
      ...this.deps.sources(pod, runtime, now, (known?.conditions ?? []) as PodCondition[]),
      terminal,
    });
    return { status, known };
  }

  /** Writes the pod's status to `target` when it differs from the newest one known. */
  async write(pod: Pod, runtime: RuntimePod | undefined, target: StatusTarget = statusTargetOf(pod), terminal = false): Promise<void> {
    const uid = pod.metadata.uid as string;
    const { status, known } = this.generate(pod, runtime, target, terminal);
    if (statusUnchanged(status as Status, known)) return;
    try {
      const written = await this.deps.client.pods.inNamespace(target.namespace).patch(target.name, { metadata: { uid: target.uid }, status }, { type: 'merge', subresource: 'status' });
      this.written.remember(uid, written);
      const seen = this.firstSeen.get(uid);
      if (seen !== undefined && movesToRunning(status.phase, known?.phase)) this.deps.metrics?.podStartDuration((this.deps.clock.now() - seen) / 1000);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Forgets a pod that is gone (its written status and first-seen time). */
  forget(uid: string): void {
    this.firstSeen.delete(uid);
    this.written.forget(uid);
  }
}
