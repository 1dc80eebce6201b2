/**
 * The StatefulSet reconciler (upstream StatefulSetController.sync + UpdateStatefulSet): adopts
 * orphan ControllerRevisions and claims pods (selected by the selector and named after the set),
 * resolves the current and update revisions, runs the steps {@link planStatefulSet} decides,
 * writes the status when it changed (even after a failed step, as upstream) and deletes
 * revisions beyond `revisionHistoryLimit`. No expectations are needed: pod names are fixed, so a
 * stale cache can only make a create fail with AlreadyExists (retried) and deletes carry the
 * pod's uid. With `minReadySeconds` the set is looked at again once pods may have become available.
 */
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import { fromLabelSelector, type LabelSelectorMatcher } from '../../../pkg/api/selectors/index.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { claimChildren, ownedOrOrphans, type EventRecorder, type ReconcileContext, type ReconcileRequest, type Reconciler, type Result } from '../../../pkg/runtime/index.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { isMemberOf, podRevision, replicasOf, STATEFULSET_OWNER } from './identity.ts';
import { planStatefulSet, type Plan, type Step } from './plan.ts';
import { StatefulPodControl } from './pod-control.ts';
import { StatefulSetHistory } from './history.ts';
import { applyRevision, revisionsToTruncate } from './revision.ts';
import { completeRollingUpdate, statusChanged, toWireStatus } from './status.ts';

type S = DeepReadonly<StatefulSet>;

/** Upstream MaxBatchSize: the most concurrent writes of one `Parallel` step batch. */
export const MAX_BATCH_SIZE = 500;

/** Dependencies of {@link StatefulSetReconciler}. */
export interface StatefulSetReconcilerDeps {
  client: Client;
  statefulSets: Lister<StatefulSet>;
  pods: Lister<Pod>;
  revisions: Lister<ControllerRevision>;
  claims: Lister<PersistentVolumeClaim>;
  recorder: EventRecorder;
  clock: Clock;
}

/**
 * Level-based: each call reads the set, its pods and revisions from the caches and acts on that
 * state only. A thrown error means "retry with back-off" (a failed create, delete or status
 * write); `{ requeueAfterMs }` asks for a look once `minReadySeconds` may have passed.
 */
export class StatefulSetReconciler implements Reconciler {
  private readonly podControl: StatefulPodControl;
  private readonly history: StatefulSetHistory;

