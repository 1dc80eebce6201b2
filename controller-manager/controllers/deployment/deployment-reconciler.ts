/**
 * The Deployment reconciler (upstream `DeploymentController.syncDeployment`): claims
 * ReplicaSets, finds or creates the new one (`<name>-<pod-template-hash>`, revision
 * annotations; an old ReplicaSet whose template matches again is reused — that is how
 * `kubectl rollout undo` works), then rolls: RollingUpdate within maxSurge/maxUnavailable,
 * Recreate (old pods gone first); a paused or resized Deployment only scales (proportionally
 * across ReplicaSets mid-rollout). Old empty ReplicaSets
 * beyond revisionHistoryLimit are deleted. Status and conditions as `kubectl rollout status`
 * reads them; `ScalingReplicaSet` events.
 */
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { isScalingEvent, scaleTargets } from './scaling.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { isAlreadyExists, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { claimChildren, newControllerRef, TerminalError, type EventRecorder, type ReconcileRequest, type Reconciler, type Result } from '../../../pkg/runtime/index.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import {
  byCreation,
  DESIRED_REPLICAS,
  deploymentStatus,
  findNewReplicaSet,
  HASH_LABEL,
  historyToDelete,
  MAX_REPLICAS,
  maxRevision,
  newReplicaSetReplicas,
  oldReplicaSetScaleDown,
  pausedProgress,
  podTemplateHash,
  type Progress,
  REVISION,
  surgeAndUnavailable,
} from './rollout.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';
import { newReplicaSetAnnotations } from './replicaset-annotations.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

type RS = DeepReadonly<ReplicaSet>;
const OWNER = { apiVersion: 'apps/v1', kind: 'Deployment' };

/** Dependencies of {@link DeploymentReconciler}. */
export interface DeploymentReconcilerDeps {
  client: Client;
  deployments: Lister<Deployment>;
  replicaSets: Lister<ReplicaSet>;
  pods: Lister<Pod>;
  recorder: EventRecorder;
  clock: Clock;
}


export class DeploymentReconciler implements Reconciler {
  constructor(private readonly deps: DeploymentReconcilerDeps) {}

