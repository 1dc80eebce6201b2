/**
 * Pod validation of the deprecated AppArmor annotations (pkg/apis/core/validation, Kubernetes
 * 1.33): their keys and values (ValidateAppArmorPodAnnotations), their agreement with the
 * `appArmorProfile` fields on create (validateAppArmorAnnotationsAndFieldsMatchOnCreate) and
 * their immutability once the pod exists (the AppArmor half of
 * ValidatePodSpecificAnnotationUpdates). Pure; field paths and messages are upstream's; map keys
 * are visited in sorted order where Go's map order varies.
 */
import type { FieldError } from '../../../errors/index.ts';
import { child, forbidden, invalidValue, key } from '../../validation/field-errors.ts';
import { containersWithPaths } from './pod-container-warnings.ts';
import { APPARMOR_CONTAINER_PREFIX, APPARMOR_LOCALHOST_PREFIX, APPARMOR_RUNTIME_DEFAULT, APPARMOR_UNCONFINED } from './pod-apparmor.ts';
import type { PodSpec } from './pod-spec.ts';

type Annotations = Readonly<Record<string, string>> | undefined;

const sortedKeys = (annotations: Annotations) => Object.keys(annotations ?? {}).sort();

/**
 * Upstream ValidateAppArmorProfileFormat: `''`, `runtime/default`, `unconfined` or
 * `localhost/…`; returns the error text for anything else, `undefined` when valid.
 */
export function appArmorProfileFormatError(value: string): string | undefined {
  if (value === '' || value === APPARMOR_RUNTIME_DEFAULT || value === APPARMOR_UNCONFINED) return undefined;
  return value.startsWith(APPARMOR_LOCALHOST_PREFIX) ? undefined : `invalid AppArmor profile name: ${JSON.stringify(value)}`;
}

/**
 * ValidateAppArmorPodAnnotations (`path` = metadata.annotations): each AppArmor annotation must
 * name a container of the pod (init, regular or ephemeral) and hold a valid profile name.
 */
export function validateAppArmorPodAnnotations(annotations: Annotations, spec: PodSpec | undefined, path: string): FieldError[] {
  const names = new Set(containersWithPaths(spec ?? {}, 'spec').map((c) => c.container.name));
  const errs: FieldError[] = [];
  for (const k of sortedKeys(annotations)) {
    if (!k.startsWith(APPARMOR_CONTAINER_PREFIX)) continue;
    const containerName = k.slice(APPARMOR_CONTAINER_PREFIX.length);
    if (!names.has(containerName)) errs.push(invalidValue(key(path, k), containerName, 'container not found'));
    const formatError = appArmorProfileFormatError(annotations![k]!);
    if (formatError) errs.push(invalidValue(key(path, k), annotations![k], formatError));
  }
  return errs;
}

/**
 * validateAppArmorAnnotationsAndFieldsMatchOnCreate (`specPath` = spec): where a container has
 * both an annotation and an effective field (its own, else the pod's), they must agree; a
 * mismatch is Forbidden at the container's `securityContext.appArmorProfile.type` (or
 * `.localhostProfile` for a different Localhost name). Windows pods are not checked.
 */
export function validateAppArmorAnnotationsMatchOnCreate(annotations: Annotations, spec: PodSpec | undefined, specPath: string): FieldError[] {
  if (!spec || spec.os?.name === 'windows') return [];
  const podProfile = spec.securityContext?.appArmorProfile;
  const errs: FieldError[] = [];
  for (const { container, path } of containersWithPaths(spec, specPath)) {
    const profile = container.securityContext?.appArmorProfile ?? podProfile;
    const annotationKey = APPARMOR_CONTAINER_PREFIX + (container.name ?? '');
    if (!profile || !annotations || !Object.hasOwn(annotations, annotationKey)) continue;
    const value = annotations[annotationKey]!;
    const fieldPath = child(path, 'securityContext.appArmorProfile');
    const typeMismatch = forbidden(child(fieldPath, 'type'), 'apparmor type in annotation and field must match');
    if (profile.type === 'Unconfined' && value !== APPARMOR_UNCONFINED) errs.push(typeMismatch);
    else if (profile.type === 'RuntimeDefault' && value !== APPARMOR_RUNTIME_DEFAULT) errs.push(typeMismatch);
    else if (profile.type === 'Localhost') {
      if (!value.startsWith(APPARMOR_LOCALHOST_PREFIX)) errs.push(typeMismatch);
      else if (profile.localhostProfile === undefined || value.slice(APPARMOR_LOCALHOST_PREFIX.length) !== profile.localhostProfile) {
        errs.push(forbidden(child(fieldPath, 'localhostProfile'), 'apparmor profile in annotation and field must match'));
      }
    }
  }
  return errs;
}

/**
 * The AppArmor rules of ValidatePodSpecificAnnotationUpdates (`path` = metadata.annotations):
 * once a pod exists its AppArmor annotations may be neither removed, changed nor added.
 */
export function validateAppArmorAnnotationUpdates(next: Annotations, old: Annotations, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of sortedKeys(old)) {
    if (!k.startsWith(APPARMOR_CONTAINER_PREFIX)) continue;
    if (next && Object.hasOwn(next, k) && next[k] === old![k]) continue;
    errs.push(forbidden(key(path, k), 'may not remove or update AppArmor annotations'));
  }
  for (const k of sortedKeys(next)) {
    if (!k.startsWith(APPARMOR_CONTAINER_PREFIX) || (old && Object.hasOwn(old, k))) continue;
    errs.push(forbidden(key(path, k), 'may not add AppArmor annotations'));
  }
  return errs;
}
