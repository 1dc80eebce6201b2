/**
 * StatefulSet history as ControllerRevisions (upstream pkg/controller/history and
 * stateful_set_utils.go getPatch/newRevision/ApplyRevision), pure.
 *
 * A revision's `data` is upstream's strategic merge patch `{"spec":{"template":{…,"$patch":"replace"}}}`
 * of the template as stored, serialized as Go's `json.Marshal` of a decoded map would (sorted
 * keys, `<>&` escaped); `kubectl rollout undo` patches the StatefulSet with it. (kubectl compares
 * those bytes with its own Go encoding of the live template, which adds
 * `metadata.creationTimestamp: null` and `resources: {}` — fields this API server neither stores
 * in templates nor keeps as nulls inside `data` — so an undo to the current revision patches
 * (a no-op) and says "rolled back" where upstream says "skipped rollback".) Equality of revisions
 * ignores nulls. Names are `<set>-<hash>` (pkg/controller-history: FNV-1 of the data bytes and
 * the collision count, digits mapped to upstream's safe alphabet).
 */
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerRef } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { compareRevisions, controllerRevisionName, hashControllerRevision } from '../../../pkg/controller-history/index.ts';
import { STATEFULSET_OWNER } from './identity.ts';

type S = StatefulSet | DeepReadonly<StatefulSet>;
type CR = ControllerRevision | DeepReadonly<ControllerRevision>;
type Json = Record<string, unknown>;

/** Label holding the revision's hash (upstream ControllerRevisionHashLabel). */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's `json.Marshal` of a value decoded into `interface{}`: sorted keys, HTML-safe escaping. */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => goJson(v ?? null)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson(value[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value ?? null);
}

function goString(s: string): string {
  return JSON.stringify(s)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/\\(.)/g, (pair, c: string) => (c === 'b' ? '\\u0008' : c === 'f' ? '\\u000c' : pair));
}

/** The revision data of `set`'s current template (upstream getPatch). */
export function revisionData(set: S): Json {
  const template = (isObject(set.spec?.template) ? withoutNulls(copyJson(set.spec.template)) : {}) as Json;
  return { spec: { template: { ...template, $patch: 'replace' } } };
}

/** Upstream HashControllerRevision of the data as Go marshals it, with the collision count. */
export function hashRevision(data: unknown, collisionCount: number): string {
  return hashControllerRevision(data, collisionCount, goJson(data));
}

/** The ControllerRevision `set` would record now (upstream newRevision). */
export function newRevision(set: S, revision: number, collisionCount: number): ControllerRevision {
  const data = JSON.parse(goJson(revisionData(set))) as Json;
  const hash = hashRevision(data, collisionCount);
  const annotations = { ...(set.metadata.annotations ?? {}) };
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(set.metadata.name as string, hash),
      namespace: set.metadata.namespace,
      labels: { ...(set.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [newControllerRef(set, STATEFULSET_OWNER)],
    },
    data,
    revision,
  };
}

/** The value without null members (what this API server stores of a RawExtension). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** Same recorded state (upstream EqualRevision: equal data; nulls ignored). */
export function equalRevision(a: CR, b: CR): boolean {
  return goJson(withoutNulls(a.data)) === goJson(withoutNulls(b.data));
}

/** Oldest first (upstream SortControllerRevisions). */
export function sortRevisions<T extends CR>(revisions: readonly T[]): T[] {
  return [...revisions].sort(compareRevisions);
}

/** One more than the highest revision number, 1 for an empty history (revisions sorted). */
export function nextRevision(sorted: readonly CR[]): number {
  return sorted.length ? (sorted[sorted.length - 1]!.revision ?? 0) + 1 : 1;
}

/** `set` with the template recorded in `revision` (upstream ApplyRevision); throws on malformed data. */
export function applyRevision(set: S, revision: CR): StatefulSet {
  const template = (revision.data as { spec?: { template?: unknown } } | undefined)?.spec?.template;
  if (!isObject(template)) throw new Error(`ControllerRevision ${revision.metadata.name} holds no spec.template`);
  const { $patch: _directive, ...rest } = copyJson(template) as Json;
  const meta = rest.metadata as Json | undefined;
  if (meta && meta.creationTimestamp === null) delete meta.creationTimestamp;
  const out = copyJson(set) as StatefulSet;
  out.spec = { ...(out.spec ?? {}), template: rest as NonNullable<StatefulSet['spec']>['template'] };
  return out;
}

/**
 * The revisions to delete to keep `limit` non-live ones (upstream truncateHistory): live are the
 * current and update revisions and those pods still run; the oldest others go first. A negative
 * limit keeps everything.
 */
export function revisionsToTruncate<T extends CR>(sorted: readonly T[], live: ReadonlySet<string>, limit: number): T[] {
  const history = sorted.filter((r) => !live.has(r.metadata.name ?? ''));
  if (limit < 0 || history.length <= limit) return [];
  return history.slice(0, history.length - limit);
}
