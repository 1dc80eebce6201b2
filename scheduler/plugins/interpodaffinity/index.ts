/**
 * InterPodAffinity (upstream framework/plugins/interpodaffinity): required pod affinity and
 * anti-affinity (of the incoming pod and of existing pods) as a Filter with PreFilter
 * extensions for preemption, preferred terms as a Score.
 */
import type { Namespace } from '../../../pkg/api/core/v1/namespace.ts';
import { BUILTIN_COORDINATES } from '../../../pkg/client/index.ts';
import {
  stateKey,
  Status,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type PluginFactory,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/index.ts';
import { Names } from '../names.ts';
import { parseInterPodAffinityArgs } from './args.ts';
import { interPodAffinityEvents } from './events.ts';
import { computePreFilterState, filterNode, type PreFilterState } from './filtering.ts';
import { namespaceLookupFrom } from './namespaces.ts';
import { computeTopologyScore, normalizeScores, scoreNode, type TopologyScore } from './scoring.ts';

export { ErrReasonAffinityRulesNotMatch, ErrReasonAntiAffinityRulesNotMatch, ErrReasonExistingAntiAffinityRulesNotMatch } from './filtering.ts';

const preFilterKey = stateKey<PreFilterState>('PreFilter' + Names.InterPodAffinity);
const preScoreKey = stateKey<TopologyScore>('PreScore' + Names.InterPodAffinity);

/** The InterPodAffinity plugin; args are InterPodAffinityArgs (see args.ts). */
export const interPodAffinity: PluginFactory = (rawArgs, handle): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions => {
  const args = parseInterPodAffinityArgs(rawArgs);
  // Taken now so the Namespace informer starts and syncs with the others.
  const namespaces = namespaceLookupFrom(handle.lister<Namespace>(BUILTIN_COORDINATES.namespaces));
  const updateState = (state: CycleState, apply: (s: PreFilterState) => void): Status => {
    apply(state.read(preFilterKey));
    return Status.SUCCESS;
  };
  return {
    name: Names.InterPodAffinity,
    preFilter: (state, pod, nodes) => {
      const lister = handle.snapshotSharedLister().nodeInfos();
      const s = computePreFilterState(pod, nodes, lister.havePodsWithRequiredAntiAffinityList(), namespaces);
      if (!s.hasConstraints()) return { status: Status.skip() };
      state.write(preFilterKey, s);
      return { status: Status.SUCCESS };
    },
    preFilterExtensions: () => ({
      addPod: (state, _pod, podInfoToAdd, nodeInfo) => updateState(state, (s) => s.updateWithPod(podInfoToAdd, nodeInfo.node, 1)),
      removePod: (state, _pod, podInfoToRemove, nodeInfo) => updateState(state, (s) => s.updateWithPod(podInfoToRemove, nodeInfo.node, -1)),
    }),
    filter: (state, _pod, nodeInfo) => {
      if (!nodeInfo.node) return Status.asStatus(new Error('node not found'));
      return filterNode(state.read(preFilterKey), nodeInfo.node);
    },
    preScore: (state, pod) => {
      const score = computeTopologyScore(pod, handle.snapshotSharedLister().nodeInfos(), args, namespaces);
      if (!score) return Status.skip();
      state.write(preScoreKey, score);
      return Status.SUCCESS;
    },
    score: (state, _pod, nodeInfo) => scoreNode(state.read(preScoreKey), nodeInfo.node),
    scoreExtensions: () => ({
      normalizeScore: (state, _pod, scores) => {
        if ((state.tryRead(preScoreKey)?.size ?? 0) > 0) normalizeScores(scores);
        return Status.SUCCESS;
      },
    }),
    eventsToRegister: interPodAffinityEvents,
  };
};
