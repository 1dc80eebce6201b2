/**
 * The DaemonSet reconciler (upstream `DaemonSetsController.syncDaemonSet`): builds the history
 * (current revision and hash), then — once earlier creations and deletions have been observed
 * (expectations) — runs the core loop (a pod on every node that should run one, none elsewhere,
 * finished and extra pods removed, failed ones with back-off), then one rolling-update step
 * (RollingUpdate only; OnDelete waits for the user to delete pods), prunes old revisions and
 * writes the status `kubectl rollout status` reads. Pods are created unbound, pinned to their
 * node by required node affinity; the scheduler binds them.
 */
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import { type DaemonSet, templateGenerationOf } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import { isEmptySelector } from '../../../pkg/api/apps/v1/workload.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { CONTROLLER_REVISION_HASH_LABEL } from '../../../pkg/controller-history/index.ts';
import { isConflict, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { CONTROLLER_UID_INDEX, claimChildren, ownedOrOrphans, type EventRecorder, type ReconcileContext, type ReconcileRequest, type Reconciler, type Result } from '../../../pkg/runtime/index.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import type { Expectations } from '../replicaset/expectations.ts';
import { FailedPodBackoff } from './backoff.ts';
import { createPodTemplate, DAEMONSET_OWNER, isPodUpdated, targetNodeName } from './daemon-pod.ts';
import { planNode, unscheduledPodsWithoutNode } from './node-plan.ts';
import { syncNodes } from './pod-control.ts';
import { RevisionControl } from './revision-control.ts';
import { allowsSurge, planRollingUpdate, surgeAndUnavailable } from './rolling-update.ts';
import { daemonPlacement, type DaemonPlacement } from './should-run.ts';
import { computeDaemonSetStatus, statusChanged } from './status.ts';
import { isTerminalPodPhase } from '../../../pkg/api/core/v1/pod-status.ts';

type DS = DeepReadonly<DaemonSet>;
type P = DeepReadonly<Pod>;

/** Dependencies of {@link DaemonSetReconciler}. */
export interface DaemonSetReconcilerDeps {
  client: Client;
  daemonSets: Lister<DaemonSet>;
  pods: Lister<Pod>;
  nodes: Lister<Node>;
  revisions: Lister<ControllerRevision>;
  expectations: Expectations;
  recorder: EventRecorder;
  clock: Clock;
  backoff?: FailedPodBackoff;
}

/** What one sync sees: the DaemonSet, nodes, placement, current hash and template generation. */
interface SyncState {
  ds: DS;
  key: string;
  nodes: readonly DeepReadonly<Node>[];
  placement: DaemonPlacement;
  hash: string;
  generation: number | undefined;
  requeueAfterMs: number[];
}

export class DaemonSetReconciler implements Reconciler {
  private readonly revisionControl: RevisionControl;
  private readonly backoff: FailedPodBackoff;

  constructor(private readonly deps: DaemonSetReconcilerDeps) {
    this.revisionControl = new RevisionControl({ client: deps.client, revisions: deps.revisions });
    this.backoff = deps.backoff ?? new FailedPodBackoff(deps.clock);
  }

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const key = `${req.namespace}/${req.name}`;
    const { deps } = this;
    const ds = deps.daemonSets.get(key);
    if (!ds) {
      deps.expectations.delete(key);
      return;
    }
    const selector = ds.spec?.selector;
    if (selector && isEmptySelector(selector as never)) {
      deps.recorder.event({ ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' } as DS, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // A DaemonSet being deleted: its revisions may be gone already, so its status cannot be computed.
    if (ds.metadata.deletionTimestamp) return;
    const claimed = await this.claimPods(ds);
    const history = await this.revisionControl.construct(ds, () => claimed);
    const state: SyncState = {
      ds,
      key,
      nodes: deps.nodes.list(),
      placement: daemonPlacement(ds),
      hash: history.current.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '',
      generation: templateGenerationOf(ds),
      requeueAfterMs: [],
    };
    if (!deps.expectations.satisfied(key)) {
      await this.writeStatus(state, false);
      return this.result(state);
    }
    let failure: unknown;
    try {
      await this.manage(state, claimed, ctx);
      if (deps.expectations.satisfied(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') await this.rollingUpdate(state);
      await this.revisionControl.cleanup(ds, history.old, this.ownedPods(ds));
    } catch (err) {
      failure = err;
    }
    await this.writeStatus(state, true).catch((err) => {
      if (!failure) throw err;
      ctx.log.warn({ err }, 'updating DaemonSet status failed');
    });
    if (failure) throw failure;
    return this.result(state);
  }

  private result(state: SyncState): Result | void {
    const delays = state.requeueAfterMs.filter((ms) => ms > 0);
    return delays.length ? { requeueAfterMs: Math.min(...delays) } : undefined;
  }

  /** Adopts matching orphans, releases pods that no longer match; returns the pods it controls. */
  private async claimPods(ds: DS): Promise<P[]> {
    const namespace = ds.metadata.namespace ?? '';
    return claimChildren({
      owner: ds,
      ownerType: DAEMONSET_OWNER,
      selector: fromLabelSelector(ds.spec?.selector as never),
      children: ownedOrOrphans(this.deps.pods, ds),
      client: this.deps.client.pods,
      getOwnerFresh: () => this.deps.client.daemonSets.inNamespace(namespace).get(ds.metadata.name ?? ''),
    });
  }

  /** The pods the cache shows controlled by `ds` now. */
  private ownedPods(ds: DS): P[] {
    return this.deps.pods.byIndex(CONTROLLER_UID_INDEX, ds.metadata.uid ?? '').filter((p) => p.metadata.namespace === ds.metadata.namespace);
  }

  /** Pods by target node, without finished pods already being deleted (upstream `getNodesToDaemonPods`). */
  private podsByNode(pods: readonly P[]): Map<string, P[]> {
    const byNode = new Map<string, P[]>();
    for (const pod of pods) {
      const finished = isTerminalPodPhase(pod.status?.phase);
      if (finished && pod.metadata.deletionTimestamp) continue;
      const node = targetNodeName(pod);
      if (node === undefined) continue;
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    return byNode;
  }

  private template(state: SyncState) {
    return createPodTemplate(state.ds.spec?.template, state.generation, state.hash);
  }

  /** The core loop (upstream `manage`). */
  private async manage(state: SyncState, claimed: readonly P[], ctx: ReconcileContext): Promise<void> {
    const { ds } = state;
    const podsByNode = this.podsByNode(claimed);
    const createOnNodes: string[] = [];
    const deletePods: P[] = [];
    const involved = { ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' } as DS;
    const surge = allowsSurge(ds);
    for (const node of state.nodes) {
      const nodeName = node.metadata.name ?? '';
      const plan = planNode({ ...state.placement(node), pods: podsByNode.get(nodeName) ?? [], hash: state.hash, allowsSurge: surge, minReadySeconds: ds.spec?.minReadySeconds ?? 0, nowMs: this.deps.clock.now() });
      if (plan.create) createOnNodes.push(nodeName);
      deletePods.push(...plan.delete);
      for (const pod of plan.succeeded) {
        this.deps.recorder.event(involved, 'Normal', 'SucceededDaemonPod', `Found succeeded daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to delete it`);
      }
      for (const pod of plan.failed) {
        const backoffKey = `${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
        if (this.backoff.inBackoff(backoffKey)) {
          ctx.log.debug({ pod: pod.metadata.name, node: nodeName }, 'deleting failed daemon pod limited by back-off');
          state.requeueAfterMs.push(this.backoff.delayMs(backoffKey));
          continue;
        }
        this.backoff.next(backoffKey);
        this.deps.recorder.event(involved, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`);
        deletePods.push(pod);
      }
    }
    deletePods.push(...unscheduledPodsWithoutNode(new Set(state.nodes.map((n) => n.metadata.name ?? '')), podsByNode));
    await this.sync(state, deletePods, createOnNodes);
  }

  /** One rolling-update step (upstream `rollingUpdate`). */
  private async rollingUpdate(state: SyncState): Promise<void> {
    const { ds } = state;
    const podsByNode = this.podsByNode(this.ownedPods(ds));
    const byName = new Map(state.nodes.map((n) => [n.metadata.name ?? '', n]));
    let desired = 0;
    for (const node of state.nodes) {
      if (!state.placement(node).shouldRun) continue;
      desired++;
      if (!podsByNode.has(node.metadata.name ?? '')) podsByNode.set(node.metadata.name ?? '', []);
    }
    const { maxSurge, maxUnavailable } = surgeAndUnavailable(ds, desired);
    const plan = planRollingUpdate({
      podsByNode,
      desired,
      maxSurge,
      maxUnavailable,
      isUpdated: (pod) => isPodUpdated(pod, state.hash, state.generation),
      shouldRun: (name) => {
        const node = byName.get(name);
        return node ? state.placement(node).shouldRun : false;
      },
      minReadySeconds: ds.spec?.minReadySeconds ?? 0,
      nowMs: this.deps.clock.now(),
    });
    await this.sync(state, plan.deletePods, plan.createOnNodes);
  }

  private async sync(state: SyncState, deletePods: readonly P[], createOnNodes: readonly string[]): Promise<void> {
    if (!deletePods.length && !createOnNodes.length) return;
    const errors = await syncNodes({ client: this.deps.client, expectations: this.deps.expectations, recorder: this.deps.recorder }, { ds: state.ds, key: state.key, deletePods, createOnNodes, template: this.template(state) });
    if (errors.length) throw errors[0];
  }

  /** Computes and stores the status (upstream `updateDaemonSetStatus` / `storeDaemonSetStatus`). */
  private async writeStatus(state: SyncState, observedGeneration: boolean): Promise<void> {
    const { ds } = state;
    const nowMs = this.deps.clock.now();
    const status = computeDaemonSetStatus({
      ds,
      nodes: state.nodes,
      podsByNode: this.podsByNode(this.ownedPods(ds)),
      placement: state.placement,
      isUpdated: (pod) => isPodUpdated(pod, state.hash, state.generation),
      nowMs,
      observedGeneration,
    });
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== (status.numberAvailable ?? 0)) state.requeueAfterMs.push(minReady * 1000);
    if (!statusChanged(ds, status)) return;
    const client = this.deps.client.daemonSets.inNamespace(ds.metadata.namespace ?? '');
    try {
      await client.updateStatus({ ...(copyJson(ds) as DaemonSet), status });
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
      // One retry against the stored object (upstream StatusUpdateRetries = 1).
      const fresh = await client.get(ds.metadata.name ?? '');
      await client.updateStatus({ ...fresh, status: { ...status, collisionCount: fresh.status?.collisionCount, ...(observedGeneration ? {} : { observedGeneration: fresh.status?.observedGeneration }) } });
    }
  }
}
