/**
 * A pod plus what the scheduler derives from it once: requests and parsed (anti-)affinity
 * terms (upstream framework.PodInfo).
 */
import { fromLabelSelector, type LabelSelectorMatcher } from '../../pkg/api/selectors/index.ts';
import type { HostPort } from './host-ports.ts';
import { podRequests, type Resource } from './resource.ts';
import type { PodObject } from './types.ts';

/**
 * A parsed PodAffinityTerm. `namespaces` defaults to the pod's own namespace when the term
 * names none and has no namespaceSelector; a missing selector matches nothing.
 */
export interface AffinityTerm {
  readonly namespaces: ReadonlySet<string>;
  readonly selector: LabelSelectorMatcher;
  readonly topologyKey: string;
  readonly namespaceSelector: LabelSelectorMatcher;
}

export interface WeightedAffinityTerm {
  readonly term: AffinityTerm;
  readonly weight: number;
}

type RawTerm = NonNullable<NonNullable<NonNullable<PodObject['spec']>['affinity']>['podAffinity']>['requiredDuringSchedulingIgnoredDuringExecution'] extends
  | ReadonlyArray<infer T>
  | undefined
  ? T
  : never;

/** Parses one PodAffinityTerm of `pod` (upstream newAffinityTerm). */
export function newAffinityTerm(pod: PodObject, term: RawTerm): AffinityTerm {
  const names = term.namespaces ?? [];
  const namespaces = names.length === 0 && !term.namespaceSelector ? new Set([pod.metadata?.namespace ?? '']) : new Set(names);
  return {
    namespaces,
    selector: fromLabelSelector(term.labelSelector as never),
    topologyKey: term.topologyKey ?? '',
    namespaceSelector: fromLabelSelector(term.namespaceSelector as never),
  };
}

/** Whether `term` selects `pod`, given the labels of `pod`'s namespace (upstream AffinityTerm.Matches). */
export function affinityTermMatches(term: AffinityTerm, pod: PodObject, namespaceLabels: Readonly<Record<string, string>> = {}): boolean {
  const ns = pod.metadata?.namespace ?? '';
  if ((term.namespaces.size > 0 && term.namespaces.has(ns)) || term.namespaceSelector.matches(namespaceLabels)) {
    return term.selector.matches(pod.metadata?.labels ?? {});
  }
  return false;
}

/** The host ports a pod's containers request (hostPort > 0). */
export function podHostPorts(pod: PodObject): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push({ ip: p.hostIP, protocol: p.protocol, port: p.hostPort! });
  }
  return out;
}

/**
 * Contract: immutable once built; rebuild with {@link newPodInfo} when the pod changes.
 * `requests` are what NodeResourcesFit counts, `nonZeroRequests` what scoring counts.
 */
export interface PodInfo {
  readonly pod: PodObject;
  readonly requests: Resource;
  readonly nonZeroRequests: Resource;
  readonly hostPorts: readonly HostPort[];
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
}

export function newPodInfo(pod: PodObject): PodInfo {
  const aff = pod.spec?.affinity;
  const req = (terms: readonly RawTerm[] | undefined) => (terms ?? []).map((t) => newAffinityTerm(pod, t));
  const pref = (terms: ReadonlyArray<{ readonly weight?: number; readonly podAffinityTerm: RawTerm }> | undefined) =>
    (terms ?? []).map((w) => ({ weight: w.weight ?? 0, term: newAffinityTerm(pod, w.podAffinityTerm) }));
  return {
    pod,
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, { nonZero: true }),
    hostPorts: podHostPorts(pod),
    requiredAffinityTerms: req(aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinityTerms: req(aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinityTerms: pref(aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinityTerms: pref(aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}

/** Whether the pod has any pod affinity or anti-affinity (upstream PodsWithAffinity membership). */
export function hasPodAffinity(pi: PodInfo): boolean {
  const a = pi.pod.spec?.affinity;
  return Boolean(a?.podAffinity || a?.podAntiAffinity);
}

/** Whether the pod has required anti-affinity terms. */
export function hasRequiredAntiAffinity(pi: PodInfo): boolean {
  return pi.requiredAntiAffinityTerms.length > 0;
}
