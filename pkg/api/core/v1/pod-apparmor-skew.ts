/**
 * Upstream's applyAppArmorVersionSkew (pkg/registry/core/pod/strategy.go, Kubernetes 1.33), run
 * when a Pod is created: the deprecated per-container AppArmor annotations and the
 * `appArmorProfile` fields are brought in step so that old kubelets (reading annotations) and
 * new ones (reading fields) enforce the same profile.
 */
import { key } from '../../validation/field-errors.ts';
import {
  APPARMOR_CONTAINER_PREFIX,
  appArmorAnnotationForProfile,
  appArmorProfileForAnnotation,
  sameAppArmorProfile,
  validateAppArmorProfileField,
  type AppArmorProfile,
} from './pod-apparmor.ts';
import { allPodContainers, type PodSpec } from './pod-spec.ts';

/** The parts of a Pod the skew reads and writes. */
export interface AppArmorSkewTarget {
  metadata: { annotations?: Record<string, string> };
  spec?: PodSpec;
}

/** The warning upstream adds for an annotation used without its field. */
export function appArmorAnnotationWarning(containerName: string): string {
  return `${key('metadata.annotations', APPARMOR_CONTAINER_PREFIX + containerName)}: deprecated since v1.30; use the "appArmorProfile" field instead`;
}

/**
 * Syncs annotations and fields of every container of `pod` in place and returns the request's
 * `Warning:` texts. Windows pods are left alone. For each container:
 * - no annotation: one is added from the container's field, else the pod's, when that profile has
 *   an annotation spelling;
 * - an annotation but no container field: the field is set from the annotation when the value
 *   converts to a valid profile that differs from the pod-level one. A warning is returned when
 *   the field was set or the value could not be converted; none when it equals the pod's profile.
 * A container with both is left as is (validation refuses a mismatch).
 */
export function applyAppArmorVersionSkew(pod: AppArmorSkewTarget): string[] {
  const spec = pod.spec;
  if (!spec || spec.os?.name === 'windows') return [];
  const podProfile = spec.securityContext?.appArmorProfile;
  const warnings: string[] = [];
  for (const c of allPodContainers(spec)) {
    const annotationKey = APPARMOR_CONTAINER_PREFIX + (c.name ?? '');
    const annotations = pod.metadata.annotations;
    const containerProfile = c.securityContext?.appArmorProfile;
    if (!annotations || !Object.hasOwn(annotations, annotationKey)) {
      const source = containerProfile ?? podProfile;
      const value = source && appArmorAnnotationForProfile(source);
      if (value) (pod.metadata.annotations ??= {})[annotationKey] = value;
      continue;
    }
    if (containerProfile) continue;
    let derived: AppArmorProfile | undefined = appArmorProfileForAnnotation(annotations[annotationKey]!);
    if (derived && validateAppArmorProfileField(derived, '').length > 0) derived = undefined;
    if (derived && !sameAppArmorProfile(derived, podProfile)) {
      (c.securityContext ??= {}).appArmorProfile = derived;
      warnings.push(appArmorAnnotationWarning(c.name ?? ''));
    } else if (!derived) {
      warnings.push(appArmorAnnotationWarning(c.name ?? ''));
    }
  }
  return warnings;
}
