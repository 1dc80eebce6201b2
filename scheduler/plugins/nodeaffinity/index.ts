/**
 * NodeAffinity (upstream framework/plugins/nodeaffinity): Filter keeps the nodes matching the
 * pod's `spec.nodeSelector` and required node affinity (and the profile's `addedAffinity`);
 * PreFilter narrows the candidates to the node names of `matchFields metadata.name In`; Score
 * sums the weights of the matching preferred terms.
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
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueueingHint,
  type ScorePlugin,
} from '../../framework/index.ts';
import { matchesNodeSelectorTerm, matchesNodeSelectorTerms, requiredNodeAffinity, type NodeSelectorTermLike, type RequiredNodeAffinity } from '../helper/node-selector.ts';
import { defaultNormalizeScore } from '../helper/normalize.ts';
import { Names } from '../names.ts';
import { parseNodeAffinityArgs } from './args.ts';

/** Filter reason when the pod's own node selector / required affinity does not match. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** Filter reason when the profile's `addedAffinity` does not match. */
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
/** PreFilter reason when every required term names a disjoint set of nodes. */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

/** A preferred scheduling term (pod spec or `addedAffinity`). */
export interface PreferredTermLike {
  readonly weight: number;
  readonly preference: NodeSelectorTermLike;
}

/**
 * The only nodes the pod can go to by its required terms' `matchFields metadata.name In`
 * (upstream PreFilter): undefined = no restriction (no required terms, or some term has no
 * such field requirement); an empty set = no term can be satisfied. Requirements within a
 * term are intersected, terms are unioned.
 */
export function requiredNodeNames(pod: PodObject): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  const names = new Set<string>();
  for (const term of terms) {
    let termNames: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const values = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => values.has(n))) : values;
    }
    if (!termNames) return undefined;
    for (const n of termNames) names.add(n);
  }
  return names;
}

/**
 * The Filter reason for `node`, or undefined when it fits: `addedTerms` (the profile's
 * enforced selector, undefined = none; an empty list matches nothing) is checked first, then the
 * pod's own constraints. A missing node matches nothing.
 */
export function nodeAffinityFilterReason(required: RequiredNodeAffinity, addedTerms: readonly NodeSelectorTermLike[] | undefined, node: NodeObject | undefined): string | undefined {
  if (addedTerms && (!node || !matchesNodeSelectorTerms(addedTerms, node))) return ERR_REASON_ENFORCED;
  if (!node || !required.match(node)) return ERR_REASON_POD;
  return undefined;
}

/** Sum of the weights of the terms matching `node` (weight-0 and empty terms never count). */
export function preferredScore(terms: readonly PreferredTermLike[] | undefined, node: NodeObject): number {
  let sum = 0;
  for (const t of terms ?? []) if (t.weight !== 0 && matchesNodeSelectorTerm(t.preference, node)) sum += t.weight;
  return sum;
}

/**
 * Queueing hint for a Node add/update (upstream isSchedulableAfterNodeChange): Queue only when
 * the new node satisfies `addedTerms` and the pod's required affinity, and (for updates) the old
 * one did not.
 */
export function schedulableAfterNodeChange(pod: PodObject, oldNode: NodeObject | undefined, newNode: NodeObject | undefined, addedTerms: readonly NodeSelectorTermLike[] | undefined): QueueingHint {
  if (!newNode) return 'Queue';
  if (addedTerms && !matchesNodeSelectorTerms(addedTerms, newNode)) return 'QueueSkip';
  const required = requiredNodeAffinity(pod);
  if (!required.match(newNode)) return 'QueueSkip';
  if (!oldNode) return 'Queue';
  return required.match(oldNode) ? 'QueueSkip' : 'Queue';
}

const preFilterKey = stateKey<RequiredNodeAffinity>('PreFilter' + Names.NodeAffinity);
const preScoreKey = stateKey<readonly PreferredTermLike[] | undefined>('PreScore' + Names.NodeAffinity);

const podPreferredTerms = (pod: PodObject): readonly PreferredTermLike[] | undefined => pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;

/** Builds the plugin; `args` are NodeAffinityArgs (invalid args throw a readable Error). */
export const nodeAffinity: PluginFactory = (rawArgs): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions => {
  const added = parseNodeAffinityArgs(rawArgs).addedAffinity;
  const addedTerms: readonly NodeSelectorTermLike[] | undefined = added?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const addedPreferred = added?.preferredDuringSchedulingIgnoredDuringExecution?.length ? added.preferredDuringSchedulingIgnoredDuringExecution : undefined;

  return {
    name: Names.NodeAffinity,
    preFilter: (state, pod) => {
      const hasRequired = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
      if (!hasRequired && !addedTerms && pod.spec?.nodeSelector === undefined) return { status: Status.skip() };
      state.write(preFilterKey, requiredNodeAffinity(pod));
      const names = requiredNodeNames(pod);
      if (!names) return { status: Status.SUCCESS };
      if (names.size === 0) return { status: Status.unresolvable(ERR_REASON_CONFLICT) };
      return { result: { nodeNames: names }, status: Status.SUCCESS };
    },
    preFilterExtensions: () => undefined,
    filter: (state, pod, nodeInfo) => {
      // Without PreFilter (disabled in the profile) the constraints are computed here.
      const required = state.tryRead(preFilterKey) ?? requiredNodeAffinity(pod);
      const reason = nodeAffinityFilterReason(required, addedTerms, nodeInfo.node);
      return reason ? Status.unresolvable(reason) : Status.SUCCESS;
    },
    preScore: (state, pod) => {
      const preferred = podPreferredTerms(pod);
      if (preferred === undefined && !addedPreferred) return Status.skip();
      state.write(preScoreKey, preferred);
      return Status.SUCCESS;
    },
    score: (state, pod, nodeInfo) => {
      const node = nodeInfo.node;
      if (!node) throw new Error(`node ${JSON.stringify(nodeInfo.nodeName())} not found`);
      const preferred = state.tryRead(preScoreKey) ?? podPreferredTerms(pod);
      return preferredScore(addedPreferred, node) + preferredScore(preferred, node);
    },
    scoreExtensions: () => ({
      normalizeScore: (_s, _p, scores) => {
        defaultNormalizeScore(scores, false);
        return Status.SUCCESS;
      },
    }),
    eventsToRegister: (): ClusterEventWithHint[] => [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel },
        queueingHintFn: (pod, oldObj, newObj) => schedulableAfterNodeChange(pod, oldObj as NodeObject | undefined, newObj as NodeObject | undefined, addedTerms),
      },
    ],
  };
};
