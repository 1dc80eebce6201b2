/**
 * A DaemonSet's ControllerRevisions through the API (upstream `constructHistory`,
 * `dedupCurHistories`, `snapshot`, `cleanupHistory`): revisions are claimed like pods, the one
 * matching the current template is "current" (created as `<ds>-<hash>` if missing, renumbered
 * to the highest revision when an old template comes back — that is `kubectl rollout undo`),
 * duplicates are merged, and old revisions beyond `revisionHistoryLimit` whose hash no live pod
 * carries are deleted. A name taken by another template bumps `status.collisionCount`.
 */
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import { BUILTIN_COORDINATES as C, type Client } from '../../../pkg/client/index.ts';
import { CONTROLLER_REVISION_HASH_LABEL, computeHash, maxRevision, revisionsToPrune } from '../../../pkg/controller-history/index.ts';
import { isAlreadyExists, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { claimChildren, ownedOrOrphans } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { DAEMONSET_OWNER } from './daemon-pod.ts';
import { newDaemonSetRevision, revisionMatches } from './history.ts';

type Revision = DeepReadonly<ControllerRevision>;
type DS = DeepReadonly<DaemonSet>;

/** Dependencies of {@link RevisionControl}. */
export interface RevisionControlDeps {
  client: Client;
  revisions: Lister<ControllerRevision>;
}

/** The current revision and the others. */
export interface History {
  current: Revision;
  old: Revision[];
}

export class RevisionControl {
  constructor(private readonly deps: RevisionControlDeps) {}

  private revisionClient(namespace: string) {
    return this.deps.client.resource<ControllerRevision>(C.controllerRevisions).inNamespace(namespace);
  }

  /** Claims the DaemonSet's revisions and finds or creates the current one. */
  async construct(ds: DS, claimedPods: () => readonly DeepReadonly<Pod>[]): Promise<History> {
    const namespace = ds.metadata.namespace ?? '';
    const crs = this.revisionClient(namespace);
    const claimed = (await claimChildren({
      owner: ds,
      ownerType: DAEMONSET_OWNER,
      selector: fromLabelSelector(ds.spec?.selector as never),
      children: ownedOrOrphans(this.deps.revisions, ds),
      client: crs,
      getOwnerFresh: () => this.deps.client.daemonSets.inNamespace(namespace).get(ds.metadata.name ?? ''),
    })) as Revision[];
    const current: Revision[] = [];
    const old: Revision[] = [];
    for (let revision of claimed) {
      if (revision.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === undefined) {
        // Label it by name rather than by hash, so a hash collision cannot mislabel it.
        const copy = copyJson(revision) as ControllerRevision;
        copy.metadata.labels = { ...(copy.metadata.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: copy.metadata.name ?? '' };
        revision = (await crs.update(copy)) as Revision;
      }
      (revisionMatches(ds, revision) ? current : old).push(revision);
    }
    const next = maxRevision(old) + 1;
    if (!current.length) return { current: await this.snapshot(ds, next), old };
    const kept = await this.dedup(ds, current, claimedPods);
    if ((kept.revision ?? 0) >= next) return { current: kept, old };
    const renumbered = (await crs.update({ ...(copyJson(kept) as ControllerRevision), revision: next })) as Revision;
    return { current: renumbered, old };
  }

  /** Keeps the highest of several revisions holding the current template; pods move to its hash. */
  private async dedup(ds: DS, current: Revision[], claimedPods: () => readonly DeepReadonly<Pod>[]): Promise<Revision> {
    if (current.length === 1) return current[0]!;
    const keep = current.reduce((a, b) => ((b.revision ?? 0) >= (a.revision ?? 0) ? b : a));
    const hash = keep.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    const pods = this.deps.client.pods.inNamespace(ds.metadata.namespace ?? '');
    for (const pod of claimedPods()) {
      if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) continue;
      await pods.patch(pod.metadata.name ?? '', { metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: hash } } }, { type: 'merge' });
    }
    for (const revision of current) {
      if (revision.metadata.name !== keep.metadata.name) await this.revisionClient(ds.metadata.namespace ?? '').delete(revision.metadata.name ?? '').catch(ignoreNotFound);
    }
    return keep;
  }

  /** Creates the revision of the current template (upstream `snapshot`). */
  private async snapshot(ds: DS, revision: number): Promise<Revision> {
    const namespace = ds.metadata.namespace ?? '';
    const hash = computeHash(ds.spec?.template, ds.status?.collisionCount);
    const wanted = newDaemonSetRevision(ds, hash, revision);
    try {
      return (await this.revisionClient(namespace).create(wanted)) as Revision;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = (await this.revisionClient(namespace).get(wanted.metadata.name ?? '')) as Revision;
      if (revisionMatches(ds, existing)) return existing;
      // Another template holds the name: count a collision (from the stored object, once) and retry.
      const fresh = await this.deps.client.daemonSets.inNamespace(namespace).get(ds.metadata.name ?? '');
      if ((fresh.status?.collisionCount ?? undefined) !== (ds.status?.collisionCount ?? undefined)) {
        throw new Error(`found a stale collision count (${ds.status?.collisionCount ?? 'nil'}, expected ${fresh.status?.collisionCount ?? 'nil'}) of DaemonSet "${ds.metadata.name}" while processing; will retry until it is updated`);
      }
      await this.deps.client.daemonSets.inNamespace(namespace).updateStatus({ ...fresh, status: { ...fresh.status!, collisionCount: (fresh.status?.collisionCount ?? 0) + 1 } });
      throw err;
    }
  }

  /** Deletes old revisions beyond the limit that no live pod uses (upstream `cleanupHistory`). */
  async cleanup(ds: DS, old: readonly Revision[], pods: readonly DeepReadonly<Pod>[]): Promise<void> {
    const liveHashes = new Set(pods.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]).filter((h): h is string => !!h));
    for (const revision of revisionsToPrune(old, ds.spec?.revisionHistoryLimit ?? 10, liveHashes)) {
      await this.revisionClient(ds.metadata.namespace ?? '').delete(revision.metadata.name ?? '').catch(ignoreNotFound);
    }
  }
}

function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}
