/**
 * The node lifecycle controller (upstream `pkg/controller/nodelifecycle`), the I/O around the
 * pure decisions of this folder:
 * - every `--node-monitor-period` it checks each node's health (status heartbeats and its Lease);
 *   a node silent for longer than `--node-monitor-grace-period` gets its conditions set to
 *   Unknown, a `NodeNotReady` Event and its pods' Ready conditions set to False;
 * - nodes whose Ready is False or Unknown are queued, per zone and rate limited, for the
 *   `not-ready` / `unreachable` NoExecute taint (the taint eviction controller then evicts their
 *   pods); a Ready node loses both; when every zone is fully disrupted tainting stops;
 * - on every node event, the NoSchedule taints of its conditions and `spec.unschedulable`
 *   (TaintNodesByCondition) and the beta OS/arch labels are brought in step;
 * - a pod newly bound to a node that is not Ready is marked not ready at once.
 * Node Events carry the source component `node-controller`, as upstream.
 */
import type { Lease } from '../../../pkg/api/coordination/v1/lease.ts';
import type { Node, NodeCondition } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, type EventRecorder, type Manager, type Predicate } from '../../../pkg/runtime/index.ts';
import { pause, runEvery } from '../../../pkg/util/periodic.ts';
import type { ControllerManagerSettings } from '../types.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';
import { assessNodeHealth, type NodeHealth, type NodeHealthAssessment } from './node-health.ts';
import { labelsToReconcile } from './node-labels.ts';
import { NOT_READY_TAINT_TEMPLATE, noExecuteTaintSwap, noScheduleTaintChanges, taintExists, UNREACHABLE_TAINT_TEMPLATE, type TaintChanges } from './node-taints.ts';
import { swapNodeTaints } from './node-writes.ts';
import { notReadyConditions } from './pod-conditions.ts';
import type { PodsOnNode } from './pods-by-node.ts';
import { RateLimitedTimedQueue } from './rate-limited-queue.ts';
import { countsForZoneHealth, planDisruption, zoneKeyOf, type ZoneState } from './zone-state.ts';

export const NODE_CONTROLLER_COMPONENT = 'node-controller';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** Upstream `scheduler.NodeEvictionPeriod`: how often the NoExecute tainting queues are worked. */
export const NODE_EVICTION_PERIOD_MS = 100;
/** Upstream `NodeHealthUpdateRetry` and `retrySleepTime`. */
const HEALTH_UPDATE_ATTEMPTS = 5;
const HEALTH_RETRY_SLEEP_MS = 20;
/** Upstream `nodeUpdateWorkerSize` / `podUpdateWorkerSize`. */
const NODE_WORKERS = 8;
const POD_WORKERS = 4;

type ReadonlyNode = DeepReadonly<Node>;
type Condition = DeepReadonly<NodeCondition>;

const readyOf = (conditions: readonly Condition[] | undefined) => conditions?.find((c) => c.type === 'Ready');

/** Pods to look at: newly bound ones (upstream `podUpdated`). */
const newlyBound: Predicate<Pod> = {
  create: (pod) => Boolean(pod.spec?.nodeName),
  update: (oldPod, newPod) => Boolean(newPod.spec?.nodeName) && oldPod.spec?.nodeName !== newPod.spec?.nodeName,
  delete: () => false,
};

/** Dependencies of {@link NodeLifecycleController}. */
export interface NodeLifecycleOptions {
  readonly manager: Manager;
  readonly settings: ControllerManagerSettings;
  readonly podsOnNode: PodsOnNode;
}

/** See the module comment. `register` wires it into the manager; nothing runs before the manager starts. */
export class NodeLifecycleController {
  private readonly manager: Manager;
  private readonly settings: ControllerManagerSettings;
  private readonly nodes: Lister<Node>;
  private readonly leases: Lister<Lease>;
  private readonly pods: Lister<Pod>;
  private readonly recorder: EventRecorder;
  /** Last observed health per node (upstream `nodeHealthMap`). */
  private readonly health = new Map<string, NodeHealth>();
  /** Nodes seen by the monitor (upstream `knownNodeSet`). */
  private readonly known = new Map<string, ReadonlyNode>();
  private zoneStates = new Map<string, ZoneState>();
  /** Per-zone NoExecute tainting queues (upstream `zoneNoExecuteTainter`). */
  private readonly tainters = new Map<string, RateLimitedTimedQueue>();
  /** Nodes whose pods must still be marked not ready. */
  private readonly nodesToRetry = new Set<string>();

