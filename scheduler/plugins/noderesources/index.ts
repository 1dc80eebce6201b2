/** NodeResourcesFit and NodeResourcesBalancedAllocation plugins. */
import {
  ActionType,
  Code,
  newPodInfo,
  NodeInfo,
  stateKey,
  Status,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type PluginFactory,
  type PodInfo,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/index.ts';
import { Names } from '../names.ts';
import { requestedAndAllocatable, type Allocation } from './allocation.ts';
import { BalancedAllocationArgsSchema, NodeResourcesFitArgsSchema, parseArgs } from './args.ts';
import { fits, fitsRequest, prepareRequest, type PreparedRequest } from './fit.ts';
import { balancedScorer, leastAllocatedScorer, mostAllocatedScorer, requestedToCapacityRatioScorer, type Scorer } from './scorers.ts';

export * from './fit.ts';
export * from './scorers.ts';
export * from './allocation.ts';
export * from './args.ts';

const emptyNode = new NodeInfo();
const fitKey = stateKey<PodInfo>('PreFilter' + Names.NodeResourcesFit);
const preparedKey = stateKey<PreparedRequest>('PreFilterPrepared' + Names.NodeResourcesFit);
const scoreKey = stateKey<PodInfo>('PreScore' + Names.NodeResourcesFit);
const balancedKey = stateKey<PodInfo>('PreScore' + Names.NodeResourcesBalancedAllocation);

const resourceEvents = (): ClusterEventWithHint[] => [
  { event: { resource: 'AssignedPod', actionType: ActionType.Delete | ActionType.UpdatePodScaleDown } },
  { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel } },
];

export const nodeResourcesFit: PluginFactory = (rawArgs): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions => {
  const args = parseArgs(Names.NodeResourcesFit, NodeResourcesFitArgsSchema, rawArgs);
  const strategy = args.scoringStrategy;
  const resources = strategy.resources;
  const names = resources.map((r) => r.name);
  const scorer: Scorer =
    strategy.type === 'MostAllocated'
      ? mostAllocatedScorer(resources)
      : strategy.type === 'RequestedToCapacityRatio'
        ? requestedToCapacityRatioScorer(resources, strategy.requestedToCapacityRatio!.shape)
        : leastAllocatedScorer(resources);
  const ignored = { names: new Set(args.ignoredResources), groups: new Set(args.ignoredResourceGroups) };
  const scratch: Allocation = { requested: [], allocatable: [] };
  return {
    name: Names.NodeResourcesFit,
    preFilter: (state, pod) => {
      const pi = newPodInfo(pod);
      state.write(fitKey, pi);
      state.write(preparedKey, prepareRequest(pi.requests, ignored));
      return { status: Status.SUCCESS };
    },
    preFilterExtensions: () => undefined,
    filter: (state, _pod, nodeInfo) => {
      const prepared = state.read(preparedKey);
      if (fits(prepared, nodeInfo)) return Status.SUCCESS;
      const insufficient = fitsRequest(prepared.request, nodeInfo, ignored);
      const code = insufficient.some((r) => r.unresolvable) ? Code.UnschedulableAndUnresolvable : Code.Unschedulable;
      return Status.of(code, ...insufficient.map((r) => r.reason));
    },
    preScore: (state, pod) => {
      state.write(scoreKey, state.tryRead(fitKey) ?? newPodInfo(pod));
      return Status.SUCCESS;
    },
    score: (state, _pod, nodeInfo) => {
      const { requested, allocatable } = requestedAndAllocatable(names, nodeInfo, state.read(scoreKey), true, scratch);
      return scorer(requested, allocatable);
    },
    eventsToRegister: resourceEvents,
  };
};

export const nodeResourcesBalancedAllocation: PluginFactory = (rawArgs): PreScorePlugin & ScorePlugin & EnqueueExtensions => {
  const args = parseArgs(Names.NodeResourcesBalancedAllocation, BalancedAllocationArgsSchema, rawArgs);
  const names = args.resources.map((r) => r.name);
  const scratch: Allocation = { requested: [], allocatable: [] };
  return {
    name: Names.NodeResourcesBalancedAllocation,
    preScore: (state, pod) => {
      const pi = newPodInfo(pod);
      const { requested } = requestedAndAllocatable(names, emptyNode, pi, false);
      if (requested.every((v) => v === 0)) return Status.skip();
      state.write(balancedKey, pi);
      return Status.SUCCESS;
    },
    score: (state, _pod, nodeInfo) => {
      const { requested, allocatable } = requestedAndAllocatable(names, nodeInfo, state.read(balancedKey), false, scratch);
      return balancedScorer(requested, allocatable);
    },
    eventsToRegister: resourceEvents,
  };
};

