/**
 * Upstream's warnings for the apps/v1 workloads (registry strategies' WarningsOnCreate /
 * WarningsOnUpdate, Kubernetes 1.33): the pod template's warnings under `spec.template` on create
 * and on an update that changed the generation; Deployments, ReplicaSets and DaemonSets also warn
 * about a name that is no DNS label on create, StatefulSets about their claim templates and a
 * negative revision history limit. Pure.
 */
import type { KubeObject } from '../../meta.ts';
import type { PodTemplateSpec } from '../../core/v1/pod-spec.ts';
import { podTemplateWarnings } from '../../core/v1/pod-warnings.ts';
import { whenGenerationChanged } from '../../core/v1/spec-change-warnings.ts';
import { claimSpecWarnings } from '../../core/v1/storage-warnings.ts';
import { podNameWarnings } from '../../validation/pod-name-warnings.ts';

type Templated = KubeObject & { spec?: { template?: PodTemplateSpec | undefined } | undefined };

const TEMPLATE = 'spec.template';

/** The template's warnings on create. */
export function templateCreateWarnings(obj: Templated): string[] {
  return podTemplateWarnings(TEMPLATE, obj.spec?.template ?? {});
}

/** The template's warnings on an update that changed the generation. */
export function templateUpdateWarnings(obj: Templated, old: Templated): string[] {
  return whenGenerationChanged(obj, old, () => podTemplateWarnings(TEMPLATE, obj.spec?.template ?? {}, old.spec?.template));
}

/** Deployment, ReplicaSet, DaemonSet: the name warning, then the template's. */
export function namedTemplateCreateWarnings(obj: Templated): string[] {
  return [...podNameWarnings(obj.metadata.name), ...templateCreateWarnings(obj)];
}

type StatefulSetLike = Templated & {
  spec?: { template?: PodTemplateSpec | undefined; revisionHistoryLimit?: number | undefined; volumeClaimTemplates?: { spec?: Parameters<typeof claimSpecWarnings>[1] }[] | undefined } | undefined;
};

/**
 * A StatefulSet's claim templates and history limit, on create and on every update. Upstream's
 * claim paths differ between the two (`[i].resources…` on create, `[i].Spec.resources…` on
 * update); both kept.
 */
function statefulSetOwnWarnings(sts: StatefulSetLike, claimPath: (i: number) => string): string[] {
  const out = (sts.spec?.volumeClaimTemplates ?? []).flatMap((claim, i) => claimSpecWarnings(claimPath(i), claim.spec));
  if ((sts.spec?.revisionHistoryLimit ?? 0) < 0) out.push('spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended');
  return out;
}

export function statefulSetCreateWarnings(sts: StatefulSetLike): string[] {
  return [...templateCreateWarnings(sts), ...statefulSetOwnWarnings(sts, (i) => `spec.volumeClaimTemplates[${i}]`)];
}

export function statefulSetUpdateWarnings(sts: StatefulSetLike, old: StatefulSetLike): string[] {
  return [...templateUpdateWarnings(sts, old), ...statefulSetOwnWarnings(sts, (i) => `spec.volumeClaimTemplates[${i}].Spec`)];
}
