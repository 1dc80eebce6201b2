/**
 * The ReplicaSet reconciler (upstream `ReplicaSetController.syncReplicaSet`): claims pods by
 * selector and controller reference, creates missing pods in slow-start batches or deletes the
 * best candidates when there are too many — only once earlier creations/deletions have been
 * observed (expectations) — and writes the status when it changed. Events as upstream:
 * `SuccessfulCreate` "Created pod: …", `SuccessfulDelete` "Deleted pod: …",
 * `FailedCreate` "Error creating: …".
 */
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { claimChildren, newControllerRef, ownedOrOrphans, TerminalError, type EventRecorder, type ReconcileContext, type ReconcileRequest, type Reconciler, type Result } from '../../../pkg/runtime/index.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import type { Expectations } from './expectations.ts';
import { isPodActive, isPodAvailable, podsToDelete, slowStartBatches } from './pod-ranking.ts';
import { computeReplicaSetStatus } from './status.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

/** Upstream `BurstReplicas`: at most this many creates/deletes per sync. */
export const BURST_REPLICAS = 500;

/**
 * Which kind the reconciler manages and how it writes back: apps/v1 ReplicaSets, or (as upstream's
 * `replicationcontroller` controller does through conversion) core/v1 ReplicationControllers
 * seen as ReplicaSets. The lister hands the reconciler ReplicaSet-shaped objects either way.
 */
export interface ReplicaSetKind {
  /** The `apiVersion` and `kind` of the pods' controller references and of events. */
  owner: { apiVersion: string; kind: string };
  /** A live read of the owner, as a ReplicaSet (before adopting, upstream's uid recheck). */
  getFresh(client: Client, namespace: string, name: string): Promise<ReplicaSet>;
  /** Writes `status` through the owner's status subresource (`rs` is the cached owner). */
  updateStatus(client: Client, rs: DeepReadonly<ReplicaSet>, status: NonNullable<ReplicaSet['status']>): Promise<void>;
}

/** apps/v1 ReplicaSet, the default {@link ReplicaSetKind}. */
export const REPLICASET_KIND: ReplicaSetKind = {
  owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  getFresh: (client, namespace, name) => client.replicaSets.inNamespace(namespace).get(name),
  async updateStatus(client, rs, status) {
    await client.replicaSets.inNamespace(rs.metadata.namespace as string).updateStatus({ ...copyJson(rs as ReplicaSet), status });
  },
};

/** The pod a ReplicaSet creates from its template (upstream `GetPodFromTemplate`). Pure. */
export function podFromTemplate(rs: ReplicaSet | DeepReadonly<ReplicaSet>, owner: ReplicaSetKind['owner'] = REPLICASET_KIND.owner): Pod {
  const template = copyJson(rs.spec?.template ?? {}) as NonNullable<ReplicaSet['spec']>['template'] & object;
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [newControllerRef(rs, owner)],
    },
    spec: template.spec,
  } as Pod;
}

/** Dependencies of {@link ReplicaSetReconciler}. */
export interface ReplicaSetReconcilerDeps {
  client: Client;
  replicaSets: Lister<ReplicaSet>;
  pods: Lister<Pod>;
  expectations: Expectations;
  recorder: EventRecorder;
  clock: Clock;
  /** The managed kind (default {@link REPLICASET_KIND}). */
  kind?: ReplicaSetKind;
}

export class ReplicaSetReconciler implements Reconciler {
  private readonly kind: ReplicaSetKind;

