/**
 * PodTopologySpread (upstream framework/plugins/podtopologyspread): Filter keeps the pod's
 * `DoNotSchedule` topology spread constraints within maxSkew; Score prefers nodes whose domains
 * hold fewer matching pods for its `ScheduleAnyway` constraints. Pods without constraints that
 * belong to a Service or ReplicaSet get the default constraints of the plugin args.
 */
import {
  stateKey,
  Status,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type PodObject,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/index.ts';
import { Names } from '../names.ts';
import { resolvePodTopologySpreadArgs } from './args.ts';
import { constraintsFor, DO_NOT_SCHEDULE, SCHEDULE_ANYWAY, type DefaultConstraints } from './common.ts';
import { defaultSelector, NO_WORKLOADS, workloadListers, type WorkloadSource } from './default-selector.ts';
import { podTopologySpreadEvents } from './events.ts';
import { calPreFilterState, filterNode, updateWithPod, type PreFilterState } from './filtering.ts';
import { normalizeScores, preScoreState, scoreNode, type PreScoreState } from './scoring.ts';

export { resolvePodTopologySpreadArgs, SYSTEM_DEFAULT_CONSTRAINTS } from './args.ts';
export { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './common.ts';

const preFilterKey = stateKey<PreFilterState>('PreFilter' + Names.PodTopologySpread);
const preScoreKey = stateKey<PreScoreState>('PreScore' + Names.PodTopologySpread);

/** The PodTopologySpread plugin's extension points. */
export type PodTopologySpreadPlugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions;

/**
 * The plugin factory (a PluginFactory). Args: PodTopologySpreadArgs (zod; throws a readable
 * Error). When default constraints apply, the Service and ReplicaSet listers are taken from the
 * handle here, so their informers start and sync with the others.
 */
export function podTopologySpread(args: unknown, handle: Handle): PodTopologySpreadPlugin {
  const { constraints, systemDefaulted } = resolvePodTopologySpreadArgs(args);
  const workloads: WorkloadSource = constraints.length > 0 ? workloadListers(handle) : NO_WORKLOADS;
  const defaults: DefaultConstraints = { constraints, selectorFor: (pod) => defaultSelector(pod, workloads) };
  const hardConstraints = (pod: PodObject) => constraintsFor(pod, defaults, DO_NOT_SCHEDULE);

  return {
    name: Names.PodTopologySpread,
    preFilter: (state, pod, nodes) => {
      let s: PreFilterState;
      try {
        s = calPreFilterState(pod, hardConstraints(pod), nodes);
      } catch (err) {
        return { status: Status.asStatus(err) };
      }
      if (s.constraints.length === 0) return { status: Status.skip() };
      state.write(preFilterKey, s);
      return { status: Status.SUCCESS };
    },
    preFilterExtensions: () => ({
      addPod: (state, podToSchedule, podInfoToAdd, nodeInfo) => {
        updateWithPod(state.read(preFilterKey), podInfoToAdd.pod, podToSchedule, nodeInfo.node, +1);
        return Status.SUCCESS;
      },
      removePod: (state, podToSchedule, podInfoToRemove, nodeInfo) => {
        updateWithPod(state.read(preFilterKey), podInfoToRemove.pod, podToSchedule, nodeInfo.node, -1);
        return Status.SUCCESS;
      },
    }),
    filter: (state, pod, nodeInfo) => filterNode(state.read(preFilterKey), pod, nodeInfo.node),
    preScore: (state, pod, filteredNodes) => {
      const allNodes = handle.snapshotSharedLister().nodeInfos().list();
      if (filteredNodes.length === 0 || allNodes.length === 0) return Status.skip();
      // Only the pod's own constraints and non-system defaults require every topology key, so
      // nodes without a zone label still get hostname spreading under the system defaults.
      const requireAllTopologies = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0 || !systemDefaulted;
      let s: PreScoreState;
      try {
        const constraints = constraintsFor(pod, defaults, SCHEDULE_ANYWAY);
        // As upstream initPreScoreState: a pod without constraints (no own ones, and no Service or
        // ReplicaSet for the defaults to spread it with) skips Score before any node is looked at.
        if (constraints.length === 0) return Status.skip();
        s = preScoreState(pod, constraints, filteredNodes, allNodes, requireAllTopologies);
      } catch (err) {
        return Status.asStatus(new Error(`calculating preScoreState: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
      }
      state.write(preScoreKey, s);
      return Status.SUCCESS;
    },
    score: (state, pod, nodeInfo) => scoreNode(state.read(preScoreKey), pod, nodeInfo),
    scoreExtensions: () => ({
      normalizeScore: (state, _pod, scores) => {
        normalizeScores(state.read(preScoreKey), scores);
        return Status.SUCCESS;
      },
    }),
    eventsToRegister: () => podTopologySpreadEvents(hardConstraints),
  };
}