  async reconcile(req: ReconcileRequest): Promise<Result | void> {
    const { deps } = this;
    const d = deps.deployments.get(`${req.namespace}/${req.name}`);
    if (!d || d.metadata.deletionTimestamp) return;
    if (!d.spec?.selector) throw new TerminalError(`Deployment ${req.namespace}/${req.name} has no selector`);
    const selector = fromLabelSelector(d.spec.selector as never);
    const rsClient = deps.client.replicaSets.inNamespace(req.namespace);
    const rss = (await claimChildren({
      owner: d,
      ownerType: OWNER,
      selector,
      children: deps.replicaSets.listInNamespace(req.namespace),
      client: rsClient,
      getOwnerFresh: () => deps.client.deployments.inNamespace(req.namespace).get(req.name),
    })) as RS[];
    const replicas = d.spec.replicas ?? 1;
    let newRS = findNewReplicaSet(d, rss) as RS | undefined;
    const olds = () => rss.filter((rs) => rs !== newRS && rs.metadata.uid !== newRS?.metadata.uid);
    let progress: Progress | undefined = pausedProgress(d);
    const ref = { ...d, apiVersion: 'apps/v1', kind: 'Deployment' } as Deployment;

    // Paused, or only resized: scale (proportionally during a rollout), no rollout step.
    if (d.spec.paused || isScalingEvent(d, rss)) {
      for (const [name, count] of scaleTargets(d, newRS, olds())) {
        const i = rss.findIndex((rs) => rs.metadata.name === name);
        const scaled = await this.scale(ref, rss[i]!, count);
        if (rss[i] === newRS) newRS = scaled;
        rss[i] = scaled;
      }
      await this.writeStatus(d, [...olds(), ...(newRS ? [newRS] : [])], newRS, progress);
      return;
    }

    const revision = String(maxRevision(olds()) + 1);
    const isRecreate = d.spec.strategy?.type === 'Recreate';
    if (!newRS) {
      if (isRecreate && !(await this.oldPodsGone(d, olds()))) {
        for (const rs of olds()) if ((rs.spec?.replicas ?? 0) > 0) await this.scale(ref, rs, 0);
        await this.writeStatus(d, rss, undefined, undefined);
        return;
      }
      const initial = isRecreate ? replicas : 0;
      newRS = await this.createNewReplicaSet(ref, rss, revision, initial);
      progress = { status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${newRS.metadata.name}"` };
      if (!isRecreate) newRS = await this.scale(ref, newRS, newReplicaSetReplicas(d, [...rss, newRS], newRS));
    } else {
      // The Deployment's annotations follow onto its new ReplicaSet; an old template that came
      // back (rollout undo) becomes the newest revision.
      const wanted = newReplicaSetAnnotations(d, newRS.metadata.annotations ?? {}, revision, { replicas, maxSurge: surgeAndUnavailable(d).maxSurge });
      const minReadySeconds = d.spec.minReadySeconds ?? 0;
      const minReadyChanged = (newRS.spec?.minReadySeconds ?? 0) !== minReadySeconds;
      if (wanted.changed || minReadyChanged) {
        const undone = wanted.annotations[REVISION] !== newRS.metadata.annotations?.[REVISION];
        newRS = (await rsClient.patch(newRS.metadata.name as string, { metadata: { annotations: wanted.annotations }, ...(minReadyChanged ? { spec: { minReadySeconds } } : {}) }, { type: 'merge' })) as RS;
        if (undone) progress = { status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${newRS.metadata.name}"` };
      }
    }
    const all = () => [...olds(), newRS as RS];

    if (isRecreate) {
      if (olds().some((rs) => (rs.spec?.replicas ?? 0) > 0)) {
        for (const rs of olds()) if ((rs.spec?.replicas ?? 0) > 0) await this.scale(ref, rs, 0);
      } else if ((newRS.spec?.replicas ?? 0) !== replicas && (await this.oldPodsGone(d, olds()))) {
        newRS = await this.scale(ref, newRS, replicas);
      }
    } else {
      const target = newReplicaSetReplicas(d, all(), newRS);
      if (target !== (newRS.spec?.replicas ?? 0)) {
        newRS = await this.scale(ref, newRS, target);
        progress ??= { status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${newRS.metadata.name}" is progressing.` };
      }
      if ((newRS.spec?.replicas ?? 0) > replicas) newRS = await this.scale(ref, newRS, replicas);
      for (const [name, count] of oldReplicaSetScaleDown(d, olds(), newRS)) {
        const rs = olds().find((x) => x.metadata.name === name);
        if (rs && (rs.spec?.replicas ?? 0) !== count) {
          const scaled = await this.scale(ref, rs, count);
          const i = rss.indexOf(rs);
          if (i >= 0) rss[i] = scaled;
          progress ??= { status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${newRS.metadata.name}" is progressing.` };
        }
      }
    }

    for (const rs of historyToDelete(d, olds())) {
      await rsClient.delete(rs.metadata.name as string, { preconditions: { uid: rs.metadata.uid } }).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
    }

    const complete = (newRS.status?.replicas ?? 0) === replicas && (newRS.status?.availableReplicas ?? 0) === replicas && olds().every((rs) => (rs.status?.replicas ?? 0) === 0) && (newRS.spec?.replicas ?? 0) === replicas;
    if (complete) progress = { status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` };
    else if (!progress) progress = this.deadlineExceeded(d, newRS);
    await this.writeStatus(d, all(), newRS, progress);
    if (!complete && d.spec.progressDeadlineSeconds) return { requeueAfterMs: Math.min(d.spec.progressDeadlineSeconds * 1000, 30_000) };
  }

  private deadlineExceeded(d: DeepReadonly<Deployment>, newRS: RS): Progress | undefined {
    const deadline = d.spec?.progressDeadlineSeconds;
    const current = d.status?.conditions?.find((c) => c.type === 'Progressing');
    if (!deadline || !current || current.reason === 'NewReplicaSetAvailable' || current.reason === 'ProgressDeadlineExceeded') return undefined;
    const since = Date.parse(current.lastUpdateTime ?? current.lastTransitionTime ?? '');
    if (Number.isFinite(since) && since + deadline * 1000 < this.deps.clock.now()) {
      return { status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` };
    }
    return undefined;
  }

  private async oldPodsGone(d: DeepReadonly<Deployment>, olds: readonly RS[]): Promise<boolean> {
    const uids = new Set(olds.map((rs) => rs.metadata.uid));
    return !this.deps.pods.listInNamespace(d.metadata.namespace ?? '').some((p) => p.metadata.ownerReferences?.some((r) => uids.has(r.uid)) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  }

  private async createNewReplicaSet(d: Deployment, rss: readonly RS[], revision: string, replicas: number): Promise<RS> {
    const { maxSurge } = surgeAndUnavailable(d);
    let collision = d.status?.collisionCount ?? 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      const hash = podTemplateHash(d.spec?.template, collision);
      const template = copyJson(d.spec?.template ?? {}) as NonNullable<NonNullable<ReplicaSet['spec']>['template']>;
      template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
      const selector = copyJson(d.spec?.selector ?? {}) as NonNullable<NonNullable<ReplicaSet['spec']>['selector']>;
      selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
      const rs: ReplicaSet = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          labels: { ...(d.spec?.template?.metadata?.labels ?? {}), [HASH_LABEL]: hash },
          annotations: newReplicaSetAnnotations(d, undefined, revision, { replicas: d.spec?.replicas ?? 1, maxSurge }).annotations,
          ownerReferences: [newControllerRef(d, OWNER)],
        },
        spec: { replicas, minReadySeconds: d.spec?.minReadySeconds, selector, template },
      } as ReplicaSet;
      try {
        const created = (await this.deps.client.replicaSets.inNamespace(d.metadata.namespace as string).create(rs)) as RS;
        if (replicas > 0) this.deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
        return created;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = (await this.deps.client.replicaSets.inNamespace(d.metadata.namespace as string).get(rs.metadata.name as string)) as RS;
        // Ours already (a slow cache): use it. Otherwise a hash collision: bump collisionCount.
        if (existing.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid) && !rss.includes(existing)) return existing;
        collision += 1;
        await this.deps.client.deployments.inNamespace(d.metadata.namespace as string).patch(d.metadata.name as string, { status: { collisionCount: collision } }, { type: 'merge', subresource: 'status' });
      }
    }
    throw new Error(`could not create a ReplicaSet for ${d.metadata.namespace}/${d.metadata.name}: repeated hash collisions`);
  }