  constructor(private readonly options: NodeLifecycleOptions) {
    const { manager } = options;
    this.manager = manager;
    this.settings = options.settings;
    this.nodes = manager.lister<Node>(C.nodes);
    this.leases = manager.lister<Lease>(C.leases);
    this.pods = manager.lister<Pod>(C.pods);
    this.recorder = manager.eventRecorder(NODE_CONTROLLER_COMPONENT);
  }

  /** Adds the node and pod workers and the periodic loops to the manager. */
  register(): void {
    newControllerBuilder(this.manager, 'node_lifecycle_controller')
      .for<Node>(C.nodes)
      .withMaxConcurrentReconciles(NODE_WORKERS)
      .complete({ reconcile: async (req) => this.processNode(req.name) });
    newControllerBuilder(this.manager, 'node_lifecycle_controller_pods')
      .for<Pod>(C.pods, { predicates: [newlyBound] })
      .withMaxConcurrentReconciles(POD_WORKERS)
      .complete({ reconcile: async (req) => this.processPod(req.namespace, req.name) });
    this.manager.add({ name: 'node-lifecycle-monitor', start: (signal) => this.run(signal) });
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { clock, log } = this.manager;
    await Promise.all([
      runEvery({ name: 'NoExecute tainting pass', intervalMs: NODE_EVICTION_PERIOD_MS, clock, signal, log }, () => this.doNoExecuteTaintingPass()),
      runEvery({ name: 'monitoring node health', intervalMs: this.settings.nodeMonitorPeriodMs, clock, signal, log }, () => this.monitorNodeHealth(signal)),
    ]);
  }

  /** NoSchedule taints and labels of one node (upstream `doNoScheduleTaintingPass` + `reconcileNodeLabels`). */
  async processNode(name: string): Promise<void> {
    const node = this.nodes.get(name);
    if (!node) {
      this.nodesToRetry.delete(name);
      return;
    }
    const changes = noScheduleTaintChanges(node);
    if (changes.add.length || changes.remove.length) await this.swapTaints(node, changes);
    const labels = labelsToReconcile(node.metadata.labels);
    if (Object.keys(labels).length) {
      await this.manager.client.nodes.patch(name, { metadata: { labels } }, { type: 'merge' }).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
    }
  }

