/**
 * PodTopologySpreadArgs (kubescheduler.config.k8s.io/v1): `defaultConstraints` and
 * `defaultingType`, with upstream's v1 defaulting (`System`) and ValidatePodTopologySpreadArgs.
 */
import { z } from 'zod';
import type { FieldError } from '../../../pkg/errors/index.ts';
import { LabelSelectorSchema } from '../../../pkg/api/meta.ts';
import { child, duplicate, forbidden, index, invalidValue, notSupported, required } from '../../../pkg/api/validation/field-errors.ts';
import { isQualifiedName } from '../../../pkg/api/validation/names.ts';
import { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE, SCHEDULE_ANYWAY, DO_NOT_SCHEDULE, type TopologySpreadConstraintLike } from './common.ts';

/** Upstream systemDefaultConstraints: hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraintLike[] = Object.freeze([
  Object.freeze({ topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: SCHEDULE_ANYWAY, maxSkew: 3 }),
  Object.freeze({ topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: SCHEDULE_ANYWAY, maxSkew: 5 }),
]);

const ConstraintSchema = z
  .object({
    maxSkew: z.number().int().default(0),
    topologyKey: z.string().default(''),
    whenUnsatisfiable: z.string().default(''),
    labelSelector: LabelSelectorSchema.nullable().optional(),
    minDomains: z.number().int().optional(),
    nodeAffinityPolicy: z.string().optional(),
    nodeTaintsPolicy: z.string().optional(),
    matchLabelKeys: z.array(z.string()).optional(),
  })
  .strict();

export const PodTopologySpreadArgsSchema = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    defaultConstraints: z.array(ConstraintSchema).default([]),
    /** v1 defaulting: an empty value becomes `System`. */
    defaultingType: z.string().default('System'),
  })
  .strict();
export type PodTopologySpreadArgs = z.infer<typeof PodTopologySpreadArgsSchema>;

/**
 * Upstream ValidatePodTopologySpreadArgs (field paths relative to the args): defaultingType is
 * System or List (System forbids defaultConstraints); each default constraint has maxSkew > 0,
 * a label-name topologyKey, a known whenUnsatisfiable, no labelSelector and a unique
 * {topologyKey, whenUnsatisfiable}.
 */
export function validatePodTopologySpreadArgs(args: PodTopologySpreadArgs): FieldError[] {
  const errs: FieldError[] = [];
  const t = args.defaultingType;
  if (t !== 'System' && t !== 'List') errs.push(notSupported('defaultingType', t, ['System', 'List']));
  else if (t === 'System' && args.defaultConstraints.length > 0) errs.push(invalidValue('defaultingType', t, 'when .defaultConstraints are not empty'));
  args.defaultConstraints.forEach((c, i) => {
    const p = index('defaultConstraints', i);
    if (c.maxSkew <= 0) errs.push(invalidValue(child(p, 'maxSkew'), c.maxSkew, 'not in valid range (0, inf)'));
    if (!c.topologyKey) errs.push(required(child(p, 'topologyKey'), 'can not be empty'));
    else for (const msg of isQualifiedName(c.topologyKey)) errs.push(invalidValue(child(p, 'topologyKey'), c.topologyKey, msg));
    if (!c.whenUnsatisfiable) errs.push(required(child(p, 'whenUnsatisfiable'), 'can not be empty'));
    else if (c.whenUnsatisfiable !== DO_NOT_SCHEDULE && c.whenUnsatisfiable !== SCHEDULE_ANYWAY) {
      errs.push(notSupported(child(p, 'whenUnsatisfiable'), c.whenUnsatisfiable, [DO_NOT_SCHEDULE, SCHEDULE_ANYWAY]));
    }
    if (c.labelSelector != null) errs.push(forbidden(child(p, 'labelSelector'), 'constraint must not define a selector, as they deduced for each pod'));
    const earlier = args.defaultConstraints.slice(0, i);
    if (earlier.some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      errs.push(duplicate(p, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    }
  });
  return errs;
}

/** The constraints applied to pods without their own, and whether they are the system defaults. */
export interface ResolvedDefaults {
  readonly constraints: readonly TopologySpreadConstraintLike[];
  readonly systemDefaulted: boolean;
}

/**
 * Parses, defaults and validates raw plugin args. Throws an Error listing every invalid field
 * (`invalid PodTopologySpread args: defaultingType: Invalid value: "System": …`).
 */
export function resolvePodTopologySpreadArgs(raw: unknown): ResolvedDefaults {
  const parsed = PodTopologySpreadArgsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new Error(`invalid PodTopologySpread args: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const errs = validatePodTopologySpreadArgs(parsed.data);
  if (errs.length > 0) throw new Error(`invalid PodTopologySpread args: ${errs.map((e) => `${e.field}: ${e.detail}`).join('; ')}`);
  if (parsed.data.defaultingType === 'System') return { constraints: SYSTEM_DEFAULT_CONSTRAINTS, systemDefaulted: true };
  return { constraints: parsed.data.defaultConstraints, systemDefaulted: false };
}