  private async scale(d: Deployment, rs: RS, replicas: number): Promise<RS> {
    const from = rs.spec?.replicas ?? 0;
    const { maxSurge } = surgeAndUnavailable(d);
    // Against the ReplicaSet as this sync saw it (upstream updates it): a stale cache is a
    // Conflict and a retry, not a second identical scale and a duplicate ScalingReplicaSet event.
    const patched = (await this.deps.client.replicaSets.inNamespace(rs.metadata.namespace as string).patch(
      rs.metadata.name as string,
      { metadata: { resourceVersion: rs.metadata.resourceVersion, annotations: { [DESIRED_REPLICAS]: String(d.spec?.replicas ?? 1), [MAX_REPLICAS]: String((d.spec?.replicas ?? 1) + maxSurge) } }, spec: { replicas } },
      { type: 'merge' },
    )) as RS;
    if (replicas !== from) this.deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${replicas}`);
    return patched;
  }

  /** The status, and the new ReplicaSet's revision as the Deployment's (upstream `SetDeploymentRevision`), in one status write. */
  private async writeStatus(d: DeepReadonly<Deployment>, all: readonly RS[], newRS: RS | undefined, progress: Progress | undefined): Promise<void> {
    const status = deploymentStatus(d, [...all].sort(byCreation), newRS, rfc3339(this.deps.clock.now()), progress);
    const revision = newRS?.metadata.annotations?.[REVISION];
    const revisionChanged = revision !== undefined && d.metadata.annotations?.[REVISION] !== revision;
    if (!revisionChanged && JSON.stringify(status) === JSON.stringify(d.status ?? {})) return;
    const next = copyJson(d) as Deployment;
    if (revisionChanged) next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [REVISION]: revision };
    try {
      await this.deps.client.deployments.inNamespace(d.metadata.namespace as string).updateStatus({ ...next, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
