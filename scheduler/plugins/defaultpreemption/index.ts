/**
 * DefaultPreemption (upstream defaultpreemption + framework/preemption): when no node fits, find
 * nodes where evicting lower-priority pods would let the pod fit, pick the best one, delete its
 * victims gracefully (DisruptionTarget condition first, `Preempted` event) and nominate the node
 * (`status.nominatedNodeName`). The pod is retried once the victims are gone.
 */
import { z } from 'zod';
import { BUILTIN_COORDINATES } from '../../../pkg/client/index.ts';
import {
  Code,
  fitErrorMessage,
  NodeToStatus,
  podKey,
  podPriority,
  Status,
  type CycleState,
  type Handle,
  type NodeInfo,
  type PluginFactory,
  type PodObject,
  type PostFilterOutcome,
  type PostFilterPlugin,
} from '../../framework/index.ts';
import type { Pod } from '../../framework/types.ts';
import { Names } from '../names.ts';
import { pickOneNodeForPreemption, type Candidate } from './pick-node.ts';
import { selectVictimsOnNode } from './victims.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';

/** DefaultPreemptionArgs (upstream defaults 10 % and 100). */
export const DefaultPreemptionArgsSchema = z
  .object({
    minCandidateNodesPercentage: z.number().int().min(0).max(100).default(10),
    minCandidateNodesAbsolute: z.number().int().min(0).default(100),
  })
  .strict()
  .refine((a) => a.minCandidateNodesPercentage > 0 || a.minCandidateNodesAbsolute > 0, {
    message: 'minCandidateNodesPercentage and minCandidateNodesAbsolute cannot both be zero',
  });
export type DefaultPreemptionArgs = z.infer<typeof DefaultPreemptionArgsSchema>;

/** How many candidates to look for among `numNodes` potential nodes (upstream calculateNumCandidates). */
export function numCandidates(args: DefaultPreemptionArgs, numNodes: number): number {
  let n = Math.floor((numNodes * args.minCandidateNodesPercentage) / 100);
  if (n < args.minCandidateNodesAbsolute) n = args.minCandidateNodesAbsolute;
  return Math.min(n, numNodes);
}

const PREEMPTION_BY_SCHEDULER = 'PreemptionByScheduler';

/** Whether the pod is being deleted because the scheduler preempted it. */
export function terminatingByPreemption(pod: PodObject): boolean {
  return Boolean(pod.metadata?.deletionTimestamp) && (pod.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget' && c.reason === PREEMPTION_BY_SCHEDULER);
}

/**
 * Upstream PodEligibleToPreemptOthers: `preemptionPolicy: Never` pods never preempt, and a pod
 * already nominated to a node where a lower-priority victim is still terminating waits for it
 * (unless that node is now unresolvable). Returns the reason when not eligible.
 */
export function ineligibilityReason(pod: PodObject, nominatedNode: NodeInfo | undefined, nominatedNodeStatus: Status | undefined): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  if (!pod.status?.nominatedNodeName || nominatedNodeStatus?.code === Code.UnschedulableAndUnresolvable || !nominatedNode) return undefined;
  const priority = podPriority(pod);
  if (nominatedNode.pods.some((pi) => podPriority(pi.pod) < priority && terminatingByPreemption(pi.pod))) {
    return 'not eligible due to a terminating pod on the nominated node.';
  }
  return undefined;
}

/** The DisruptionTarget condition a victim gets before it is deleted. */
export function disruptionTargetCondition(preemptor: PodObject, now: Date): Record<string, unknown> {
  return {
    type: 'DisruptionTarget',
    status: 'True',
    lastTransitionTime: rfc3339(now),
    reason: PREEMPTION_BY_SCHEDULER,
    message: `${preemptor.spec?.schedulerName || 'default-scheduler'}: preempting to accommodate a higher priority pod`,
  };
}

class Evaluator {
  constructor(
    private readonly fh: Handle,
    private readonly args: DefaultPreemptionArgs,
    private readonly pods: { get(key: string): PodObject | undefined },
  ) {}

