/**
 * API Priority and Fairness configuration at API server start, as upstream's APF config
 * ensurer does it: the mandatory and suggested PriorityLevelConfigurations and FlowSchemas are
 * created when missing; a mandatory one always gets the bootstrap spec back (the `exempt` level
 * keeps its operator-chosen `spec.exempt`); a suggested one only when it may be auto-updated
 * (annotation `apf.kubernetes.io/autoupdate-spec` "true", or no parsable annotation and never
 * changed since creation, generation 1) — "false" keeps a user's edits. The annotation is then
 * set to whether the object is auto-updated. Each FlowSchema's status then gets the `Dangling` condition: False/Found when its
 * priority level exists, True/NotFound otherwise (lastTransitionTime kept while the status holds).
 * The decisions are pure functions; `ensureFlowControlConfiguration` does the I/O.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { mandatoryFlowSchemas, mandatoryPriorityLevels, suggestedFlowSchemas, suggestedPriorityLevels } from '../../pkg/api/flowcontrol/v1/bootstrap-objects.ts';
import { semanticEqual } from '../../pkg/api/flowcontrol/v1/semantic-equal.ts';
import { AUTO_UPDATE_ANNOTATION, CONDITION_DANGLING, FLOWCONTROL_GROUP, type FlowControlCondition } from '../../pkg/api/flowcontrol/v1/types.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import type { AdmissionContext } from '../admission/types.ts';
import type { NewObjectMeta } from './objects.ts';
import { createIfAbsent } from '../../pkg/storage/create-if-absent.ts';

export const FLOW_SCHEMAS = { group: FLOWCONTROL_GROUP, plural: 'flowschemas', namespaced: false };
export const PRIORITY_LEVELS = { group: FLOWCONTROL_GROUP, plural: 'prioritylevelconfigurations', namespaced: false };

/** Create-if-missing with an optional reconcile (bootstrap's writer). */
export type Ensure = (key: string, label: string, build: () => KubeObject, reconcile?: (current: KubeObject) => KubeObject | undefined) => Promise<void>;

/** An {@link Ensure} straight over storage, reading first (the periodic re-ensure writes only what differs; objects are already defaulted). */
export function storageEnsure(storage: Storage): Ensure {
  return async (key, _label, build, reconcile) => {
    const current = await storage.get(key);
    if (!current) {
      await createIfAbsent(storage, key, build());
      return;
    }
    if (reconcile?.(current)) await storage.guaranteedUpdate(key, (latest) => (latest ? reconcile(latest) ?? latest : build()));
  };
}

/** Upstream shouldUpdateSpec: may the API server overwrite this object's spec with the bootstrap one? */
export function mayAutoUpdate(obj: KubeObject): boolean {
  const value = obj.metadata.annotations?.[AUTO_UPDATE_ANNOTATION];
  if (value !== undefined) {
    const parsed = parseGoBool(value);
    if (parsed !== undefined) return parsed;
  }
  return (obj.metadata.generation ?? 1) === 1;
}

/** strconv.ParseBool. */
function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** upstream shouldUpdateAnnotation: does the annotation differ from the boolean wanted? */
function annotationDiffers(obj: KubeObject, wanted: boolean): boolean {
  const value = obj.metadata.annotations?.[AUTO_UPDATE_ANNOTATION];
  return value === undefined || parseGoBool(value) !== wanted;
}

/**
 * Upstream SpecEqualish: the stored spec equals the bootstrap one (zero values = absent); the
 * `exempt` priority level's `spec.exempt` values are the operator's to choose.
 */
function specEqualish(current: KubeObject, bootstrap: KubeObject): boolean {
  const spec = current.spec as { exempt?: unknown } | undefined;
  if (bootstrap.kind === 'PriorityLevelConfiguration' && bootstrap.metadata.name === 'exempt') {
    return !!spec?.exempt && semanticEqual({ ...spec, exempt: undefined }, { ...(bootstrap.spec as object), exempt: undefined });
  }
  return semanticEqual(current.spec, bootstrap.spec);
}

/**
 * Upstream's ensure strategy for one stored object: the object to store, or undefined when it is
 * current. Mandatory objects (`always`) always follow the bootstrap spec; others when
 * {@link mayAutoUpdate}. The annotation is set to whether the spec is auto-updated.
 */
export function specUpdate(current: KubeObject, bootstrap: KubeObject, options: { always?: boolean } = {}): KubeObject | undefined {
  const autoUpdate = options.always === true || mayAutoUpdate(current);
  const updateAnnotation = annotationDiffers(current, autoUpdate);
  const specChanged = autoUpdate && !specEqualish(current, bootstrap);
  if (!updateAnnotation && !specChanged) return undefined;
  const metadata = { ...current.metadata };
  if (updateAnnotation) metadata.annotations = { ...metadata.annotations, [AUTO_UPDATE_ANNOTATION]: String(autoUpdate) };
  if (specChanged) metadata.generation = (current.metadata.generation ?? 1) + 1;
  return { ...current, metadata, ...(specChanged ? { spec: structuredClone(bootstrap.spec) } : {}) };
}

