/**
 * Ephemeral (debug) containers of a Pod: their validation (upstream `validateEphemeralContainers`
 * and `ValidatePodEphemeralContainersUpdate`), the `pods/ephemeralcontainers` update strategy
 * (upstream `podEphemeralContainersStrategy`: only `spec.ephemeralContainers` comes from the
 * request) and the rule that a pod is never created with them. Pure; messages and field paths
 * are upstream's.
 */
import type { FieldError } from '../../../errors/index.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { child, duplicate, forbidden, index, invalidValue } from '../../validation/field-errors.ts';
import { copyJson } from '../../../util/json-copy.ts';
import type { KubeObject } from '../../meta.ts';
import type { EphemeralContainer } from './pod-container.ts';
import type { PodSpec } from './pod-spec.ts';
import { notFound, validateContainer } from './pod-validation.ts';
import { validateContainerSecurityContext } from './pod-validation-host.ts';

/** The annotation a kubelet's mirror of a static pod carries. */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

const CANNOT_SET = 'cannot be set for an Ephemeral Container';

/**
 * Fields an ephemeral container may not set, in upstream's struct order (its allow-list is the
 * complement): ports, resources, resizePolicy, restartPolicy, restartPolicyRules, probes, lifecycle.
 */
const FORBIDDEN_FIELDS = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'restartPolicyRules', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'] as const;

/**
 * Whether a field holds a non-zero value as Go sees it: a present list (even empty) or pointer is
 * set; `resources` (a struct) only when one of its members is present.
 */
function isSet(c: EphemeralContainer, field: (typeof FORBIDDEN_FIELDS)[number]): boolean {
  const value = c[field];
  if (value === undefined || value === null) return false;
  if (field === 'resources') return Object.values(value as object).some((v) => v !== undefined && v !== null);
  return true;
}

/**
 * `spec.ephemeralContainers` of a (defaulted) pod spec: each validated like any container, names
 * unique across every container of the pod, `targetContainerName` naming a regular or init
 * container, the forbidden fields unset, no volume subPaths. Empty means valid.
 */
export function validateEphemeralContainers(spec: PodSpec | undefined, path = 'spec'): FieldError[] {
  const list = spec?.ephemeralContainers ?? [];
  if (list.length === 0) return [];
  const listPath = child(path, 'ephemeralContainers');
  const others = new Set([...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].map((c) => c.name ?? ''));
  const all = new Set(others);
  const volumes = new Set((spec?.volumes ?? []).map((v) => v.name));
  const errs: FieldError[] = [];
  for (const [i, ec] of list.entries()) {
    const p = index(listPath, i);
    errs.push(...validateContainer(p, ec, volumes), ...validateContainerSecurityContext(ec.securityContext, child(p, 'securityContext')));
    if (ec.image && ec.image.trim() !== ec.image) errs.push(invalidValue(child(p, 'image'), ec.image, 'must not have leading or trailing whitespace'));
    const name = ec.name ?? '';
    if (all.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else all.add(name);
    if (ec.targetContainerName && !others.has(ec.targetContainerName)) errs.push(notFound(child(p, 'targetContainerName'), ec.targetContainerName));
    for (const f of FORBIDDEN_FIELDS) if (isSet(ec, f)) errs.push(forbidden(child(p, f), CANNOT_SET));
    for (const [j, m] of (ec.volumeMounts ?? []).entries()) {
      if (m.subPath) errs.push(forbidden(child(index(child(p, 'volumeMounts'), j), 'subPath'), CANNOT_SET));
      if (m.subPathExpr) errs.push(forbidden(child(index(child(p, 'volumeMounts'), j), 'subPathExpr'), CANNOT_SET));
    }
  }
  return errs;
}

/** ValidatePodCreate: ephemeral containers are only ever added through the subresource. */
export function validateNoEphemeralContainersOnCreate(spec: PodSpec | undefined): FieldError[] {
  return spec?.ephemeralContainers?.length ? [forbidden('spec.ephemeralContainers', 'cannot be set on create')] : [];
}

/** The fields of `next` that differ from `old`, as `field: old -> new` lines (upstream prints a cmp.Diff). */
function describeChange(old: EphemeralContainer, next: EphemeralContainer): string {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].sort();
  const lines: string[] = [];
  for (const k of keys) {
    const a = (old as Record<string, unknown>)[k];
    const b = (next as Record<string, unknown>)[k];
    if (!deepEqual(a, b)) lines.push(`  ${k}: ${JSON.stringify(a ?? null)} -> ${JSON.stringify(b ?? null)}`);
  }
  return lines.join('\n');
}

/**
 * The part of ValidatePodEphemeralContainersUpdate beyond the spec validation: a static pod's
 * mirror takes none, and existing ephemeral containers may be neither removed nor changed
 * (matched by name: a patch need not keep their order).
 */
export function validateEphemeralContainersUpdate(next: KubeObject & { spec?: PodSpec }, old: KubeObject & { spec?: PodSpec }): FieldError[] {
  if (old.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return [forbidden('', 'static pods do not support ephemeral containers')];
  const path = 'spec.ephemeralContainers';
  const byName = new Map((next.spec?.ephemeralContainers ?? []).map((c) => [c.name ?? '', c]));
  const errs: FieldError[] = [];
  for (const o of old.spec?.ephemeralContainers ?? []) {
    const n = byName.get(o.name ?? '');
    if (!n) errs.push(forbidden(path, `existing ephemeral containers "${o.name}" may not be removed\n`));
    else if (!deepEqual(o, n)) errs.push(forbidden(path, `existing ephemeral containers "${o.name}" may not be changed\n${describeChange(o, n)}`));
  }
  return errs;
}

/**
 * The `pods/ephemeralcontainers` strategy (upstream dropNonEphemeralContainerUpdates +
 * ResetObjectMetaForStatus): the stored pod with only the requested `spec.ephemeralContainers`,
 * the request's resourceVersion (a precondition) and managedFields. Everything else of the
 * request is ignored. Pure; validation happens in the resource's `validate`.
 */
export function ephemeralContainersUpdate<T extends KubeObject & { spec?: PodSpec }>(requested: T, stored: T): { object: T; errors: FieldError[] } {
  const out = copyJson(stored);
  const spec = (out.spec ??= {});
  const wanted = requested.spec?.ephemeralContainers;
  if (wanted === undefined) delete spec.ephemeralContainers;
  else spec.ephemeralContainers = copyJson(wanted);
  out.metadata = { ...out.metadata, resourceVersion: requested.metadata.resourceVersion, managedFields: requested.metadata.managedFields ?? stored.metadata.managedFields };
  return { object: out, errors: [] };
}
