/**
 * Scaling a Deployment that is not rolling out right now (upstream `sync.go` isScalingEvent and
 * scale, `deployment_util.go` GetProportion), pure: with one active ReplicaSet it takes the new
 * size; a saturated new ReplicaSet leaves the old ones at zero; during a rolling update the
 * difference is spread over every active ReplicaSet in proportion to its size, using the
 * `max-replicas` annotation each one carries from the last scale.
 */
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { byCreation, DESIRED_REPLICAS, MAX_REPLICAS, surgeAndUnavailable } from './rollout.ts';

type RS = ReplicaSet | DeepReadonly<ReplicaSet>;
type D = Deployment | DeepReadonly<Deployment>;

const size = (rs: RS) => rs.spec?.replicas ?? 0;
const desired = (d: D) => d.spec?.replicas ?? 1;
const isActive = (rs: RS) => size(rs) > 0;

/** An active ReplicaSet was last scaled for another Deployment size (upstream isScalingEvent). */
export function isScalingEvent(d: D, rss: readonly RS[]): boolean {
  return rss.filter(isActive).some((rs) => {
    const annotated = rs.metadata.annotations?.[DESIRED_REPLICAS];
    return annotated !== undefined && Number(annotated) !== desired(d);
  });
}

/** The only active ReplicaSet, or the newest when none is active; undefined with several active (upstream FindActiveOrLatest). */
function activeOrLatest(newRS: RS | undefined, olds: readonly RS[]): RS | undefined {
  const all = [...olds, ...(newRS ? [newRS] : [])].sort(byCreation);
  const active = all.filter(isActive);
  if (active.length === 0) return newRS ?? all.at(-1);
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet runs the whole Deployment and every pod is available (upstream IsSaturated). */
function isSaturated(d: D, rs: RS | undefined): boolean {
  if (!rs) return false;
  return size(rs) === desired(d) && Number(rs.metadata.annotations?.[DESIRED_REPLICAS]) === desired(d) && (rs.status?.availableReplicas ?? 0) === desired(d);
}

/** How many replicas `rs` gains (or loses) of `toAdd`, `added` already handed out (upstream GetProportion). */
function proportion(d: D, rs: RS, toAdd: number, added: number): number {
  if (size(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (desired(d) === 0) fraction = -size(rs);
  else {
    const maxNow = desired(d) + surgeAndUnavailable(d).maxSurge;
    let maxBefore = Number(rs.metadata.annotations?.[MAX_REPLICAS]);
    if (!Number.isFinite(maxBefore) || maxBefore === 0) maxBefore = d.status?.replicas ?? 0;
    fraction = maxBefore === 0 ? 0 : Math.round((size(rs) * maxNow) / maxBefore) - size(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** Larger first; on a tie newer first when scaling up, older first when scaling down. */
function bySize(up: boolean): (a: RS, b: RS) => number {
  return (a, b) => size(b) - size(a) || (up ? byCreation(b, a) : byCreation(a, b));
}

/**
 * ReplicaSet name → replicas it should have now: those whose size changes, plus active ones
 * whose `desired-replicas` annotation is stale at their current size (scaling them rewrites the
 * annotations, as upstream's scaleReplicaSet does, so the scaling event ends).
 */
export function scaleTargets(d: D, newRS: RS | undefined, olds: readonly RS[]): Map<string, number> {
  const out = sizeTargets(d, newRS, olds);
  for (const rs of [...olds, ...(newRS ? [newRS] : [])]) {
    const name = rs.metadata.name as string;
    if (isActive(rs) && !out.has(name) && Number(rs.metadata.annotations?.[DESIRED_REPLICAS]) !== desired(d)) out.set(name, size(rs));
  }
  return out;
}

function sizeTargets(d: D, newRS: RS | undefined, olds: readonly RS[]): Map<string, number> {
  const out = new Map<string, number>();
  const set = (rs: RS, n: number) => {
    if (n !== size(rs)) out.set(rs.metadata.name as string, n);
  };
  const single = activeOrLatest(newRS, olds);
  if (single) {
    set(single, desired(d));
    return out;
  }
  if (isSaturated(d, newRS)) {
    for (const rs of olds.filter(isActive)) set(rs, 0);
    return out;
  }
  if (d.spec?.strategy?.type === 'Recreate') return out;
  const active = [...olds, ...(newRS ? [newRS] : [])].filter(isActive);
  const allowed = desired(d) > 0 ? desired(d) + surgeAndUnavailable(d).maxSurge : 0;
  const toAdd = allowed - active.reduce((n, rs) => n + size(rs), 0);
  if (toAdd === 0) return out;
  active.sort(bySize(toAdd > 0));
  let added = 0;
  const sizes = active.map((rs) => {
    const p = proportion(d, rs, toAdd, added);
    added += p;
    return size(rs) + p;
  });
  sizes[0] = Math.max(0, sizes[0]! + toAdd - added);
  active.forEach((rs, i) => set(rs, sizes[i]!));
  return out;
}