  constructor(private readonly deps: StatefulSetReconcilerDeps) {
    this.podControl = new StatefulPodControl({ client: deps.client, recorder: deps.recorder, claims: deps.claims });
    this.history = new StatefulSetHistory({ client: deps.client, revisions: deps.revisions });
  }

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const { deps } = this;
    const set = deps.statefulSets.get(`${req.namespace}/${req.name}`);
    if (!set || set.metadata.deletionTimestamp) return;
    let selector: LabelSelectorMatcher;
    try {
      if (!set.spec?.selector) throw new Error('no selector');
      selector = fromLabelSelector(set.spec.selector as never);
    } catch (err) {
      // Not transient (validation keeps such sets out): nothing to retry.
      ctx.log.warn({ err }, 'statefulset selector unusable');
      return;
    }
    const canAdopt = this.canAdopt(set);
    const revisions = await this.history.list(set, selector, canAdopt);
    const pods = await claimChildren({
      owner: set,
      ownerType: STATEFULSET_OWNER,
      selector,
      filter: (pod) => isMemberOf(set, pod as DeepReadonly<Pod>),
      children: ownedOrOrphans(deps.pods, set),
      client: deps.client.pods.inNamespace(req.namespace),
      getOwnerFresh: () => deps.client.statefulSets.inNamespace(req.namespace).get(req.name),
    });
    const { current, update, collisionCount, all } = await this.history.resolve(set, revisions);
    const plan = planStatefulSet({
      set,
      pods,
      current: { name: current.metadata.name as string, set: applyRevision(set, current) },
      update: { name: update.metadata.name as string, set: applyRevision(set, update) },
      collisionCount,
      nowMs: deps.clock.now(),
    });
    const failure = (await this.fixClaimOwners(set, pods, ctx)) ?? (await this.execute(set, plan, ctx));
    const status = completeRollingUpdate(set, plan.status);
    if (statusChanged(set.status, status)) {
      await deps.client.statefulSets
        .inNamespace(req.namespace)
        .updateStatus({ ...copyJson(set), status: toWireStatus(status) } as StatefulSet)
        .catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
    }
    const live = new Set([current.metadata.name as string, update.metadata.name as string, ...pods.map(podRevision)]);
    for (const old of revisionsToTruncate(all, live, set.spec?.revisionHistoryLimit ?? 10)) await this.history.delete(old);
    if (failure) throw failure;
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.availableReplicas !== replicasOf(set)) return { requeueAfterMs: minReady * 1000 };
  }

  /** Adoption needs the set itself to be live (upstream canAdoptFunc: fresh read, same uid, not deleting). */
  private canAdopt(set: S): () => Promise<boolean> {
    let answer: Promise<boolean> | undefined;
    return () =>
      (answer ??= this.deps.client.statefulSets
        .inNamespace(set.metadata.namespace as string)
        .get(set.metadata.name as string)
        .then(
          (fresh) => fresh.metadata.uid === set.metadata.uid && !fresh.metadata.deletionTimestamp,
          (err: unknown) => (isNotFound(err) ? false : Promise.reject(err)),
        ));
  }

  /**
   * Claim owner references per `persistentVolumeClaimRetentionPolicy` for every existing pod —
   * before any step, so a condemned pod's claims are owned by the pod before it is deleted
   * (upstream fixes condemned pods first and in-range pods as it visits them).
   */
  private async fixClaimOwners(set: S, pods: readonly DeepReadonly<Pod>[], ctx: ReconcileContext): Promise<Error | undefined> {
    if (!(set.spec?.volumeClaimTemplates ?? []).length) return undefined;
    for (const pod of pods) {
      try {
        await this.podControl.updateClaimsForRetention(set, pod);
      } catch (err) {
        ctx.log.warn({ err, pod: pod.metadata.name }, 'cannot update claim owner references');
        return err as Error;
      }
    }
    return undefined;
  }

  /** Runs the steps in order; `Parallel` runs each phase's steps in slow-start batches. The first failure stops it. */
  private async execute(set: S, plan: Plan, ctx: ReconcileContext): Promise<Error | undefined> {
    const run = (step: Step): Promise<void> => {
      if (step.action === 'create') return this.podControl.create(set, step.pod);
      if (step.action === 'delete') {
        ctx.log.info({ pod: step.pod.metadata.name, reason: step.reason }, 'deleting statefulset pod');
        return this.podControl.delete(set, step.pod);
      }
      return this.podControl.fixIdentity(set, step.pod);
    };
    const phases = plan.steps.reduce<Step[][]>((groups, step) => {
      const last = groups[groups.length - 1];
      if (last && last[0]!.phase === step.phase) last.push(step);
      else groups.push([step]);
      return groups;
    }, []);
    for (const steps of phases) {
      const failure = plan.monotonic ? await sequentially(steps, run) : await slowStart(steps, run);
      if (failure) {
        ctx.log.warn({ err: failure }, 'statefulset step failed');
        return failure;
      }
    }
    return undefined;
  }
}

async function sequentially(steps: readonly Step[], run: (s: Step) => Promise<void>): Promise<Error | undefined> {
  for (const step of steps) {
    try {
      await run(step);
    } catch (err) {
      return err as Error;
    }
  }
  return undefined;
}

/** Upstream slowStartBatch: batches of 1, 2, 4, … (at most {@link MAX_BATCH_SIZE}) until one fails. */
async function slowStart(steps: readonly Step[], run: (s: Step) => Promise<void>): Promise<Error | undefined> {
  let next = 0;
  for (let size = 1; next < steps.length; size = Math.min(size * 2, MAX_BATCH_SIZE)) {
    const batch = steps.slice(next, next + size);
    next += batch.length;
    const results = await Promise.allSettled(batch.map(run));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
    if (failed.length === 1) return failed[0];
    if (failed.length > 1) return new Error(`[${failed.map((e) => e.message).join(', ')}]`);
  }
  return undefined;
}
