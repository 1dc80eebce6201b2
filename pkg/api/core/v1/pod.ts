/**
 * core/v1 Pod: schema, v1 defaulting (SetDefaults_Pod + PodSpec), validation, the registry
 * strategy (status reset to Pending with its QoS class and AppArmor annotations and fields synced
 * on create, status kept on update) and the field selectors upstream supports.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource } from './common.ts';
import { podSpecWarnings } from './pod-warnings.ts';
import { podHostnameWarnings } from '../../validation/pod-name-warnings.ts';
import { applyPodSpecDefaults, defaultRequestsFromLimits } from './pod-defaults.ts';
import { PodSpecSchema, podSpecPatchMeta } from './pod-spec.ts';
import { PodStatusSchema, podQOSClass } from './pod-status.ts';
import { validatePodSpecUpdate } from './pod-update.ts';
import { validateContainerImagesForPodCreate, validatePodSpec } from './pod-validation.ts';
import { podResizeUpdate, RESIZE } from './pod-resize.ts';
import { validatePodResize } from './pod-resize-validation.ts';
import { validateAppArmorAnnotationsMatchOnCreate, validateAppArmorAnnotationUpdates, validateAppArmorPodAnnotations } from './pod-apparmor-validation.ts';
import { applyAppArmorVersionSkew } from './pod-apparmor-skew.ts';
import { ephemeralContainersUpdate, validateEphemeralContainers, validateEphemeralContainersUpdate, validateNoEphemeralContainersOnCreate } from './pod-ephemeral.ts';

export const PodSchema = kubeObject({
  spec: PodSpecSchema.optional(),
  status: PodStatusSchema.optional(),
});
export type Pod = z.infer<typeof PodSchema>;

/** SetDefaults_Pod: the spec defaults plus requests copied from limits, enableServiceLinks. */
export function applyPodDefaults(pod: Pod): void {
  const spec = (pod.spec ??= {});
  defaultRequestsFromLimits(spec);
  applyPodSpecDefaults(spec);
  spec.enableServiceLinks ??= true;
}

const ANNOTATIONS = 'metadata.annotations';

/** A refusal of the whole pod (field `''`), which upstream returns without the other errors. */
const isWholePodRefusal = (errs: FieldError[]) => errs.length === 1 && errs[0]!.field === '';

/**
 * ValidatePodCreate / ValidatePodUpdate, ValidatePodEphemeralContainersUpdate for an update
 * through `pods/ephemeralcontainers` (the only way ephemeral containers are added: a create or
 * a main-resource update that changes them is refused), and ValidatePodResize for one through
 * `pods/resize` (the only way container resources change). The deprecated AppArmor annotations
 * must name a container and a valid profile, agree with the fields on create, and never change
 * on a (status) update.
 */
export function validatePod(pod: Pod, old?: Pod, context?: { subresource?: string }): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, { namespaced: true });
  errs.push(...validateAppArmorPodAnnotations(pod.metadata.annotations, pod.spec, ANNOTATIONS));
  errs.push(...validatePodSpec(pod.spec, 'spec'), ...validateEphemeralContainers(pod.spec, 'spec'));
  if (!old) {
    errs.push(...validateNoEphemeralContainersOnCreate(pod.spec), ...validateContainerImagesForPodCreate(pod.spec, 'spec'));
    return [...errs, ...validateAppArmorAnnotationsMatchOnCreate(pod.metadata.annotations, pod.spec, 'spec')];
  }
  if (context?.subresource === EPHEMERAL_CONTAINERS) {
    const update = validateEphemeralContainersUpdate(pod, old);
    return isWholePodRefusal(update) ? update : [...errs, ...update];
  }
  if (context?.subresource === RESIZE) {
    const resize = validatePodResize(pod, old);
    return isWholePodRefusal(resize) ? resize : [...errs, ...resize];
  }
  errs.push(...validateAppArmorAnnotationUpdates(pod.metadata.annotations, old.metadata.annotations, ANNOTATIONS));
  errs.push(...validatePodSpecUpdate(pod.spec, old.spec));
  return errs;
}

/** The subresource that adds ephemeral containers to a pod. */
export const EPHEMERAL_CONTAINERS = 'ephemeralcontainers';

export const podResource = defineResource<Pod>({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  schema: PodSchema,
  subresources: { status: true },
  patchMeta: {
    'metadata.finalizers': { strategy: 'merge' },
    'metadata.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
    ...podSpecPatchMeta('spec'),
    'status.conditions': { strategy: 'merge', mergeKey: 'type' },
    'status.podIPs': { strategy: 'merge', mergeKey: 'ip' },
  },
  applyDefaults: applyPodDefaults,
  validate: validatePod,
  // Upstream warns on create only: pod updates are frequent and rarely made by people.
  warningsOnCreate: (pod) => [...podHostnameWarnings(pod.metadata.name), ...podSpecWarnings('', pod.spec ?? {}, pod.metadata)],
  prepareForCreate(pod, context) {
    const skewWarnings = applyAppArmorVersionSkew(pod);
    context?.warnings?.push(...skewWarnings);
    const spec = (pod.spec ??= {});
    defaultRequestsFromLimits(spec);
    applyPodSpecDefaults(spec);
    pod.status = { phase: 'Pending', qosClass: podQOSClass(spec) };
  },
  prepareForUpdate(pod, old) {
    if (old.status === undefined) delete pod.status;
    else pod.status = old.status;
  },
  updateSubresources: { [EPHEMERAL_CONTAINERS]: ephemeralContainersUpdate, [RESIZE]: podResizeUpdate },
  fieldSelectors: {
    'spec.nodeName': (pod) => pod.spec?.nodeName ?? '',
    'spec.restartPolicy': (pod) => pod.spec?.restartPolicy ?? '',
    'spec.schedulerName': (pod) => pod.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (pod) => pod.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (pod) => String(pod.spec?.hostNetwork ?? false),
    'status.phase': (pod) => pod.status?.phase ?? '',
    'status.podIP': (pod) => pod.status?.podIP ?? '',
    'status.nominatedNodeName': (pod) => pod.status?.nominatedNodeName ?? '',
  },
});
