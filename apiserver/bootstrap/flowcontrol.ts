/**
 * API Priority and Fairness configuration at API server start, as upstream's APF config
 * controller ensures it: the mandatory and suggested PriorityLevelConfigurations and FlowSchemas
 * are created when missing; an existing one whose spec differs is brought back to the bootstrap
 * spec only when it may be auto-updated (annotation `apf.kubernetes.io/autoupdate-spec` "true",
 * or no parsable annotation and never changed since creation, generation 1) — "false" keeps a
 * user's edits. Each FlowSchema's status then gets the `Dangling` condition: False/Found when its
 * priority level exists, True/NotFound otherwise (lastTransitionTime kept while the status holds).
 * The decisions are pure functions; `ensureFlowControlConfiguration` does the I/O.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { mandatoryFlowSchemas, mandatoryPriorityLevels, suggestedFlowSchemas, suggestedPriorityLevels } from '../../pkg/api/flowcontrol/v1/bootstrap-objects.ts';
import { semanticEqual } from '../../pkg/api/flowcontrol/v1/semantic-equal.ts';
import { AUTO_UPDATE_ANNOTATION, CONDITION_DANGLING, FLOWCONTROL_GROUP, type FlowControlCondition } from '../../pkg/api/flowcontrol/v1/types.ts';
import type { AdmissionContext } from '../admission/types.ts';
import type { NewObjectMeta } from './objects.ts';

export const FLOW_SCHEMAS = { group: FLOWCONTROL_GROUP, plural: 'flowschemas', namespaced: false };
export const PRIORITY_LEVELS = { group: FLOWCONTROL_GROUP, plural: 'prioritylevelconfigurations', namespaced: false };

/** Create-if-missing with an optional reconcile (bootstrap's writer). */
export type Ensure = (key: string, label: string, build: () => KubeObject, reconcile?: (current: KubeObject) => KubeObject | undefined) => Promise<void>;

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

/** The object to store when `current` should follow `bootstrap`'s spec, else undefined. */
export function specUpdate(current: KubeObject, bootstrap: KubeObject): KubeObject | undefined {
  if (!mayAutoUpdate(current) || semanticEqual(current.spec, bootstrap.spec)) return undefined;
  const metadata = { ...current.metadata, generation: (current.metadata.generation ?? 1) + 1 };
  return { ...current, metadata, spec: structuredClone(bootstrap.spec) };
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
  for (const pl of [...mandatoryPriorityLevels(), ...suggestedPriorityLevels()]) {
    const name = pl.metadata.name ?? '';
    await ensure(ctx.keyFor(PRIORITY_LEVELS, undefined, name), `prioritylevelconfigurations/${name}`, () => withMeta(pl), (current) => specUpdate(current, pl));
  }
  for (const fs of [...mandatoryFlowSchemas(), ...suggestedFlowSchemas()]) {
    const name = fs.metadata.name ?? '';
    await ensure(ctx.keyFor(FLOW_SCHEMAS, undefined, name), `flowschemas/${name}`, () => withMeta(fs), (current) => specUpdate(current, fs));
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
