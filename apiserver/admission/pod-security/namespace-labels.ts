/**
 * A namespace's `pod-security.kubernetes.io/*` labels: the level and version it enforces and
 * warns about, with upstream's fallbacks for invalid values, and the errors a namespace write
 * with invalid ones gets. Pure.
 */
import type { PodSpec } from '../../../pkg/api/core/v1/pod-spec.ts';
import type { FieldError } from '../../../pkg/errors/index.ts';
import { invalidValue, key } from '../../../pkg/api/validation/field-errors.ts';
import { evaluatePodSecurity, forbiddenDetail, POD_SECURITY_LEVELS, type PodSecurityLevel } from './policy.ts';

const LABEL = 'pod-security.kubernetes.io/';
const MODES = ['enforce', 'audit', 'warn'] as const;
const VERSION = /^(latest|v1\.(0|[1-9][0-9]*))$/;

/** A label's level when it is one, else undefined. */
function levelOf(value: string | undefined): PodSecurityLevel | undefined {
  return value !== undefined && (POD_SECURITY_LEVELS as readonly string[]).includes(value) ? (value as PodSecurityLevel) : undefined;
}

/** The level and version a namespace enforces (labels absent: privileged; invalid level: restricted). Pure. */
export function enforcedPolicy(labels: Readonly<Record<string, string>> | undefined): { level: PodSecurityLevel; version: string } {
  const level = labels?.[`${LABEL}enforce`];
  const version = labels?.[`${LABEL}enforce-version`];
  return {
    level: level === undefined ? 'privileged' : (levelOf(level) ?? 'restricted'),
    version: version !== undefined && VERSION.test(version) ? version : 'latest',
  };
}

/**
 * The level and version a namespace warns about: its `warn` label (invalid: privileged, fail
 * open); without one, the enforce level when that is valid and stricter (upstream defaults warn
 * to enforce), with `warn-version` if set. Pure.
 */
export function warnedPolicy(labels: Readonly<Record<string, string>> | undefined): { level: PodSecurityLevel; version: string } {
  const level = labels?.[`${LABEL}warn`];
  const versionLabel = labels?.[`${LABEL}warn-version`];
  const version = versionLabel !== undefined && VERSION.test(versionLabel) ? versionLabel : undefined;
  if (level !== undefined) return { level: levelOf(level) ?? 'privileged', version: version ?? 'latest' };
  if (!levelOf(labels?.[`${LABEL}enforce`])) return { level: 'privileged', version: version ?? 'latest' };
  const enforced = enforcedPolicy(labels);
  return { level: enforced.level, version: version ?? enforced.version };
}

/** `would violate PodSecurity "l:v": …` when `spec` fails the warned level, else undefined. Pure. */
export function podSecurityWarning(labels: Readonly<Record<string, string>> | undefined, spec: PodSpec): string | undefined {
  const { level, version } = warnedPolicy(labels);
  if (level === 'privileged') return undefined;
  const failures = evaluatePodSecurity(level, spec);
  return failures.length ? `would violate PodSecurity "${level}:${version}": ${forbiddenDetail(failures)}` : undefined;
}

/** The pod-security label values that are not valid, as upstream reports them. Pure. */
export function podSecurityLabelErrors(labels: Readonly<Record<string, string>> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const mode of MODES) {
    const level = labels?.[`${LABEL}${mode}`];
    if (level !== undefined && !levelOf(level)) errs.push(invalidValue(key('metadata.labels', `${LABEL}${mode}`), level, 'must be one of privileged, baseline, restricted'));
    const version = labels?.[`${LABEL}${mode}-version`];
    if (version !== undefined && !VERSION.test(version)) errs.push(invalidValue(key('metadata.labels', `${LABEL}${mode}-version`), version, 'must be "latest" or "v1.x"'));
  }
  return errs;
}