  /** A pod newly bound to a node that is not Ready is marked not ready (upstream `processPod`). */
  async processPod(namespace: string, name: string): Promise<void> {
    const pod = this.pods.get(`${namespace}/${name}`);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName) return;
    const health = this.health.get(nodeName);
    if (!health) return;
    if (!this.nodes.get(nodeName)) throw new Error(`node ${nodeName} of pod ${namespace}/${name} is not in the cache yet`);
    const ready = readyOf(health.conditions);
    if (ready && ready.status !== 'True') await this.markPodsNotReady([pod], nodeName);
  }

  /** One pass over every node (upstream `monitorNodeHealth`). */
  async monitorNodeHealth(signal: AbortSignal): Promise<void> {
    const nodes = this.nodes.list();
    const seen = new Set(nodes.map((n) => n.metadata.name as string));
    for (const node of nodes) {
      const name = node.metadata.name as string;
      if (this.known.has(name)) {
        this.addTainterForZone(node);
        continue;
      }
      this.nodeEvent(node, 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
      this.known.set(name, node);
      this.addTainterForZone(node);
      await this.markNodeAsReachable(node).catch((err) => this.manager.log.warn({ err, node: name }, 'Failed to remove taints from node'));
    }
    for (const [name, node] of this.known) {
      if (seen.has(name)) continue;
      this.nodeEvent(node, 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
      this.known.delete(name);
      this.health.delete(name);
    }

    const zoneReady = new Map<string, Array<Condition | undefined>>();
    const queue = [...nodes];
    const worker = async () => {
      for (let node = queue.shift(); node && !signal.aborted; node = queue.shift()) await this.updateNode(node, zoneReady, signal);
    };
    await Promise.all(Array.from({ length: Math.min(NODE_WORKERS, nodes.length) }, worker));
    if (!signal.aborted) await this.handleDisruption(zoneReady, nodes);
  }

  private async updateNode(cached: ReadonlyNode, zoneReady: Map<string, Array<Condition | undefined>>, signal: AbortSignal): Promise<void> {
    const name = cached.metadata.name as string;
    const log = this.manager.log.child({ node: name });
    let node = cached;
    let assessment: NodeHealthAssessment | undefined;
    for (let attempt = 0; attempt < HEALTH_UPDATE_ATTEMPTS && !assessment; attempt++) {
      try {
        assessment = await this.tryUpdateNodeHealth(node);
      } catch (err) {
        log.debug({ err }, 'updating node health failed; retrying with a fresh node');
        try {
          node = await this.manager.client.nodes.get(name);
        } catch (getErr) {
          log.warn({ err: getErr }, 'Failed while getting a Node to retry updating node health. Probably Node was deleted');
          return;
        }
        if (!(await pause(this.manager.clock, HEALTH_RETRY_SLEEP_MS, signal))) return;
      }
    }
    if (!assessment) {
      log.warn('Update health of Node from Controller error, Skipping - no pods will be evicted');
      return;
    }
    const { currentReady, observedReady } = assessment;
    if (countsForZoneHealth(node)) {
      const zone = zoneKeyOf(node);
      zoneReady.set(zone, [...(zoneReady.get(zone) ?? []), currentReady]);
    }
    if (currentReady) {
      const pods = this.options.podsOnNode(name);
      await this.processTaintBasedEviction(node, observedReady);
      const becameNotReady = currentReady.status !== 'True' && observedReady.status === 'True';
      if (becameNotReady) this.nodeEvent(node, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      if (becameNotReady || (this.nodesToRetry.has(name) && observedReady.status !== 'True')) {
        try {
          await this.markPodsNotReady(pods, name);
        } catch (err) {
          log.warn({ err }, 'unable to mark all pods NotReady on node; queuing for retry');
          this.nodesToRetry.add(name);
          return;
        }
      }
    }
    this.nodesToRetry.delete(name);
  }

  /** Assesses one node and writes its Unknown conditions when due (upstream `tryUpdateNodeHealth`); rejects when the write fails. */
  private async tryUpdateNodeHealth(node: ReadonlyNode): Promise<NodeHealthAssessment> {
    const name = node.metadata.name as string;
    const assessment = assessNodeHealth({
      node,
      saved: this.health.get(name),
      lease: this.leases.get(`${NODE_LEASE_NAMESPACE}/${name}`),
      now: this.manager.clock.now(),
      nodeMonitorGracePeriodMs: this.settings.nodeMonitorGracePeriodMs,
      nodeStartupGracePeriodMs: this.settings.nodeStartupGracePeriodMs,
    });
    this.health.set(name, assessment.health);
    if (assessment.conditionsToWrite) {
      const status = { ...(node.status as Node['status']), conditions: assessment.conditionsToWrite };
      await this.manager.client.nodes.updateStatus({ ...(node as Node), status });
      if (assessment.healthAfterWrite) this.health.set(name, assessment.healthAfterWrite);
    }
    return assessment;
  }

  /** Upstream `processTaintBaseEviction`. */
  private async processTaintBasedEviction(node: ReadonlyNode, observedReady: Condition): Promise<void> {
    const log = this.manager.log.child({ node: node.metadata.name });
    const taints = node.spec?.taints;
    switch (observedReady.status) {
      case 'False':
      case 'Unknown': {
        const swap = noExecuteTaintSwap(observedReady.status);
        if (!swap) return;
        if (taintExists(taints, swap.remove)) {
          // Already tainted the other way: swap at once, without waiting for the rate limiter.
          await this.swapTaints(node, { add: [swap.add], remove: [swap.remove] }).catch((err) => log.warn({ err }, 'Failed to instantly swap NoExecute taints. Will try again in the next cycle'));
        } else if (this.markNodeForTainting(node, observedReady.status)) {
          log.debug({ ready: observedReady.status }, 'Node is not ready or unreachable. Adding it to the Taint queue');
        }
        return;
      }
      case 'True': {
        const removed = await this.markNodeAsReachable(node).catch((err) => {
          log.warn({ err }, 'Failed to remove taints from node. Will retry in next iteration');
          return false;
        });
        if (removed) log.debug('Node is healthy again, removed all taints');
        return;
      }
    }
  }

  /** Queues a node for its NoExecute taint (upstream `markNodeForTainting`); true when newly queued. */
  private markNodeForTainting(node: ReadonlyNode, status: 'False' | 'Unknown'): boolean {
    const name = node.metadata.name as string;
    const tainter = this.addTainterForZone(node);
    const template = status === 'False' ? NOT_READY_TAINT_TEMPLATE : UNREACHABLE_TAINT_TEMPLATE;
    if (!taintExists(node.spec?.taints, template)) tainter.remove(name);
    return tainter.add(name, node.metadata.uid ?? '');
  }

  /** Removes the NoExecute taints and forgets the node in its tainting queue (upstream `markNodeAsReachable`). */
  private async markNodeAsReachable(node: ReadonlyNode): Promise<boolean> {
    if (taintExists(node.spec?.taints, UNREACHABLE_TAINT_TEMPLATE) || taintExists(node.spec?.taints, NOT_READY_TAINT_TEMPLATE)) {
      await swapNodeTaints(this.manager.client, node, { add: [], remove: [UNREACHABLE_TAINT_TEMPLATE, NOT_READY_TAINT_TEMPLATE] }, rfc3339(this.manager.clock.now()));
    }
    return this.tainters.get(zoneKeyOf(node))?.remove(node.metadata.name as string) ?? false;
  }

  /** Works the tainting queues (upstream `doNoExecuteTaintingPass`). */
  async doNoExecuteTaintingPass(): Promise<void> {
    for (const tainter of [...this.tainters.values()]) {
      await tainter.process(async ({ value }) => {
        const node = this.nodes.get(value);
        if (!node) return { done: true };
        const ready = readyOf(node.status?.conditions);
        if (!ready) return { done: false, retryAfterMs: 50 };
        const swap = noExecuteTaintSwap(ready.status);
        if (!swap) return { done: true };
        try {
          await this.swapTaints(node, { add: [swap.add], remove: [swap.remove] });
          return { done: true };
        } catch (err) {
          this.manager.log.warn({ err, node: value }, 'unable to taint unresponsive node');
          return { done: false, retryAfterMs: 0 };
        }
      });
    }
  }

  /** Zone states, tainting rates and the all-zones-down safety (upstream `handleDisruption`). */
  private async handleDisruption(zoneReady: ReadonlyMap<string, ReadonlyArray<Condition | undefined>>, nodes: readonly ReadonlyNode[]): Promise<void> {
    const { settings } = this;
    const plan = planDisruption(this.zoneStates, zoneReady, settings);
    const log = this.manager.log;
    if (plan.action === 'enter-full-disruption') {
      log.info('Controller detected that all Nodes are not-Ready. Entering master disruption mode');
      for (const node of nodes) await this.markNodeAsReachable(node).catch((err) => log.warn({ err, node: node.metadata.name }, 'Failed to remove taints from Node'));
    } else if (plan.action === 'exit-full-disruption') {
      log.info('Controller detected that some Nodes are Ready. Exiting master disruption mode');
      const now = this.manager.clock.now();
      for (const node of nodes) {
        const name = node.metadata.name as string;
        const health = this.health.get(name);
        if (health) this.health.set(name, { ...health, probeTimestamp: now, readyTransitionTimestamp: now });
      }
    }
    for (const [zone, qps] of plan.rates) this.tainters.get(zone)?.swapLimiter(qps);
    for (const [zone, state] of plan.states) {
      if (plan.action === 'per-zone' && this.zoneStates.get(zone) !== state) log.info({ zone, newState: state }, 'Controller detected that zone is now in new state');
    }
    this.zoneStates = new Map(plan.states);
  }

  /** The tainting queue of a node's zone, created (and the zone made known) on first sight. */
  private addTainterForZone(node: ReadonlyNode): RateLimitedTimedQueue {
    const zone = zoneKeyOf(node);
    if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    let tainter = this.tainters.get(zone);
    if (!tainter) {
      tainter = new RateLimitedTimedQueue(this.settings.nodeEvictionRate, this.manager.clock);
      this.tainters.set(zone, tainter);
      this.manager.log.info({ zone }, 'Initializing eviction metric for zone');
    }
    return tainter;
  }

  private async swapTaints(node: ReadonlyNode, changes: TaintChanges): Promise<boolean> {
    return swapNodeTaints(this.manager.client, node, changes, rfc3339(this.manager.clock.now()));
  }

  /** Upstream `MarkPodsNotReady`: Ready=False on each pod of the node; rejects listing the failures. */
  private async markPodsNotReady(pods: readonly DeepReadonly<Pod>[], nodeName: string): Promise<void> {
    const errors: unknown[] = [];
    const nowText = rfc3339(this.manager.clock.now());
    for (const pod of pods) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const conditions = notReadyConditions(pod, nowText);
      if (!conditions) continue;
      try {
        await this.manager.client.pods.inNamespace(pod.metadata.namespace as string).updateStatus({ ...(pod as Pod), status: { ...(pod.status as Pod['status']), conditions } });
      } catch (err) {
        if (isNotFound(err)) continue;
        errors.push(err);
      }
      this.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
    if (errors.length) throw new AggregateError(errors, `unable to mark ${errors.length} pod(s) on node ${nodeName} not ready`);
  }

  private nodeEvent(node: ReadonlyNode, reason: string, message: string): void {
    this.recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name, uid: node.metadata.uid } }, 'Normal', reason, message);
  }
}
