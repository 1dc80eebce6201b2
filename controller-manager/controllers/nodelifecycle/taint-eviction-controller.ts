/**
 * The taint eviction controller (upstream `pkg/controller/tainteviction`, `--controllers` name
 * `taint-eviction-controller`): pods bound to a node with NoExecute taints they do not tolerate
 * are deleted at once; pods tolerating them for `tolerationSeconds` are deleted when the
 * shortest of those has passed since the controller noticed; pods tolerating them forever stay.
 * A deletion is announced by a Normal `TaintManagerEviction` Event "Marking for deletion Pod
 * ns/name", marks the pod `DisruptionTarget=True` (DeletionByTaintManager) and then deletes it;
 * an eviction that no longer applies is cancelled with "Cancelling deletion of Pod ns/name".
 */
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, type EventRecorder, type Manager, type Predicate } from '../../../pkg/runtime/index.ts';
import { pause } from '../../../pkg/util/periodic.ts';
import { nextEvictionStep, noExecuteTaints, planEviction, type Toleration } from './eviction.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';
import { disruptionTargetConditions } from './pod-conditions.ts';
import type { PodsOnNode } from './pods-by-node.ts';
import { TimedEvictions } from './timed-evictions.ts';

export const TAINT_EVICTION_CONTROLLER_NAME = 'taint-eviction-controller';
export const TAINT_MANAGER_EVICTION_REASON = 'TaintManagerEviction';

/** Upstream `retries` of one deletion. */
const DELETE_ATTEMPTS = 5;
const DELETE_RETRY_MS = 10;
/** Upstream `UpdateWorkerSize`. */
const WORKERS = 8;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/** Node events that matter: creation, deletion, and a change of its NoExecute taints. */
const noExecuteTaintsChanged: Predicate<Node> = {
  update: (oldNode, newNode) => !sameJson(noExecuteTaints(oldNode.spec?.taints), noExecuteTaints(newNode.spec?.taints)),
};

/** Pod events that matter: creation, deletion, and a change of its node or tolerations. */
const nodeOrTolerationsChanged: Predicate<Pod> = {
  update: (oldPod, newPod) => oldPod.spec?.nodeName !== newPod.spec?.nodeName || !sameJson(oldPod.spec?.tolerations, newPod.spec?.tolerations),
};

/** Dependencies of {@link TaintEvictionController}. */
export interface TaintEvictionOptions {
  readonly manager: Manager;
  readonly podsOnNode: PodsOnNode;
}

/** See the module comment. `register` wires it into the manager; nothing runs before the manager starts. */
export class TaintEvictionController {
  private readonly manager: Manager;
  private readonly nodes: Lister<Node>;
  private readonly pods: Lister<Pod>;
  private readonly recorder: EventRecorder;
  private readonly evictions: TimedEvictions;

  constructor(private readonly options: TaintEvictionOptions) {
    const { manager } = options;
    this.manager = manager;
    this.nodes = manager.lister<Node>(C.nodes);
    this.pods = manager.lister<Pod>(C.pods);
    this.recorder = manager.eventRecorder(TAINT_EVICTION_CONTROLLER_NAME);
    this.evictions = new TimedEvictions(manager.clock, (key) => this.deletePod(key), manager.log.child({ controller: TAINT_EVICTION_CONTROLLER_NAME }));
  }

  /** Adds the node and pod workers and the timer owner to the manager. */
  register(): void {
    newControllerBuilder(this.manager, 'noexec_taint_node')
      .for<Node>(C.nodes, { predicates: [noExecuteTaintsChanged] })
      .withMaxConcurrentReconciles(WORKERS)
      .complete({ reconcile: async (req) => this.handleNodeUpdate(req.name) });
    newControllerBuilder(this.manager, 'noexec_taint_pod')
      .for<Pod>(C.pods, { predicates: [nodeOrTolerationsChanged] })
      .withMaxConcurrentReconciles(WORKERS)
      .complete({ reconcile: async (req) => this.handlePodUpdate(req.namespace, req.name) });
    this.manager.add({
      name: `${TAINT_EVICTION_CONTROLLER_NAME}-timers`,
      start: (signal) =>
        new Promise<void>((resolve) => {
          const stop = () => {
            this.evictions.stop();
            resolve();
          };
          if (signal.aborted) stop();
          else signal.addEventListener('abort', stop, { once: true });
        }),
    });
  }

  /** A node's NoExecute taints changed (or it appeared or went): re-decide for each of its pods. */
  handleNodeUpdate(nodeName: string): void {
    const node = this.nodes.get(nodeName);
    if (!node) return;
    const taints = noExecuteTaints(node.spec?.taints);
    const pods = this.options.podsOnNode(nodeName);
    if (!taints.length) {
      for (const pod of pods) this.cancelWithEvent(pod.metadata.namespace as string, pod.metadata.name as string);
      return;
    }
    const now = this.manager.clock.now();
    for (const pod of pods) this.processPodOnNode(pod, taints, now);
  }

  /** A pod appeared, went, moved or changed tolerations: re-decide for it. */
  handlePodUpdate(namespace: string, name: string): void {
    const pod = this.pods.get(`${namespace}/${name}`);
    if (!pod) {
      this.cancelWithEvent(namespace, name);
      return;
    }
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const taints = noExecuteTaints(this.nodes.get(nodeName)?.spec?.taints);
    if (!taints.length) return;
    this.processPodOnNode(pod, taints, this.manager.clock.now());
  }

  private processPodOnNode(pod: DeepReadonly<Pod>, taints: ReturnType<typeof noExecuteTaints>, now: number): void {
    const namespace = pod.metadata.namespace as string;
    const name = pod.metadata.name as string;
    const key = `${namespace}/${name}`;
    const plan = planEviction(taints, (pod.spec?.tolerations ?? []) as readonly Toleration[]);
    const step = nextEvictionStep(plan, this.evictions.scheduled(key), now);
    if (step.cancel) this.cancelWithEvent(namespace, name);
    if (step.schedule) this.evictions.add(key, step.schedule);
  }

  private cancelWithEvent(namespace: string, name: string): void {
    if (this.evictions.cancel(`${namespace}/${name}`)) this.podEvent(namespace, name, `Cancelling deletion of Pod ${namespace}/${name}`);
  }

  private podEvent(namespace: string, name: string, message: string): void {
    this.recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } }, 'Normal', TAINT_MANAGER_EVICTION_REASON, message);
  }

  /** Upstream `deletePodHandler`: announce, then mark and delete with a few retries. */
  private async deletePod(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    this.manager.log.info({ controller: TAINT_EVICTION_CONTROLLER_NAME, pod: key }, 'Deleting pod');
    this.podEvent(namespace, name, `Marking for deletion Pod ${key}`);
    let lastError: unknown;
    for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      try {
        await this.markAndDelete(namespace, name);
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        lastError = err;
        await pause(this.manager.clock, DELETE_RETRY_MS, new AbortController().signal);
      }
    }
    throw lastError;
  }

  private async markAndDelete(namespace: string, name: string): Promise<void> {
    const pods = this.manager.client.pods.inNamespace(namespace);
    const pod = await pods.get(name);
    const conditions = disruptionTargetConditions(pod, rfc3339(this.manager.clock.now()));
    if (conditions) await pods.updateStatus({ ...pod, status: { ...pod.status, conditions } });
    await pods.delete(name);
  }
}
