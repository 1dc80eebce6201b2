/**
 * The collector's per-container state from one housekeeping pass to the next: the latest stats of
 * each running container and its CPU state (rate from the previous sample). Containers missing
 * from the new sample are dropped, so memory is bounded by what runs now. Pure.
 */
import type { RuntimeContainerStats } from '../runtime/types.ts';
import { nextCpuState } from './rate.ts';
import type { ContainerEntry } from './view.ts';

/** The state after `current` (one runtime answer) given the state before it. */
export function advanceContainers(prev: ReadonlyMap<string, ContainerEntry>, current: readonly RuntimeContainerStats[]): Map<string, ContainerEntry> {
  const next = new Map<string, ContainerEntry>();
  for (const stats of current) {
    const cpu = stats.cpu ? nextCpuState(prev.get(stats.id)?.cpu, stats.cpu) : undefined;
    next.set(stats.id, cpu ? { stats, cpu } : { stats });
  }
  return next;
}