/** The `Dangling` condition upstream's config controller writes for a schema's priority level. */
export function danglingCondition(priorityLevel: string, exists: boolean, now: string): FlowControlCondition {
  return exists
    ? { type: CONDITION_DANGLING, status: 'False', lastTransitionTime: now, reason: 'Found', message: `This FlowSchema references the PriorityLevelConfiguration object named ${JSON.stringify(priorityLevel)} and it exists` }
    : { type: CONDITION_DANGLING, status: 'True', lastTransitionTime: now, reason: 'NotFound', message: `This FlowSchema references the PriorityLevelConfiguration object named ${JSON.stringify(priorityLevel)} but there is no such object` };
}

/** `fs` with `condition` set (lastTransitionTime kept when the status is unchanged), or undefined when nothing changes. */
export function withDanglingCondition(fs: KubeObject, condition: FlowControlCondition): KubeObject | undefined {
  const status = (fs.status ?? {}) as { conditions?: FlowControlCondition[] };
  const conditions = status.conditions ?? [];
  const old = conditions.find((c) => c.type === CONDITION_DANGLING);
  if (old && old.status === condition.status && old.reason === condition.reason && old.message === condition.message) return undefined;
  const next = old && old.status === condition.status ? { ...condition, lastTransitionTime: old.lastTransitionTime } : condition;
  const rest = conditions.filter((c) => c.type !== CONDITION_DANGLING);
  return { ...fs, status: { ...status, conditions: [...rest, next] } };
}

function priorityLevelOf(fs: KubeObject): string {
  return ((fs.spec as { priorityLevelConfiguration?: { name?: string } } | undefined)?.priorityLevelConfiguration?.name) ?? '';
}

/** Creates or updates the bootstrap APF objects, then the `Dangling` condition of every FlowSchema. */
export async function ensureFlowControlConfiguration(options: {
  ctx: AdmissionContext;
  ensure: Ensure;
  meta: () => NewObjectMeta;
  now: string;
}): Promise<void> {
  const { ctx, ensure, meta } = options;
  const withMeta = (obj: KubeObject): KubeObject => ({ ...obj, metadata: { ...obj.metadata, ...meta(), generation: 1 } });
  const levels = [...mandatoryPriorityLevels().map((o) => [o, true] as const), ...suggestedPriorityLevels().map((o) => [o, false] as const)];
  for (const [pl, always] of levels) {
    const name = pl.metadata.name ?? '';
    await ensure(ctx.keyFor(PRIORITY_LEVELS, undefined, name), `prioritylevelconfigurations/${name}`, () => withMeta(pl), (current) => specUpdate(current, pl, { always }));
  }
  const schemas = [...mandatoryFlowSchemas().map((o) => [o, true] as const), ...suggestedFlowSchemas().map((o) => [o, false] as const)];
  for (const [fs, always] of schemas) {
    const name = fs.metadata.name ?? '';
    await ensure(ctx.keyFor(FLOW_SCHEMAS, undefined, name), `flowschemas/${name}`, () => withMeta(fs), (current) => specUpdate(current, fs, { always }));
  }
  await updateDanglingConditions(ctx, options.now);
}

/**
 * Sets the `Dangling` condition of every stored FlowSchema from the stored priority levels;
 * returns what it read (the schemas as before its status writes).
 */
export async function updateDanglingConditions(ctx: AdmissionContext, now: string): Promise<{ schemas: KubeObject[]; levels: KubeObject[] }> {
  const levels = await ctx.storage.list(ctx.keyFor(PRIORITY_LEVELS, undefined, ''));
  const existing = new Set(levels.items.map((pl) => pl.metadata.name ?? ''));
  const schemas = await ctx.storage.list(ctx.keyFor(FLOW_SCHEMAS, undefined, ''));
  for (const fs of schemas.items) {
    const condition = danglingCondition(priorityLevelOf(fs), existing.has(priorityLevelOf(fs)), now);
    if (!withDanglingCondition(fs, condition)) continue;
    await ctx.storage.guaranteedUpdate(ctx.keyFor(FLOW_SCHEMAS, undefined, fs.metadata.name ?? ''), (current) => {
      if (!current) throw new Error('flow schema deleted');
      return withDanglingCondition(current, danglingCondition(priorityLevelOf(current), existing.has(priorityLevelOf(current)), now)) ?? current;
    }).catch(() => undefined);
  }
  return { schemas: schemas.items, levels: levels.items };
}
