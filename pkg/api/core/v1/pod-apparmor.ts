/**
 * AppArmor profiles as upstream (Kubernetes 1.33) spells them in both places: the
 * `securityContext.appArmorProfile` fields (pod and container) and the deprecated
 * `container.apparmor.security.beta.kubernetes.io/<container>` annotations. The two conversions
 * (pkg/registry/core/pod/strategy.go) and the field's validation (ValidateAppArmorProfileField,
 * pkg/apis/core/validation). Pure.
 */
import type { FieldError } from '../../../errors/index.ts';
import { child, invalidValue, notSupported, required, tooLong } from '../../validation/field-errors.ts';
import type { Container } from './pod-container.ts';

/** A pod's or container's `appArmorProfile`. */
export type AppArmorProfile = NonNullable<NonNullable<Container['securityContext']>['appArmorProfile']>;

/** The deprecated annotation's key is this prefix plus the container's name. */
export const APPARMOR_CONTAINER_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
/** Annotation value for the runtime's default profile. */
export const APPARMOR_RUNTIME_DEFAULT = 'runtime/default';
/** Annotation value for no AppArmor enforcement. */
export const APPARMOR_UNCONFINED = 'unconfined';
/** Annotation values naming a profile loaded on the node start with this prefix. */
export const APPARMOR_LOCALHOST_PREFIX = 'localhost/';

/** The field's types, in upstream's order. */
export const APPARMOR_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'] as const;

/** PATH_MAX - 1, upstream's limit on `localhostProfile`. */
const MAX_LOCALHOST_PROFILE_LENGTH = 4095;

/**
 * Upstream appArmorAnnotationForField: the annotation value a field stands for, or `undefined`
 * for a field with no annotation spelling (Localhost without a profile name, an unknown type).
 */
export function appArmorAnnotationForProfile(profile: AppArmorProfile): string | undefined {
  switch (profile.type) {
    case 'Unconfined': return APPARMOR_UNCONFINED;
    case 'RuntimeDefault': return APPARMOR_RUNTIME_DEFAULT;
    case 'Localhost': return profile.localhostProfile === undefined ? undefined : APPARMOR_LOCALHOST_PREFIX + profile.localhostProfile;
    default: return undefined;
  }
}

/**
 * Upstream apparmorFieldForAnnotation: the field an annotation value stands for, or `undefined`
 * for an unrecognised value or `localhost/` without a name.
 */
export function appArmorProfileForAnnotation(value: string): AppArmorProfile | undefined {
  if (value === APPARMOR_UNCONFINED) return { type: 'Unconfined' };
  if (value === APPARMOR_RUNTIME_DEFAULT) return { type: 'RuntimeDefault' };
  if (value.startsWith(APPARMOR_LOCALHOST_PREFIX)) {
    const name = value.slice(APPARMOR_LOCALHOST_PREFIX.length);
    if (name) return { type: 'Localhost', localhostProfile: name };
  }
  return undefined;
}

/** Upstream's semantic equality of two optional profiles (both absent counts as equal). */
export function sameAppArmorProfile(a: AppArmorProfile | undefined, b: AppArmorProfile | undefined): boolean {
  if (!a || !b) return a === b;
  return a.type === b.type && a.localhostProfile === b.localhostProfile;
}

/**
 * ValidateAppArmorProfileField (`path` = the `appArmorProfile` field): a type is required and
 * must be known; `localhostProfile` is required (non-empty, not padded with whitespace, at most
 * 4095 bytes) for Localhost and forbidden for the other types. Empty = valid.
 */
export function validateAppArmorProfileField(profile: AppArmorProfile | undefined, path: string): FieldError[] {
  if (!profile) return [];
  const lp = child(path, 'localhostProfile');
  switch (profile.type) {
    case 'Localhost': {
      const name = profile.localhostProfile;
      if (name === undefined) return [required(lp, 'must be set when AppArmor type is Localhost')];
      const errs: FieldError[] = [];
      if (name.trim() !== name) errs.push(invalidValue(lp, name, 'must not be padded with whitespace'));
      else if (name === '') errs.push(required(lp, 'must be set when AppArmor type is Localhost'));
      if (Buffer.byteLength(name) > MAX_LOCALHOST_PROFILE_LENGTH) errs.push(tooLong(lp, MAX_LOCALHOST_PROFILE_LENGTH));
      return errs;
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      return profile.localhostProfile === undefined ? [] : [invalidValue(lp, profile.localhostProfile, 'can only be set when AppArmor type is Localhost')];
    case '':
      return [required(child(path, 'type'), 'type is required when appArmorProfile is set')];
    default:
      return [notSupported(child(path, 'type'), profile.type, APPARMOR_TYPES)];
  }
}
