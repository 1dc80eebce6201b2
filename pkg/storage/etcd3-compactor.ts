/**
 * The API server's etcd compactor (upstream `--etcd-compaction-interval`, default 5 minutes):
 * without it etcd keeps every revision of every key until its space quota is exhausted
 * (`mvcc: database space exceeded`) and the cluster turns read-only.
 *
 * Each interval one compare-and-swap on the key `compact_rev_key` (upstream's name, outside any
 * prefix) both elects the compactor of this interval and records the current revision: its
 * version is the shared "compact time". The winner writes the revision it saw and compacts up to
 * the revision it had recorded one interval earlier, so one interval of history always survives
 * for slow watchers and continue tokens; every other API server (or `--workers` process) loses the
 * swap, adopts the winner's compact time and tries again next interval. A dead compactor is
 * replaced within two intervals. The first swap after start compacts nothing.
 */
import type { Logger } from 'pino';
import type { Clock } from '../workqueue/index.ts';
import { runEveryAfterOnePeriod } from '../util/periodic.ts';

/** The key upstream's compactors share in etcd (no `/registry` prefix). */
export const COMPACT_REV_KEY = 'compact_rev_key';

/** Upstream's default `--etcd-compaction-interval`. */
export const DEFAULT_ETCD_COMPACTION_INTERVAL_MS = 5 * 60_000;

/** What one compactor knows between intervals. */
export interface CompactorState {
  /** The version of {@link COMPACT_REV_KEY} this compactor expects (0: the key does not exist). */
  compactTime: number;
  /** The etcd revision seen at the last swap: what the next winning swap compacts up to (0: nothing yet). */
  revision: number;
}

/** The outcome of `if version(compact_rev_key) == compactTime then put(revision) else get`. */
export type CompactSwapResult =
  | { succeeded: true; revision: number }
  | { succeeded: false; revision: number; version: number };

/** The two etcd calls a compaction cycle makes (implemented by `Etcd3Storage`). */
export interface CompactionClient {
  /** Swaps {@link COMPACT_REV_KEY} to `value` if its version is `expectVersion`, else reads its version; `revision` is etcd's revision after the call. */
  swapCompactRevKey(expectVersion: number, value: string): Promise<CompactSwapResult>;
  /** Compacts history up to `revision` (already compacted: no error). */
  compact(revision: number): Promise<void>;
}

/**
 * The decision after a swap: the next state, and the revision to compact (when this compactor won
 * and had seen a revision one interval earlier).
 */
export function decideCompaction(state: CompactorState, swap: CompactSwapResult): { next: CompactorState; compactTo?: number } {
  if (!swap.succeeded) return { next: { compactTime: swap.version, revision: swap.revision } };
  const next = { compactTime: state.compactTime + 1, revision: swap.revision };
  return state.revision > 0 ? { next, compactTo: state.revision } : { next };
}

/** One interval's work: the swap, then the compaction it calls for. Resolves to the next state and the revision compacted (if any). */
export async function runCompactionCycle(client: CompactionClient, state: CompactorState): Promise<{ next: CompactorState; compacted?: number }> {
  const swap = await client.swapCompactRevKey(state.compactTime, String(state.revision));
  const { next, compactTo } = decideCompaction(state, swap);
  if (compactTo === undefined) return { next };
  await client.compact(compactTo);
  return { next, compacted: compactTo };
}

/** Options of {@link startEtcdCompactor}. */
export interface EtcdCompactorOptions {
  client: CompactionClient;
  /** Time between cycles; 0 or less starts nothing (upstream: compaction left to etcd or the operator). */
  intervalMs: number;
  clock: Clock;
  /** Stops the loop. */
  signal: AbortSignal;
  log: Logger;
}

/**
 * Runs a compaction cycle every `intervalMs`, the first one interval after the call. A failed cycle
 * is logged and keeps the state it had (as upstream: the swap is retried with the same compact time
 * next interval).
 */
export function startEtcdCompactor(options: EtcdCompactorOptions): void {
  const { client, intervalMs, clock, signal, log } = options;
  let state: CompactorState = { compactTime: 0, revision: 0 };
  runEveryAfterOnePeriod({ name: 'etcd compaction', intervalMs, clock, signal, log }, async () => {
    const { next, compacted } = await runCompactionCycle(client, state);
    state = next;
    if (compacted !== undefined) log.info({ revision: compacted }, 'etcd compacted');
  });
}