  async preempt(state: CycleState, queued: PodObject, statuses: NodeToStatus): Promise<PostFilterOutcome> {
    const pod = this.pods.get(podKey(queued)) ?? queued;
    const nodes = this.fh.snapshotSharedLister().nodeInfos();
    const nominated = pod.status?.nominatedNodeName;
    const notEligible = ineligibilityReason(pod, nominated ? nodes.get(nominated) : undefined, nominated ? statuses.get(nominated) : undefined);
    if (notEligible) return { status: Status.unschedulable(notEligible) };

    const all = nodes.list();
    if (all.length === 0) return { status: Status.asStatus(new Error('no nodes available')) };
    const potential = all.filter((n) => statuses.get(n.nodeName())?.code === Code.Unschedulable);
    const { candidates, nodeStatuses, errors } = this.dryRun(state, pod, potential);
    if (candidates.length === 0) {
      if (errors.length) return { status: Status.asStatus(errors[0]) };
      nodeStatuses.absentNodesStatus = Status.unresolvable('Preemption is not helpful for scheduling');
      const message = fitErrorMessage(all.length, { nodeToStatus: nodeStatuses, preFilterMsg: '', postFilterMsg: '' });
      return { result: { nominatingInfo: { nominatedNodeName: '', mode: 'Override' } }, status: Status.unschedulable(message) };
    }
    const best = pickOneNodeForPreemption(candidates);
    if (!best) return { status: Status.unschedulable('no candidate node for preemption') };
    await this.prepareCandidate(best, pod);
    return { result: { nominatingInfo: { nominatedNodeName: best.nodeName, mode: 'Override' } }, status: Status.SUCCESS };
  }

  /** Upstream DryRunPreemption: simulate on the potential nodes from a random offset until enough candidates. */
  private dryRun(state: CycleState, pod: PodObject, potential: readonly NodeInfo[]): { candidates: Candidate[]; nodeStatuses: NodeToStatus; errors: Error[] } {
    const nodeStatuses = new NodeToStatus();
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    const errors: Error[] = [];
    const wanted = numCandidates(this.args, potential.length);
    const offset = potential.length ? Math.floor(Math.random() * potential.length) : 0;
    for (let i = 0; i < potential.length; i++) {
      const nodeInfo = potential[(offset + i) % potential.length]!.clone();
      let { victims, numPDBViolations, status } = selectVictimsOnNode(this.fh, state.clone(), pod, nodeInfo);
      if (status.isSuccess() && victims.length > 0) {
        (numPDBViolations === 0 ? nonViolating : violating).push({ nodeName: nodeInfo.nodeName(), victims, numPDBViolations });
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= wanted) break;
        continue;
      }
      if (status.isSuccess()) status = Status.asStatus(new Error(`expected at least one victim pod on node "${nodeInfo.nodeName()}"`));
      if (status.code === Code.Error) errors.push(status.asError());
      nodeStatuses.set(nodeInfo.nodeName(), status);
    }
    return { candidates: [...nonViolating, ...violating], nodeStatuses, errors };
  }

  /** Evicts the victims (waiting pods are rejected instead) and clears lower-priority nominations on the node. */
  private async prepareCandidate(c: Candidate, pod: PodObject): Promise<void> {
    await Promise.all(c.victims.filter((v) => !v.metadata?.deletionTimestamp).map((v) => this.preemptVictim(c, pod, v)));
    const priority = podPriority(pod);
    for (const pi of this.fh.nominator.nominatedPodsForNode(c.nodeName)) {
      if (podPriority(pi.pod) >= priority || !pi.pod.status?.nominatedNodeName) continue;
      await this.fh.client.pods
        .inNamespace(pi.pod.metadata!.namespace!)
        .patch(pi.pod.metadata!.name!, { status: { nominatedNodeName: null } }, { type: 'strategic', subresource: 'status' })
        .catch((err: unknown) => this.fh.log.warn({ pod: podKey(pi.pod), err }, 'cannot clear nominatedNodeName'));
    }
  }

  private async preemptVictim(c: Candidate, preemptor: PodObject, victim: PodObject): Promise<void> {
    const uid = victim.metadata?.uid ?? '';
    if (this.fh.getWaitingPod(uid)) {
      this.fh.rejectWaitingPod(uid);
    } else {
      const pods = this.fh.client.pods.inNamespace(victim.metadata!.namespace!);
      const name = victim.metadata!.name!;
      const condition = disruptionTargetCondition(preemptor, new Date(this.fh.clock.now()));
      try {
        await pods.patch(name, { status: { conditions: [condition] } }, { type: 'strategic', subresource: 'status' });
        await pods.delete(name);
      } catch (err) {
        if ((err as { code?: number }).code === 404) return;
        throw err;
      }
      this.fh.log.info({ preemptor: podKey(preemptor), victim: podKey(victim), node: c.nodeName }, 'preempted victim pod');
    }
    this.fh.eventRecorder.event(victim as Pod, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${c.nodeName}`);
  }
}

export const defaultPreemption: PluginFactory = (rawArgs, handle): PostFilterPlugin => {
  const args = DefaultPreemptionArgsSchema.parse(rawArgs ?? {});
  const pods = handle.lister<Pod>(BUILTIN_COORDINATES.pods);
  const evaluator = new Evaluator(handle, args, pods);
  return {
    name: Names.DefaultPreemption,
    postFilter: async (state, pod, statuses) => {
      const out = await evaluator.preempt(state, pod, statuses);
      const msg = out.status.message();
      return msg && out.status.code !== Code.Error ? { ...out, status: Status.of(out.status.code, `preemption: ${msg}`) } : out;
    },
  };
};
