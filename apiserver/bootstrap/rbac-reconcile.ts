/**
 * Reconciling an existing RBAC object with the policy this API server ships (upstream
 * `reconciliation.computeReconciledRole` / `computeReconciledRoleBinding` in the union mode the
 * `rbac/bootstrap-roles` post-start hook uses): a cluster upgraded to a newer k8ts gets the
 * permissions and subjects the new defaults add, while whatever an admin added is kept.
 *
 * - An object annotated `rbac.authorization.kubernetes.io/autoupdate: "false"` is protected: the
 *   result says what it lacks but nothing is written.
 * - Labels and annotations: the expected ones are added, the existing values win.
 * - Roles: the expected rules the existing ones do not cover are appended, broken down into single
 *   rules (upstream `validation.Covers`); aggregation-rule selectors missing from the existing rule
 *   are appended, and an aggregation rule the policy no longer has is removed. The rules of an
 *   aggregated role are the aggregation controller's business, so they are not compared.
 * - Bindings: missing subjects are appended; a different `roleRef` (immutable) means the binding
 *   must be deleted and created again.
 *
 * Pure: the caller reads and writes storage.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { PolicyRule } from '../auth/rules.ts';
import { uncoveredRules } from '../auth/rbac/covers.ts';
import { jsonEqual } from '../../pkg/util/json-equal.ts';

/** Upstream `rbac.AutoUpdateAnnotationKey`. */
export const RBAC_AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

/** What reconciling one object needs, and the object to write for it. */
export interface ReconcileResult {
  /** `none`: the existing object is right; `update`: write `object`; `recreate`: delete the existing object, then create `object`. */
  operation: 'none' | 'update' | 'recreate';
  /** The existing object opted out: `operation` says what it would need, and nothing may be written. */
  protected: boolean;
  /** What to write (the existing object when `operation` is `none`). */
  object: KubeObject;
  /** Broken-down expected rules the existing role lacked (roles). */
  missingRules: PolicyRule[];
  /** Expected subjects the existing binding lacked (bindings). */
  missingSubjects: Subject[];
}

/** An RBAC subject as stored. */
export interface Subject {
  kind: string;
  name: string;
  apiGroup?: string;
  namespace?: string;
}

interface RoleFields {
  rules?: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors?: unknown[] };
}

interface BindingFields {
  roleRef?: { apiGroup?: string; kind?: string; name?: string };
  subjects?: Subject[];
}

const isProtected = (obj: KubeObject): boolean => obj.metadata.annotations?.[RBAC_AUTOUPDATE_ANNOTATION] === 'false';

/** Expected keys added to existing ones, existing values kept (upstream `merge(expected, existing)`). */
function mergedMap(expected: Record<string, string> | undefined, existing: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!expected && !existing) return undefined;
  return { ...expected, ...existing };
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean => jsonEqual(a ?? {}, b ?? {});

/** The existing object with the expected labels and annotations merged in, and whether that changed it. */
function withMergedMetadata(existing: KubeObject, expected: KubeObject): { object: KubeObject; changed: boolean } {
  const labels = mergedMap(expected.metadata.labels, existing.metadata.labels);
  const annotations = mergedMap(expected.metadata.annotations, existing.metadata.annotations);
  const changed = !sameMap(labels, existing.metadata.labels) || !sameMap(annotations, existing.metadata.annotations);
  if (!changed) return { object: existing, changed };
  return { object: { ...existing, metadata: { ...existing.metadata, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) } }, changed };
}

/** Reconciles an existing Role or ClusterRole with the expected one. Pure. */
export function reconcileRole(existing: KubeObject, expected: KubeObject): ReconcileResult {
  const current = existing as KubeObject & RoleFields;
  const wanted = expected as KubeObject & RoleFields;
  let { object, changed } = withMergedMetadata(existing, expected);

  // An aggregated role's rules are filled in by the aggregation controller: only its selectors are compared.
  const missingRules = uncoveredRules(current.rules ?? [], wanted.aggregationRule ? [] : (wanted.rules ?? []));
  if (missingRules.length) {
    object = { ...object, rules: [...(current.rules ?? []), ...missingRules] } as KubeObject;
    changed = true;
  }

  if (!wanted.aggregationRule && current.aggregationRule) {
    const { aggregationRule: _dropped, ...rest } = object as KubeObject & RoleFields;
    object = rest;
    changed = true;
  } else if (wanted.aggregationRule) {
    const have = current.aggregationRule?.clusterRoleSelectors ?? [];
    const missing = (wanted.aggregationRule.clusterRoleSelectors ?? []).filter((s) => !have.some((h) => jsonEqual(h, s)));
    if (missing.length) {
      object = { ...object, aggregationRule: { ...current.aggregationRule, clusterRoleSelectors: [...have, ...missing] } } as KubeObject;
      changed = true;
    }
  }
  return { operation: changed ? 'update' : 'none', protected: isProtected(existing), object, missingRules, missingSubjects: [] };
}

const sameSubject = (a: Subject, b: Subject): boolean => a.kind === b.kind && a.name === b.name && (a.apiGroup ?? '') === (b.apiGroup ?? '') && (a.namespace ?? '') === (b.namespace ?? '');

const sameRoleRef = (a: BindingFields['roleRef'], b: BindingFields['roleRef']): boolean =>
  (a?.apiGroup ?? '') === (b?.apiGroup ?? '') && (a?.kind ?? '') === (b?.kind ?? '') && (a?.name ?? '') === (b?.name ?? '');

/** Reconciles an existing RoleBinding or ClusterRoleBinding with the expected one. Pure. */
export function reconcileRoleBinding(existing: KubeObject, expected: KubeObject): ReconcileResult {
  const current = existing as KubeObject & BindingFields;
  const wanted = expected as KubeObject & BindingFields;
  const expectedSubjects = wanted.subjects ?? [];
  if (!sameRoleRef(current.roleRef, wanted.roleRef)) {
    return { operation: 'recreate', protected: isProtected(existing), object: expected, missingRules: [], missingSubjects: expectedSubjects };
  }
  const merged = withMergedMetadata(existing, expected);
  const have = current.subjects ?? [];
  const missingSubjects = expectedSubjects.filter((s, i) => !have.some((h) => sameSubject(h, s)) && expectedSubjects.findIndex((o) => sameSubject(o, s)) === i);
  const changed = merged.changed || missingSubjects.length > 0;
  const object = missingSubjects.length ? ({ ...merged.object, subjects: [...have, ...missingSubjects] } as KubeObject) : merged.object;
  return { operation: changed ? 'update' : 'none', protected: isProtected(existing), object, missingRules: [], missingSubjects };
}
