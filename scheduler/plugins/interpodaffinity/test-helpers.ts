/** Builders shared by the InterPodAffinity table tests: terms, affinities, a cluster of NodeInfos. */
import type { NodeInfo, NodeInfoLister, PodObject } from '../../framework/index.ts';
import { makeNode, makePod, nodeInfo } from '../testing/objects.ts';

type Affinity = NonNullable<Parameters<typeof makePod>[0]>['affinity'];
type Term = Record<string, unknown>;

/** A PodAffinityTerm selecting `matchLabels` over `topologyKey` (extra fields: namespaces, namespaceSelector, matchLabelKeys…). */
export const term = (matchLabels: Record<string, string>, topologyKey = 'zone', extra: Term = {}): Term => ({ labelSelector: { matchLabels }, topologyKey, ...extra });

/** spec.affinity with required pod affinity / anti-affinity terms. */
export const required = (affinity: Term[] = [], antiAffinity: Term[] = []): Affinity =>
  ({
    podAffinity: affinity.length ? { requiredDuringSchedulingIgnoredDuringExecution: affinity } : undefined,
    podAntiAffinity: antiAffinity.length ? { requiredDuringSchedulingIgnoredDuringExecution: antiAffinity } : undefined,
  }) as Affinity;

/** spec.affinity with preferred pod affinity / anti-affinity terms (`[weight, term]`). */
export const preferred = (affinity: [number, Term][] = [], antiAffinity: [number, Term][] = [], requiredAffinity: Term[] = []): Affinity =>
  ({
    podAffinity:
      affinity.length || requiredAffinity.length
        ? {
            preferredDuringSchedulingIgnoredDuringExecution: affinity.length ? affinity.map(([weight, podAffinityTerm]) => ({ weight, podAffinityTerm })) : undefined,
            requiredDuringSchedulingIgnoredDuringExecution: requiredAffinity.length ? requiredAffinity : undefined,
          }
        : undefined,
    podAntiAffinity: antiAffinity.length ? { preferredDuringSchedulingIgnoredDuringExecution: antiAffinity.map(([weight, podAffinityTerm]) => ({ weight, podAffinityTerm })) } : undefined,
  }) as Affinity;

/** A node `name` with `kubernetes.io/hostname=name` plus `labels`. */
export interface NodeSpec {
  name: string;
  labels?: Record<string, string>;
  pods?: PodObject[];
}

/** NodeInfos of the given nodes with their pods. */
export function cluster(nodes: NodeSpec[]): NodeInfo[] {
  return nodes.map((n) => nodeInfo(makeNode({ name: n.name, labels: { 'kubernetes.io/hostname': n.name, ...n.labels } }), n.pods ?? []));
}

/** A NodeInfoLister over fixed NodeInfos. */
export function listerOf(infos: readonly NodeInfo[]): NodeInfoLister {
  return {
    list: () => infos,
    havePodsWithAffinityList: () => infos.filter((n) => n.podsWithAffinity.length > 0),
    havePodsWithRequiredAntiAffinityList: () => infos.filter((n) => n.podsWithRequiredAntiAffinity.length > 0),
    get: (name) => infos.find((n) => n.nodeName() === name),
  };
}

/** A pod named `name` with labels and affinity (namespace default unless given). */
export const pod = (name: string, labels: Record<string, string> = {}, affinity?: Affinity, namespace?: string): PodObject => makePod({ name, labels, affinity, namespace });
