/**
 * Status-condition helpers (upstream apimachinery `meta.SetStatusCondition` and friends) for
 * `metav1.Condition` lists in custom resource status. Pure: they return new arrays.
 */

/** A `metav1.Condition`. */
export interface StatusCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  /** RFC 3339; set by {@link setStatusCondition} when the status changes. */
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

type Conditions = ReadonlyArray<Readonly<StatusCondition>> | undefined;

/** The condition of `type`, or undefined. */
export function findStatusCondition(conditions: Conditions, type: string): Readonly<StatusCondition> | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Whether the condition of `type` is present with status True. */
export function isStatusConditionTrue(conditions: Conditions, type: string): boolean {
  return findStatusCondition(conditions, type)?.status === 'True';
}

/**
 * `conditions` with `condition` set: added if absent; otherwise reason, message and
 * observedGeneration are updated and `lastTransitionTime` moves to `now` only when the status
 * changes (a given lastTransitionTime wins). Order is kept; the input is not modified.
 */
export function setStatusCondition(conditions: Conditions, condition: StatusCondition, now: string): StatusCondition[] {
  const out = (conditions ?? []).map((c) => ({ ...c }));
  const i = out.findIndex((c) => c.type === condition.type);
  if (i < 0) {
    out.push({ ...condition, lastTransitionTime: condition.lastTransitionTime ?? now });
    return out;
  }
  const existing = out[i]!;
  const transitioned = existing.status !== condition.status;
  out[i] = {
    ...existing,
    ...condition,
    lastTransitionTime: condition.lastTransitionTime ?? (transitioned ? now : existing.lastTransitionTime ?? now),
  };
  return out;
}

/** `conditions` without the condition of `type`. */
export function removeStatusCondition(conditions: Conditions, type: string): StatusCondition[] {
  return (conditions ?? []).filter((c) => c.type !== type).map((c) => ({ ...c }));
}
