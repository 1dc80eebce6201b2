/**
 * A namespace's `pod-security.kubernetes.io/*` labels resolved against the configured defaults
 * into the policy each mode evaluates, as upstream's `PolicyToEvaluate`: a label overrides the
 * default of its mode; an invalid enforce level fails closed (restricted), an invalid audit or
 * warn level fails open (privileged), an invalid version is `latest`; a valid `enforce` label
 * stricter than the warn level and without a `warn` label raises warn to it (with the enforce
 * version unless `warn-version` is set). Pure.
 */
import type { PodSpec } from '../../../pkg/api/core/v1/pod-spec.ts';
import type { FieldError } from '../../../pkg/errors/index.ts';
import { invalidValue, key } from '../../../pkg/api/validation/field-errors.ts';
import { evaluatePodSecurity, forbiddenDetail, POD_SECURITY_LEVELS, type PodSecurityLevel } from './policy.ts';

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const POD_SECURITY_MODES = ['enforce', 'audit', 'warn'] as const;
export type PodSecurityMode = (typeof POD_SECURITY_MODES)[number];
const VERSION = /^(latest|v1\.(0|[1-9][0-9]*))$/;
export const LEVEL_DETAIL = `must be one of ${POD_SECURITY_LEVELS.join(', ')}`;
export const VERSION_DETAIL = 'must be "latest" or "v1.x"';

/** One mode's level and policy version (`latest` or `v1.x`). */
export interface LevelVersion {
  level: PodSecurityLevel;
  version: string;
}

/** The level+version of each mode. */
export type PodSecurityPolicy = Record<PodSecurityMode, LevelVersion>;

/** Upstream's default policy: every mode `privileged:latest`. */
export const PRIVILEGED_POLICY: PodSecurityPolicy = Object.freeze({
  enforce: { level: 'privileged', version: 'latest' },
  audit: { level: 'privileged', version: 'latest' },
  warn: { level: 'privileged', version: 'latest' },
});

/** A level when `value` is one, else undefined. Pure. */
export function parseLevel(value: string | undefined): PodSecurityLevel | undefined {
  return value !== undefined && (POD_SECURITY_LEVELS as readonly string[]).includes(value) ? (value as PodSecurityLevel) : undefined;
}

/** Whether `value` is `latest` or `v1.x`. Pure. */
export function isPolicyVersion(value: string): boolean {
  return VERSION.test(value);
}

/** -1, 0 or 1 as `a` is less strict than, as strict as or stricter than `b`. Pure. */
export function compareLevels(a: PodSecurityLevel, b: PodSecurityLevel): number {
  return Math.sign(POD_SECURITY_LEVELS.indexOf(a) - POD_SECURITY_LEVELS.indexOf(b));
}

/** `baseline:latest`. */
export function levelVersionText(lv: LevelVersion): string {
  return `${lv.level}:${lv.version}`;
}

/** Same level and, unless privileged (which has no versions), the same version (upstream `Equivalent`). */
export function equivalentLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && (a.level === 'privileged' || a.version === b.version);
}

/** Every mode privileged. */
export function fullyPrivileged(policy: PodSecurityPolicy): boolean {
  return POD_SECURITY_MODES.every((mode) => policy[mode].level === 'privileged');
}

/** The policy a namespace with these labels evaluates, and the label errors (upstream's order and text). Pure. */
export function policyToEvaluate(labels: Readonly<Record<string, string>> | undefined, defaults: PodSecurityPolicy = PRIVILEGED_POLICY): { policy: PodSecurityPolicy; errors: FieldError[] } {
  const policy: PodSecurityPolicy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errors: FieldError[] = [];
  if (!labels || Object.keys(labels).length === 0) return { policy, errors };
  for (const mode of POD_SECURITY_MODES) {
    const level = labels[`${LABEL_PREFIX}${mode}`];
    if (level !== undefined) {
      const parsed = parseLevel(level);
      if (!parsed) errors.push(invalidValue(key('metadata.labels', `${LABEL_PREFIX}${mode}`), level, LEVEL_DETAIL));
      policy[mode].level = parsed ?? (mode === 'enforce' ? 'restricted' : 'privileged');
    }
    const version = labels[`${LABEL_PREFIX}${mode}-version`];
    if (version !== undefined) {
      const valid = isPolicyVersion(version);
      if (!valid) errors.push(invalidValue(key('metadata.labels', `${LABEL_PREFIX}${mode}-version`), version, VERSION_DETAIL));
      policy[mode].version = valid ? version : 'latest';
    }
  }
  const enforceLabelValid = parseLevel(labels[`${LABEL_PREFIX}enforce`]) !== undefined;
  if (enforceLabelValid && labels[`${LABEL_PREFIX}warn`] === undefined && compareLevels(policy.enforce.level, policy.warn.level) > 0) {
    policy.warn.level = policy.enforce.level;
    if (labels[`${LABEL_PREFIX}warn-version`] === undefined) policy.warn.version = policy.enforce.version;
  }
  return { policy, errors };
}

/** The pod-security label values that are not valid, as upstream reports them. Pure. */
export function podSecurityLabelErrors(labels: Readonly<Record<string, string>> | undefined): FieldError[] {
  return policyToEvaluate(labels).errors;
}

/** `would violate PodSecurity "l:v": …` when `spec` fails the warned level, else undefined. Pure. */
export function podSecurityWarning(warn: LevelVersion, spec: PodSpec): string | undefined {
  const failures = evaluatePodSecurity(warn.level, spec);
  return failures.length ? `would violate PodSecurity "${levelVersionText(warn)}": ${forbiddenDetail(failures)}` : undefined;
}
