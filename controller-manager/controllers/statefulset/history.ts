/**
 * A StatefulSet's ControllerRevisions through the API (upstream realHistory plus
 * getStatefulSetRevisions): the revisions it controls or may adopt (selected by its selector, no
 * other controller), orphans adopted; the update revision found or recorded — the latest
 * revision if it holds the current template, an older equal one renumbered to the top (a
 * rollback, e.g. `kubectl rollout undo`), else a new one (name collisions with different data
 * bump `collisionCount`); the current revision from `status.currentRevision`.
 */
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { LabelSelectorMatcher } from '../../../pkg/api/selectors/index.ts';
import { BUILTIN_COORDINATES as C, type Client } from '../../../pkg/client/index.ts';
import { isAlreadyExists, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { controllerRefOf, newControllerRef, ownedOrOrphans } from '../../../pkg/runtime/index.ts';
import { STATEFULSET_OWNER } from './identity.ts';
import { controllerRevisionName } from '../../../pkg/controller-history/index.ts';
import { equalRevision, hashRevision, REVISION_HASH_LABEL, newRevision, nextRevision, sortRevisions } from './revision.ts';

type S = DeepReadonly<StatefulSet>;
type CR = ControllerRevision | DeepReadonly<ControllerRevision>;

/** The revisions one sync works with. */
export interface Revisions {
  /** Every revision of the set, sorted by revision number. */
  all: CR[];
  current: CR;
  update: CR;
  collisionCount: number;
}

const MAX_COLLISIONS = 100;

/**
 * Reads from the ControllerRevision cache, writes through the API. Contract: `list` returns only
 * revisions the set controls (after adopting orphans, if the set may adopt); `resolve` never
 * returns without an update revision recorded in the API (it throws instead, and the sync is
 * retried); `delete` of a revision already gone is no error.
 */
export class StatefulSetHistory {
  constructor(private readonly deps: { client: Client; revisions: Lister<ControllerRevision> }) {}

  private api(namespace: string) {
    return this.deps.client.resource<ControllerRevision>(C.controllerRevisions).inNamespace(namespace);
  }

  /** The set's revisions (orphans matching its selector adopted), sorted. */
  async list(set: S, selector: LabelSelectorMatcher, canAdopt: () => Promise<boolean>): Promise<CR[]> {
    const candidates = ownedOrOrphans(this.deps.revisions, set).filter((r) => selector.matches(r.metadata.labels));
    const out: CR[] = [];
    for (const revision of candidates) {
      if (controllerRefOf(revision)) out.push(revision);
      else if (await canAdopt()) {
        const patch = { metadata: { uid: revision.metadata.uid, ownerReferences: [...(revision.metadata.ownerReferences ?? []), newControllerRef(set, STATEFULSET_OWNER)] } };
        const adopted = await this.api(set.metadata.namespace as string).patch(revision.metadata.name as string, patch, { type: 'merge' }).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
        if (adopted) out.push(adopted);
      }
    }
    return sortRevisions(out);
  }

  /** The current and update revisions, recording or renumbering one when the template changed. */
  async resolve(set: S, sorted: CR[]): Promise<Revisions> {
    let collisionCount = set.status?.collisionCount ?? 0;
    const candidate = newRevision(set, nextRevision(sorted), collisionCount);
    const equal = sorted.filter((r) => equalRevision(r, candidate));
    const latest = sorted[sorted.length - 1];
    let update: CR;
    if (equal.length && latest && equalRevision(latest, equal[equal.length - 1]!)) update = latest;
    else if (equal.length) update = await this.renumber(equal[equal.length - 1]!, candidate.revision ?? 0);
    else ({ revision: update, collisionCount } = await this.create(set, candidate, collisionCount));
    const current = sorted.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { all: sorted, current, update, collisionCount };
  }

  private async renumber(revision: CR, to: number): Promise<CR> {
    const api = this.api(revision.metadata.namespace as string);
    const patch = { metadata: { uid: revision.metadata.uid }, revision: to };
    return api.patch(revision.metadata.name as string, patch, { type: 'merge' });
  }

  /** Upstream CreateControllerRevision: an existing revision of that name with the same data is reused. */
  private async create(set: S, candidate: ControllerRevision, collisionCount: number): Promise<{ revision: CR; collisionCount: number }> {
    const api = this.api(set.metadata.namespace as string);
    for (let count = collisionCount; count < collisionCount + MAX_COLLISIONS; count++) {
      const hash = hashRevision(candidate.data, count);
      const name = controllerRevisionName(set.metadata.name as string, hash);
      const body = { ...candidate, metadata: { ...candidate.metadata, name, labels: { ...candidate.metadata.labels, [REVISION_HASH_LABEL]: hash } } };
      try {
        return { revision: await api.create(body), collisionCount: count };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = await api.get(name);
        if (equalRevision(existing, candidate)) return { revision: existing, collisionCount: count };
      }
    }
    throw new Error(`StatefulSet ${set.metadata.namespace}/${set.metadata.name}: no free ControllerRevision name after ${MAX_COLLISIONS} collisions`);
  }

  async delete(revision: CR): Promise<void> {
    await this.api(revision.metadata.namespace as string)
      .delete(revision.metadata.name as string, { preconditions: { uid: revision.metadata.uid } })
      .catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
  }
}
