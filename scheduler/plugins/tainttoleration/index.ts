/**
 * TaintToleration: Filter rejects nodes with an untolerated NoSchedule/NoExecute taint; Score
 * prefers nodes with fewer untolerated PreferNoSchedule taints.
 */
import {
  ActionType,
  stateKey,
  Status,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeObject,
  type PluginFactory,
  type PodObject,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/index.ts';
import { defaultNormalizeScore } from '../helper/normalize.ts';
import { findUntoleratedTaint, podTolerations, toleratesTaint, type TolerationLike } from '../helper/taints.ts';
import { Names } from '../names.ts';

/** The Filter failure reason (upstream form `node(s) had untolerated taint {key: value}`), or undefined. */
export function untoleratedTaintReason(pod: PodObject, node: NodeObject | undefined): string | undefined {
  if (!node) return 'invalid nodeInfo';
  const taint = findUntoleratedTaint(node.spec?.taints ?? [], podTolerations(pod), (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  return taint ? `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}` : undefined;
}

/** Number of PreferNoSchedule taints not tolerated by `tolerations`. */
export function countIntolerablePreferNoSchedule(node: NodeObject | undefined, tolerations: readonly TolerationLike[]): number {
  let n = 0;
  for (const t of node?.spec?.taints ?? []) if (t.effect === 'PreferNoSchedule' && !tolerations.some((tol) => toleratesTaint(tol, t))) n++;
  return n;
}

const preferKey = stateKey<readonly TolerationLike[]>('PreScore' + Names.TaintToleration);

export const taintToleration: PluginFactory = (): FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions => ({
  name: Names.TaintToleration,
  filter: (_s, pod, nodeInfo) => {
    const reason = untoleratedTaintReason(pod, nodeInfo.node);
    return reason ? Status.unresolvable(reason) : Status.SUCCESS;
  },
  preScore: (state, pod) => {
    state.write(preferKey, podTolerations(pod).filter((t) => !t.effect || t.effect === 'PreferNoSchedule'));
    return Status.SUCCESS;
  },
  score: (state, _pod, nodeInfo) => countIntolerablePreferNoSchedule(nodeInfo.node, state.read(preferKey)),
  scoreExtensions: () => ({
    normalizeScore: (_s, _p, scores) => {
      defaultNormalizeScore(scores, true);
      return Status.SUCCESS;
    },
  }),
  eventsToRegister: (): ClusterEventWithHint[] => [
    { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint } },
    { event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodToleration } },
  ],
});
