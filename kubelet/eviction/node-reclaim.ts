/**
 * Which node-level reclaim the eviction manager tries before it evicts a pod for a signal
 * (upstream `buildSignalToNodeReclaimFuncs`, without a split container filesystem). Pure.
 *
 * - Without a dedicated image filesystem (imagefs on nodefs, k8ts' default) every disk signal —
 *   `nodefs.*`, `imagefs.*`, `containerfs.*` — first deletes every unused container and then every
 *   unused image.
 * - With a dedicated image filesystem only the `imagefs.*` signals do; `nodefs.*` pressure evicts
 *   at once (upstream's empty reclaim list: the node's own files are not the kubelet's to delete).
 * - Memory and PID signals have no node-level reclaim.
 */
import type { Signal } from './signals.ts';

/** What to reclaim for a signal before evicting. */
export type NodeReclaim = 'none' | 'containers-and-images';

export function nodeReclaimFor(signal: Signal, dedicatedImageFs: boolean): NodeReclaim {
  if (signal.startsWith('imagefs.')) return 'containers-and-images';
  if (signal.startsWith('nodefs.') || signal.startsWith('containerfs.')) return dedicatedImageFs ? 'none' : 'containers-and-images';
  return 'none';
}
