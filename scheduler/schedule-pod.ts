/**
 * The scheduling algorithm of one attempt (upstream schedule_one.go schedulePod): PreFilter,
 * Filter over a round-robin window of nodes until enough feasible ones are found, PreScore,
 * Score, and host selection.
 */
import { numFeasibleNodesToFind } from './cache/index.ts';
import type { Snapshot } from './cache/index.ts';
import { Code, emptyDiagnosis, fitErrorMessage, NodeToStatus, Status, type CycleState, type Diagnosis, type NodeInfo, type PodObject } from './framework/index.ts';
import type { Framework, NodePluginScores } from './framework/runtime/index.ts';

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** No node fits: carries the diagnosis the user-facing message is built from. */
export class FitError extends Error {
  constructor(
    readonly pod: PodObject,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super(fitErrorMessage(numAllNodes, diagnosis));
    this.name = 'FitError';
  }

  /** Recomputes the message (after PostFilter added its part). */
  refreshMessage(): void {
    this.message = fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** Rotating start index so consecutive pods look at different nodes first (upstream nextStartNodeIndex). */
export interface StartIndex {
  value: number;
}

/** Outcome: a result, a FitError (unschedulable) or an Error status. */
export type ScheduleOutcome = { ok: true; result: ScheduleResult } | { ok: false; fitError?: FitError; status: Status };

function findNodesThatPassFilters(fwk: Framework, state: CycleState, pod: PodObject, diagnosis: Diagnosis, nodes: readonly NodeInfo[], start: StartIndex, allCount: number): NodeInfo[] | Status {
  const numToFind = numFeasibleNodesToFind(fwk.percentageOfNodesToScore, nodes.length);
  const feasible: NodeInfo[] = [];
  if (nodes.length === 0) return feasible;
  const offset = start.value % nodes.length;
  let processed = 0;
  for (let i = 0; i < nodes.length && feasible.length < numToFind; i++) {
    const ni = nodes[(offset + i) % nodes.length]!;
    processed++;
    const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni);
    if (s.isSuccess()) {
      feasible.push(ni);
      continue;
    }
    if (!s.isRejected()) return s;
    diagnosis.nodeToStatus.set(ni.nodeName(), s);
    if (s.code === Code.Pending) diagnosis.pendingPlugins.add(s.plugin);
    else diagnosis.unschedulablePlugins.add(s.plugin);
  }
  start.value = allCount === 0 ? 0 : (start.value + processed) % allCount;
  return feasible;
}

/** Picks the highest total score; ties broken uniformly at random (reservoir sampling). */
export function selectHost(scores: readonly NodePluginScores[], random: () => number = Math.random): string {
  if (scores.length === 0) throw new Error('empty priorityList');
  let best = scores[0]!;
  let ties = 1;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i]!;
    if (s.totalScore > best.totalScore) {
      best = s;
      ties = 1;
    } else if (s.totalScore === best.totalScore) {
      ties++;
      if (random() * ties < 1) best = s;
    }
  }
  return best.name;
}

/** One scheduling attempt's algorithm over `snapshot`. */
export function schedulePod(fwk: Framework, state: CycleState, pod: PodObject, snapshot: Snapshot, start: StartIndex): ScheduleOutcome {
  const all = snapshot.list();
  if (all.length === 0) return { ok: false, status: Status.asStatus(new Error(ERR_NO_NODES_AVAILABLE)) };
  const diagnosis = emptyDiagnosis(new NodeToStatus());
  const pre = fwk.runPreFilterPlugins(state, pod, all);
  for (const p of pre.unschedulablePlugins) diagnosis.unschedulablePlugins.add(p);
  if (!pre.status.isSuccess()) {
    if (!pre.status.isRejected()) return { ok: false, status: pre.status };
    diagnosis.nodeToStatus.absentNodesStatus = pre.status;
    diagnosis.preFilterMsg = pre.status.message();
    if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
    const fitError = new FitError(pod, all.length, diagnosis);
    return { ok: false, fitError, status: Status.unschedulable(fitError.message) };
  }
  // A pod nominated by preemption tries its nominated node first.
  const nominated = pod.status?.nominatedNodeName;
  let feasible: NodeInfo[] | Status | undefined;
  if (nominated) {
    const ni = snapshot.get(nominated);
    if (ni && (!pre.result?.nodeNames || pre.result.nodeNames.has(nominated)) && fwk.runFilterPluginsWithNominatedPods(state, pod, ni).isSuccess()) feasible = [ni];
  }
  if (!feasible) {
    let nodes = all;
    if (pre.result?.nodeNames) {
      nodes = [...pre.result.nodeNames].map((n) => snapshot.get(n)).filter((n): n is NodeInfo => n !== undefined);
      diagnosis.nodeToStatus.absentNodesStatus = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${[...pre.unschedulablePlugins].sort().join(' ')}]`);
    }
    feasible = findNodesThatPassFilters(fwk, state, pod, diagnosis, nodes, start, all.length);
  }
  if (feasible instanceof Status) return { ok: false, status: feasible };
  if (feasible.length === 0) {
    const fitError = new FitError(pod, all.length, diagnosis);
    return { ok: false, fitError, status: Status.unschedulable(fitError.message) };
  }
  const evaluatedNodes = feasible.length + diagnosis.nodeToStatus.size;
  if (feasible.length === 1) return { ok: true, result: { suggestedHost: feasible[0]!.nodeName(), evaluatedNodes, feasibleNodes: 1 } };
  const preScore = fwk.runPreScorePlugins(state, pod, feasible);
  if (!preScore.isSuccess()) return { ok: false, status: preScore };
  const scores = fwk.runScorePlugins(state, pod, feasible);
  if (scores instanceof Status) return { ok: false, status: scores };
  return { ok: true, result: { suggestedHost: selectHost(scores), evaluatedNodes, feasibleNodes: feasible.length } };
}
