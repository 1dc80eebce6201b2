/**
 * The kubelet's container garbage collector (upstream `containerGC.GarbageCollect`): lists the
 * runtime's pods and the pod log directories, asks {@link planContainerGc} what goes and removes
 * it — dead containers (a container in unknown state is stopped first), then dead sandboxes, then
 * log directories. The thin I/O edge: every decision is the plan's.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../pkg/workqueue/index.ts';
import type { ContainerRuntime, RuntimePod } from '../runtime/types.ts';
import { planContainerGc, type ContainerGcPlan, type ContainerGcPolicy, type GcContainer, type GcPodState, type GcSandbox } from './container-gc.ts';

/** Options of {@link ContainerGarbageCollector}. */
export interface ContainerGcOptions {
  runtime: ContainerRuntime;
  policy: ContainerGcPolicy;
  /** The directory holding `<namespace>_<name>_<uid>` pod log directories. */
  logRoot: string;
  /** What the kubelet knows of a pod UID (see {@link GcPodState}); an unknown UID is `removable`. */
  podState(uid: string): GcPodState;
  /** Whether every pod source has been read once (before that, no pod is taken for deleted). */
  allSourcesReady(): boolean;
  clock: Clock;
  log: Logger;
}

/**
 * Contract: `collect` rejects only when the runtime cannot be listed (upstream's
 * `ContainerGCFailed`); a removal that fails is logged and retried next round. Rounds must not
 * overlap (the kubelet's loop and node-level reclaim are serialized by the caller's promise chain).
 */
export class ContainerGarbageCollector {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ContainerGcOptions) {}

  /** One round; `evictNonDeletedPods` also clears terminated pods (node-level reclaim, upstream `DeleteAllUnusedContainers`). */
  collect(evictNonDeletedPods = false): Promise<ContainerGcPlan> {
    const round = this.chain.then(() => this.round(evictNonDeletedPods));
    this.chain = round.catch(() => undefined);
    return round;
  }

  private async round(evictNonDeletedPods: boolean): Promise<ContainerGcPlan> {
    const { runtime, log } = this.options;
    const [pods, logDirs] = await Promise.all([runtime.listPods(), this.logDirs()]);
    const plan = planContainerGc({
      ...flatten(pods),
      logDirs,
      policy: this.options.policy,
      nowMs: this.options.clock.now(),
      podState: (uid) => this.options.podState(uid),
      allSourcesReady: this.options.allSourcesReady(),
      evictNonDeletedPods,
    });
    for (const c of plan.containers) {
      try {
        if (c.unknown) await runtime.stopContainer(c.id, 0);
        await runtime.removeContainer(c.id);
      } catch (err) {
        log.error({ err, containerID: c.id }, 'failed to remove container');
      }
    }
    for (const id of plan.sandboxes) await runtime.removeSandbox(id).catch((err: unknown) => log.error({ err, podSandboxID: id }, 'failed to remove sandbox'));
    for (const dir of plan.logDirs) await rm(join(this.options.logRoot, dir), { recursive: true, force: true }).catch((err: unknown) => log.error({ err, path: dir }, 'failed to remove pod logs directory'));
    if (plan.containers.length + plan.sandboxes.length + plan.logDirs.length > 0) log.info({ containers: plan.containers.length, sandboxes: plan.sandboxes.length, logDirs: plan.logDirs.length }, 'garbage collected');
    return plan;
  }

  private async logDirs(): Promise<string[]> {
    try {
      return (await readdir(this.options.logRoot, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}

function flatten(pods: readonly RuntimePod[]): { containers: GcContainer[]; sandboxes: GcSandbox[] } {
  return {
    containers: pods.flatMap((p) => p.containers.map((c) => ({ id: c.id, podUid: p.uid, name: c.name, sandboxId: c.sandboxId, state: c.state, createdAtMs: c.createdAtMs }))),
    sandboxes: pods.flatMap((p) => p.sandboxes.map((s) => ({ id: s.id, podUid: p.uid, ready: s.state === 'ready', createdAtMs: s.createdAtMs }))),
  };
}
