/**
 * Toleration matching (upstream v1helper `ToleratesTaint` / `FindMatchingUntoleratedTaint`),
 * shared by the scheduler, the controllers that place or evict pods by taints, and the kubelet's
 * admission. Pure.
 */

export interface TaintLike {
  readonly key: string;
  readonly value?: string | undefined;
  readonly effect: string;
}

export interface TolerationLike {
  readonly key?: string | undefined;
  readonly operator?: string | undefined;
  readonly value?: string | undefined;
  readonly effect?: string | undefined;
}

/** Whether `toleration` tolerates `taint`: effect (empty = all), key (empty + Exists = all), Exists or equal value. */
export function toleratesTaint(toleration: TolerationLike, taint: TaintLike): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key !== taint.key && !(!toleration.key && toleration.operator === 'Exists')) return false;
  const op = toleration.operator || 'Equal';
  if (op === 'Exists') return true;
  if (op === 'Equal') return (toleration.value ?? '') === (taint.value ?? '');
  return false;
}

/** The first taint (passing `include`) that no toleration tolerates. */
export function findUntoleratedTaint(
  taints: readonly TaintLike[],
  tolerations: readonly TolerationLike[],
  include: (t: TaintLike) => boolean,
): TaintLike | undefined {
  return taints.find((t) => include(t) && !tolerations.some((tol) => toleratesTaint(tol, t)));
}
