/**
 * ControllerRevision bookkeeping shared by the controllers that keep a history (DaemonSet,
 * StatefulSet), as upstream's `pkg/controller/history`: revision names, ordering, the next
 * revision number, and which old revisions a `revisionHistoryLimit` lets go. Pure.
 */
import type { ControllerRevision } from '../api/apps/v1/controllerrevision.ts';
import type { DeepReadonly } from '../informer/index.ts';

type Revision = ControllerRevision | DeepReadonly<ControllerRevision>;

/** The label DaemonSet pods and revisions carry: the hash of the template they were made from. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** `<prefix>-<hash>`, the prefix cut to 223 characters so the name fits (upstream `ControllerRevisionName`). */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** Oldest first: by revision, then creation time, then name (upstream `SortControllerRevisions`). */
export function compareRevisions(a: Revision, b: Revision): number {
  const ra = a.revision ?? 0;
  const rb = b.revision ?? 0;
  if (ra !== rb) return ra - rb;
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** The highest revision number, 0 for none. */
export function maxRevision(revisions: readonly Revision[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision ?? 0), 0);
}

/** The number the next revision gets (upstream `NextRevision`). */
export function nextRevision(revisions: readonly Revision[]): number {
  return maxRevision(revisions) + 1;
}

/**
 * The old revisions to delete so that at most `limit` remain, oldest first, never one whose hash
 * a live pod still carries (`liveHashes`), as upstream's DaemonSet `cleanupHistory`.
 */
export function revisionsToPrune<T extends Revision>(old: readonly T[], limit: number, liveHashes: ReadonlySet<string>): T[] {
  let excess = old.length - Math.max(0, limit);
  if (excess <= 0) return [];
  const out: T[] = [];
  for (const revision of [...old].sort(compareRevisions)) {
    if (excess <= 0) break;
    if (liveHashes.has(revision.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '')) continue;
    out.push(revision);
    excess--;
  }
  return out;
}
