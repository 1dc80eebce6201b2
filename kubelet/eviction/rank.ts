/**
 * Which pod goes first (upstream `rankMemoryPressure`, `rankDiskPressureFunc`,
 * `rankPIDPressure`): pods without usage figures first, then those whose usage exceeds their
 * request, then lower priority, then the larger usage above the request. The sort is stable, so
 * ties keep the order the pods came in. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { parseQuantity } from '../../pkg/api/quantity.ts';
import { podRequests } from '../../pkg/quota/pod-usage.ts';
import type { ReclaimResource } from './signals.ts';

/** A pod's measured usage (bytes, or a count for inodes and pids); a field absent when not measured. */
export interface PodUsage {
  memoryBytes?: number;
  diskBytes?: number;
  inodes?: number;
  processes?: number;
  /** Working set per container name (for the eviction message). */
  containers?: ReadonlyArray<{ name: string; memoryBytes?: number }>;
}

/** The usage of a pod, undefined when no stats were found for it. */
export type UsageOf = (pod: Pod) => PodUsage | undefined;

type Cmp = (a: Pod, b: Pod) => number;

/** `true` before `false`. */
function cmpBool(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? -1 : 1;
}

/** Pod priority (`spec.priority`, 0 when unset), lower first. */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** A pod's request of a resource in bytes / units (upstream `GetResourceRequestQuantity`: containers, init peak, overhead). */
export function podRequest(pod: Pod, resource: 'memory' | 'ephemeral-storage'): number {
  const value = podRequests(pod as Parameters<typeof podRequests>[0])[resource];
  return value === undefined ? 0 : (parseQuantity(value)?.value ?? 0);
}

/** Pods without stats first; then `cmp` on the two usages. */
function withStats(usage: UsageOf, cmp: (a: PodUsage, b: PodUsage, pa: Pod, pb: Pod) => number): Cmp {
  return (a, b) => {
    const ua = usage(a);
    const ub = usage(b);
    if (!ua || !ub) return cmpBool(!ua, !ub);
    return cmp(ua, ub, a, b);
  };
}

const byPriority: Cmp = (a, b) => podPriority(a) - podPriority(b);

function ordered(pods: readonly Pod[], cmps: readonly Cmp[]): Pod[] {
  return pods
    .map((pod, i) => ({ pod, i }))
    .sort((x, y) => {
      for (const cmp of cmps) {
        const r = cmp(x.pod, y.pod);
        if (r !== 0) return r;
      }
      return x.i - y.i;
    })
    .map((e) => e.pod);
}

function rankByUsage(pods: readonly Pod[], usage: UsageOf, amount: (u: PodUsage) => number, request: (p: Pod) => number, aboveRequest = request): Pod[] {
  const exceeds = withStats(usage, (ua, ub, pa, pb) => cmpBool(amount(ua) > request(pa), amount(ub) > request(pb)));
  const above = withStats(usage, (ua, ub, pa, pb) => amount(ub) - aboveRequest(pb) - (amount(ua) - aboveRequest(pa)));
  return ordered(pods, [exceeds, byPriority, above]);
}

/** The eviction order for a resource under pressure. */
export function rankForEviction(pods: readonly Pod[], resource: ReclaimResource, usage: UsageOf): Pod[] {
  switch (resource) {
    case 'memory':
      return rankByUsage(pods, usage, (u) => u.memoryBytes ?? 0, (p) => podRequest(p, 'memory'));
    case 'ephemeral-storage':
      return rankByUsage(pods, usage, (u) => u.diskBytes ?? 0, (p) => podRequest(p, 'ephemeral-storage'));
    case 'inodes':
      // Upstream compares inodes with the (absent) inode request, i.e. 0, and subtracts the ephemeral-storage request.
      return rankByUsage(pods, usage, (u) => u.inodes ?? 0, () => 0, (p) => podRequest(p, 'ephemeral-storage'));
    case 'pids':
      return ordered(pods, [byPriority, withStats(usage, (ua, ub) => (ub.processes ?? 0) - (ua.processes ?? 0))]);
  }
}
