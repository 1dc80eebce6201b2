/**
 * The eviction manager's usage figures from the stats collector's view (upstream's
 * `podMemoryUsage` over the summary): each pod's last sampled memory working set, whole and per
 * container, by UID. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { StatsView } from '../stats/view.ts';
import type { PodUsage, UsageOf } from './rank.ts';

/** Each pod's memory usage in `view`; undefined for a pod the view has no stats of (or no view). */
export function podUsageOf(view: StatsView | undefined): UsageOf {
  const byUid = new Map<string, PodUsage>();
  for (const p of view?.pods ?? []) {
    byUid.set(p.ref.uid, { memoryBytes: p.memory?.workingSetBytes, containers: p.containers.map((c) => ({ name: c.name, memoryBytes: c.memory?.workingSetBytes })) });
  }
  return (pod: Pod) => byUid.get(pod.metadata.uid as string);
}
