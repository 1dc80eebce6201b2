/** PodDisruptionBudget printer (upstream printPodDisruptionBudget): `N/A` for the unset bound. */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, get, num } from './format.ts';
import type { Printer } from './printer.ts';

/** An IntOrString as `intstr.String()` prints it; `N/A` when unset. */
function bound(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : 'N/A';
}

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Min Available', 'string', 0, 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 0, 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 0, 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  row(pdb, now) {
    return [pdb.metadata.name ?? '', bound(get(pdb, 'spec', 'minAvailable')), bound(get(pdb, 'spec', 'maxUnavailable')), num(get(pdb, 'status', 'disruptionsAllowed')), age(pdb, now)];
  },
};
