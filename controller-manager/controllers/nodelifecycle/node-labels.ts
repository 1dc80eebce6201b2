/**
 * The beta OS/arch node labels kept in step with the stable ones (upstream
 * `reconcileNodeLabels`), pure: `beta.kubernetes.io/os` follows `kubernetes.io/os` and
 * `beta.kubernetes.io/arch` follows `kubernetes.io/arch`, added when missing.
 */

/** Primary (source of truth) → secondary label keys. */
export const RECONCILED_LABELS: ReadonlyArray<{ readonly primary: string; readonly secondary: string }> = [
  { primary: 'kubernetes.io/os', secondary: 'beta.kubernetes.io/os' },
  { primary: 'kubernetes.io/arch', secondary: 'beta.kubernetes.io/arch' },
];

/** The labels to set so the secondary keys match the primary ones (empty when in step). */
export function labelsToReconcile(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const update: Record<string, string> = {};
  if (!labels) return update;
  for (const { primary, secondary } of RECONCILED_LABELS) {
    if (!(primary in labels)) continue;
    if (labels[secondary] !== labels[primary]) update[secondary] = labels[primary];
  }
  return update;
}
