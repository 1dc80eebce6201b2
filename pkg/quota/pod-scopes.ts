/**
 * Which pods a scoped quota covers (upstream podMatchesScopeFunc): Terminating /
 * NotTerminating by `activeDeadlineSeconds`, BestEffort / NotBestEffort by QoS class,
 * PriorityClass by the scope selector's operator on `spec.priorityClassName`,
 * CrossNamespacePodAffinity by affinity terms naming other namespaces. Pure.
 */
import type { ContainerLike, PodLike } from './pod-usage.ts';

/** One scope selector requirement (`spec.scopes` entries become `Exists` requirements). */
export interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: readonly string[] | undefined;
}

/** The parts of a quota that carry scopes. */
export interface ScopedQuotaLike {
  spec?: { scopes?: readonly string[] | undefined; scopeSelector?: { matchExpressions?: readonly ScopeRequirement[] | undefined } | undefined } | undefined;
}

/** getScopeSelectorsFromQuota: the scopes as `Exists` requirements, then the selector's. */
export function quotaScopeSelectors(quota: ScopedQuotaLike): ScopeRequirement[] {
  const fromScopes = (quota.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' }));
  return [...fromScopes, ...(quota.spec?.scopeSelector?.matchExpressions ?? [])];
}

export function isTerminating(pod: PodLike): boolean {
  const d = pod.spec?.activeDeadlineSeconds;
  return d !== undefined && d !== null && d >= 0;
}

/** GetPodQOS == BestEffort: no container states a cpu or memory request or limit. */
export function isBestEffort(pod: PodLike): boolean {
  const states = (c: ContainerLike) => ['cpu', 'memory'].some((r) => r in (c.resources?.requests ?? {}) || r in (c.resources?.limits ?? {}));
  return ![...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some(states);
}

type Term = { namespaces?: unknown[]; namespaceSelector?: unknown };

function crossNamespace(terms: unknown): boolean {
  return Array.isArray(terms) && terms.some((t: Term & { podAffinityTerm?: Term }) => {
    const term = t.podAffinityTerm ?? t;
    return (term.namespaces?.length ?? 0) > 0 || (term.namespaceSelector !== undefined && term.namespaceSelector !== null);
  });
}

function usesCrossNamespaceAffinity(pod: PodLike): boolean {
  const affinity = pod.spec?.affinity as Record<string, Record<string, unknown> | undefined> | undefined;
  return ['podAffinity', 'podAntiAffinity'].some((kind) => {
    const a = affinity?.[kind];
    return !!a && (crossNamespace(a.requiredDuringSchedulingIgnoredDuringExecution) || crossNamespace(a.preferredDuringSchedulingIgnoredDuringExecution));
  });
}

function priorityClassMatches(pod: PodLike, req: ScopeRequirement): boolean {
  const name = pod.spec?.priorityClassName ?? '';
  const values = req.values ?? [];
  switch (req.operator) {
    case 'Exists':
      return name !== '';
    case 'DoesNotExist':
      return name === '';
    case 'In':
      return name !== '' && values.includes(name);
    case 'NotIn':
      return name === '' || !values.includes(name);
    default:
      return false;
  }
}

/** podMatchesScopeFunc for one requirement. */
export function podMatchesScope(pod: PodLike, req: ScopeRequirement): boolean {
  switch (req.scopeName) {
    case 'Terminating':
      return isTerminating(pod);
    case 'NotTerminating':
      return !isTerminating(pod);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass':
      return priorityClassMatches(pod, req);
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespaceAffinity(pod);
    default:
      return false;
  }
}
