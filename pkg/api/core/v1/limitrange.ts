/**
 * core/v1 LimitRange (short name `limits`): per-namespace constraints the LimitRanger admission
 * plugin applies to pods and claims — min/max per Container, Pod or PersistentVolumeClaim,
 * default limits and requests for containers, and a maximum limit/request ratio.
 */
import { z } from 'zod';
import { kubeObject, QuantitySchema } from '../../meta.ts';
import { canonicalQuantity } from '../../quantity.ts';
import { defineResource } from './common.ts';
import { validateLimitRange } from './limitrange-validation.ts';

const ResourceListSchema = z.record(z.string(), QuantitySchema);

export const LimitRangeItemSchema = z.object({
  type: z.string().default(''),
  max: ResourceListSchema.optional(),
  min: ResourceListSchema.optional(),
  default: ResourceListSchema.optional(),
  defaultRequest: ResourceListSchema.optional(),
  maxLimitRequestRatio: ResourceListSchema.optional(),
});
export type LimitRangeItem = z.infer<typeof LimitRangeItemSchema>;

export const LimitRangeSchema = kubeObject({
  spec: z.object({ limits: z.array(LimitRangeItemSchema).optional() }).optional(),
});
export type LimitRange = z.infer<typeof LimitRangeSchema>;

/** The limit types upstream knows (`IsStandardLimitRangeType`). */
export const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'] as const;

/** The resource-list fields of a LimitRangeItem. */
export const LIMIT_LISTS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

type List = Record<string, string | number>;

/** Copies each entry of `from` missing in `to`. */
function fill(to: List, from: List | undefined): void {
  for (const [k, v] of Object.entries(from ?? {})) if (!(k in to)) to[k] = v;
}

/**
 * Upstream SetDefaults_LimitRangeItem for a Container item: the default limit falls back to max,
 * the default request to the default limit, then to min. Empty lists are dropped (omitempty).
 * Quantities are rewritten canonically, as upstream writes them back. Idempotent.
 */
export function applyLimitRangeItemDefaults(item: LimitRangeItem): void {
  if (item.type === 'Container') {
    const def: List = { ...(item.default ?? {}) };
    fill(def, item.max);
    const request: List = { ...(item.defaultRequest ?? {}) };
    fill(request, def);
    fill(request, item.min);
    item.default = Object.keys(def).length ? def : undefined;
    item.defaultRequest = Object.keys(request).length ? request : undefined;
  }
  for (const field of LIMIT_LISTS) {
    const list = item[field];
    if (list) for (const [k, v] of Object.entries(list)) list[k] = canonicalQuantity(v);
    else delete item[field];
  }
}

export function applyLimitRangeDefaults(lr: LimitRange): void {
  for (const item of lr.spec?.limits ?? []) applyLimitRangeItemDefaults(item);
}

export const limitRangeResource = defineResource<LimitRange>({
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  schema: LimitRangeSchema,
  applyDefaults: applyLimitRangeDefaults,
  validate: (lr) => validateLimitRange(lr),
});
