/**
 * A DaemonSet's revisions (upstream `daemon/update.go` `getPatch`, `Match`, `snapshot`), pure.
 * A revision's `data` is the strategic merge patch that restores the template:
 * `{"spec":{"template":{…,"$patch":"replace"}}}` — what `kubectl rollout undo ds/x` sends and
 * `kubectl rollout history ds/x --revision=N` prints. The template is rendered as Go's
 * `json.Marshal` of the apps/v1 struct would: keys sorted, `metadata.creationTimestamp: null`,
 * `resources: {}` on every container, empty lists and maps left out.
 */
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import { CONTROLLER_REVISION_HASH_LABEL, controllerRevisionName } from '../../../pkg/controller-history/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerRef } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { sortedJson } from '../../../pkg/util/semantic-json.ts';
import { DAEMONSET_OWNER } from './daemon-pod.ts';

type DS = DaemonSet | DeepReadonly<DaemonSet>;
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go-style JSON value: keys sorted, undefined/empty lists and maps dropped (all `omitempty` there). */
function goJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(goJson);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[key] = goJson(v);
  }
  return out;
}

/** Drops empty `labels`/`annotations`-like maps that Go leaves out, keeps struct-valued `{}`. */
const OMITTED_EMPTY_MAPS = new Set(['labels', 'annotations', 'nodeSelector', 'limits', 'requests', 'overhead']);

function dropEmptyMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmptyMaps);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (OMITTED_EMPTY_MAPS.has(k) && isObject(v) && Object.keys(v).length === 0) continue;
    out[k] = dropEmptyMaps(v);
  }
  return out;
}

/** The template as Go serialises an apps/v1 `PodTemplateSpec` (keys in sorted order at every level). */
export function goTemplate(template: unknown): Json {
  const t = dropEmptyMaps(goJson(copyJson(template ?? {}))) as Json;
  const spec: Json = isObject(t.spec) ? { ...t.spec } : {};
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    // ResourceRequirements is a struct: Go writes `resources: {}` for a container without any.
    if (Array.isArray(spec[list])) spec[list] = (spec[list] as Json[]).map((c) => goJson({ resources: {}, ...c }));
  }
  // metav1.Time is a struct too: an unset creationTimestamp is written as null.
  const metadata: Json = { ...(isObject(t.metadata) ? t.metadata : {}), creationTimestamp: null };
  const sortedMetadata = Object.fromEntries(Object.keys(metadata).sort().map((k) => [k, metadata[k]]));
  return { metadata: sortedMetadata, spec };
}

/** The revision data restoring `ds`'s template (upstream `getPatch`). */
export function daemonSetPatch(ds: DS): Json {
  return { spec: { template: { $patch: 'replace', ...goTemplate(ds.spec?.template) } } };
}

/** Whether `revision` holds `ds`'s current template (upstream `Match`, comparing the patch JSON). */
export function revisionMatches(ds: DS, revision: ControllerRevision | DeepReadonly<ControllerRevision>): boolean {
  return sortedJson(daemonSetPatch(ds)) === sortedJson(goTemplateData(revision.data));
}

/** Revision data normalised the same way (a revision written by another client may differ in form only). */
function goTemplateData(data: unknown): unknown {
  const template = isObject(data) && isObject(data.spec) && isObject(data.spec.template) ? data.spec.template : undefined;
  if (!template) return data;
  const { $patch, ...rest } = template;
  return { spec: { template: { $patch, ...goTemplate(rest) } } };
}

/** The ControllerRevision snapshotting `ds`'s template as `revision` (upstream `snapshot`). */
export function newDaemonSetRevision(ds: DS, hash: string, revision: number): ControllerRevision {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(ds.metadata.name ?? '', hash),
      namespace: ds.metadata.namespace,
      labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(ds, DAEMONSET_OWNER)],
    },
    data: daemonSetPatch(ds),
    revision,
  };
}