  constructor(private readonly deps: ReplicaSetReconcilerDeps) {
    this.kind = deps.kind ?? REPLICASET_KIND;
  }

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const key = `${req.namespace}/${req.name}`;
    const { deps } = this;
    const rs = deps.replicaSets.get(key);
    if (!rs) {
      deps.expectations.delete(key);
      return;
    }
    if (!rs.spec?.selector || (!rs.spec.selector.matchLabels && !rs.spec.selector.matchExpressions)) throw new TerminalError(`${this.kind.owner.kind} ${key} has no selector`);
    const selector = fromLabelSelector(rs.spec.selector as never);
    const podsClient = deps.client.pods.inNamespace(req.namespace);
    const candidates = ownedOrOrphans(deps.pods, rs).filter((p) => isPodActive(p) || p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid));
    const claimed = await claimChildren({
      owner: rs,
      ownerType: this.kind.owner,
      selector,
      children: candidates,
      client: podsClient,
      getOwnerFresh: () => this.kind.getFresh(deps.client, req.namespace, req.name),
    });
    const active = claimed.filter(isPodActive);
    let manageError: { reason: 'FailedCreate' | 'FailedDelete'; message: string } | undefined;
    if (deps.expectations.satisfied(key) && !rs.metadata.deletionTimestamp) {
      manageError = await this.manageReplicas(key, rs, active, ctx);
    }
    const status = computeReplicaSetStatus(rs, claimed, deps.clock.now(), manageError);
    const current = { ...(rs.status ?? {}) } as Record<string, unknown>;
    if (JSON.stringify(normalize(status)) !== JSON.stringify(normalize(current))) {
      try {
        await this.kind.updateStatus(deps.client, rs, status);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (manageError) throw new Error(manageError.message);
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.readyReplicas !== status.availableReplicas) {
      // A ready pod becomes available after minReadySeconds: look again then.
      const waiting = active.filter((p) => !isPodAvailable(p, minReady, deps.clock.now()));
      if (waiting.length) return { requeueAfterMs: minReady * 1000 };
    }
  }

  private async manageReplicas(key: string, rs: DeepReadonly<ReplicaSet>, active: readonly DeepReadonly<Pod>[], ctx: ReconcileContext): Promise<{ reason: 'FailedCreate' | 'FailedDelete'; message: string } | undefined> {
    const { deps } = this;
    const wanted = rs.spec?.replicas ?? 1;
    const diff = active.length - wanted;
    const ref = { ...rs, ...this.kind.owner } as ReplicaSet;
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      deps.expectations.expect(key, count, 0);
      let created = 0;
      for (const batch of slowStartBatches(count)) {
        const results = await Promise.allSettled(Array.from({ length: batch }, () => deps.client.pods.inNamespace(rs.metadata.namespace as string).create(podFromTemplate(rs, this.kind.owner))));
        let failure: unknown;
        for (const r of results) {
          if (r.status === 'fulfilled') {
            created++;
            deps.recorder.event(ref, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
          } else {
            failure ??= r.reason;
            deps.expectations.creationObserved(key);
          }
        }
        if (failure) {
          // The batches not attempted will never be observed either.
          for (let i = created + results.filter((r) => r.status === 'rejected').length; i < count; i++) deps.expectations.creationObserved(key);
          const message = `Error creating: ${(failure as Error).message}`;
          deps.recorder.event(ref, 'Warning', 'FailedCreate', message);
          ctx.log.warn({ err: failure }, 'creating pods failed');
          return { reason: 'FailedCreate', message: (failure as Error).message };
        }
      }
      return undefined;
    }
    if (diff > 0) {
      const victims = podsToDelete(active, Math.min(diff, BURST_REPLICAS));
      deps.expectations.expect(key, 0, victims.length);
      const results = await Promise.allSettled(
        victims.map(async (p) => {
          try {
            await deps.client.pods.inNamespace(p.metadata.namespace as string).delete(p.metadata.name as string, { preconditions: { uid: p.metadata.uid } });
            deps.recorder.event(ref, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
          } catch (err) {
            deps.expectations.deletionObserved(key);
            if (!isNotFound(err)) throw err;
          }
        }),
      );
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
      if (failed) {
        deps.recorder.event(ref, 'Warning', 'FailedDelete', `Error deleting: ${(failed.reason as Error).message}`);
        return { reason: 'FailedDelete', message: (failed.reason as Error).message };
      }
    }
    return undefined;
  }
}

function normalize(status: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration', 'conditions']) {
    const v = status[k];
    if (v !== undefined && v !== 0 && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  }
  return out;
}
