/**
 * The annotations a Deployment gives its new ReplicaSet (upstream `SetNewReplicaSetAnnotations`),
 * pure: the Deployment's own annotations copied over (so `kubernetes.io/change-cause` shows in
 * `kubectl rollout history`), except kubectl's last-applied configuration and the rollout
 * bookkeeping; the revision raised to `revision` when lower, the one it replaces appended to
 * `deployment.kubernetes.io/revision-history` (at most 2,000 characters, oldest dropped first);
 * and, on a ReplicaSet about to be created, the desired and max replicas.
 */
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { DESIRED_REPLICAS, MAX_REPLICAS, REVISION, REVISION_HISTORY } from './rollout.ts';

/** Upstream `annotationsToSkip`: never copied from the Deployment. */
const NOT_COPIED = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, 'deprecated.deployment.rollback.to']);

/** Upstream `maxRevHistoryLengthInChars`. */
export const MAX_REVISION_HISTORY_CHARS = 2000;

/**
 * `current` (the ReplicaSet's annotations; undefined for one not created yet) as the Deployment
 * wants them, and whether anything changed. `replicas` is the Deployment's desired count and
 * `maxSurge` its resolved surge; they are written only when the ReplicaSet does not exist yet.
 */
export function newReplicaSetAnnotations(d: DeepReadonly<Deployment>, current: Readonly<Record<string, string>> | undefined, revision: string, sizes: { replicas: number; maxSurge: number }): { annotations: Record<string, string>; changed: boolean } {
  const annotations: Record<string, string> = { ...(current ?? {}) };
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const old = annotations[REVISION];
  const oldNumber = old === undefined ? 0 : Number(old);
  if (Number.isFinite(oldNumber) && oldNumber < Number(revision)) {
    annotations[REVISION] = revision;
    changed = true;
    // A ReplicaSet that had a revision and gets a newer one is a rollback target: keep its past revisions.
    if (old !== undefined) {
      const history = annotations[REVISION_HISTORY] ? annotations[REVISION_HISTORY].split(',') : [];
      let length = (annotations[REVISION_HISTORY]?.length ?? 0) + old.length + (history.length ? 1 : 0);
      while (length > MAX_REVISION_HISTORY_CHARS && history.length) length -= history.shift()!.length + 1;
      if (length <= MAX_REVISION_HISTORY_CHARS) annotations[REVISION_HISTORY] = [...history, old].join(',');
    }
  }
  if (current === undefined) {
    const desired = String(sizes.replicas);
    const max = String(sizes.replicas + sizes.maxSurge);
    if (annotations[DESIRED_REPLICAS] !== desired || annotations[MAX_REPLICAS] !== max) changed = true;
    annotations[DESIRED_REPLICAS] = desired;
    annotations[MAX_REPLICAS] = max;
  }
  return { annotations, changed };
}
