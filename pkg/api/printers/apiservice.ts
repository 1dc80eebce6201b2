/**
 * APIService printer (upstream printAPIService): SERVICE is `namespace/name` or `Local`,
 * AVAILABLE the `Available` condition's status, with its reason in parentheses unless True.
 */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, arr, get, str } from './format.ts';
import type { Printer } from './printer.ts';

/** The AVAILABLE cell: `True`, `False (ServiceNotFound)`, `Unknown` when there is no condition. Pure. */
export function availableCell(conditions: unknown): string {
  const available = arr(conditions).find((c) => c.type === 'Available');
  if (!available) return 'Unknown';
  const status = str(available.status);
  return status === 'True' ? status : `${status} (${str(available.reason)})`;
}

export const apiServicePrinter: Printer = {
  columns: [
    nameColumn,
    col('Service', 'string', 0, 'The reference to the service that hosts this API endpoint.'),
    col('Available', 'string', 0, 'Whether this service is available.'),
    ageColumn,
  ],
  row(svc, now) {
    const service = get(svc, 'spec', 'service');
    const where = service ? `${str(get(service, 'namespace'))}/${str(get(service, 'name'))}` : 'Local';
    return [svc.metadata.name ?? '', where, availableCell(get(svc, 'status', 'conditions')), age(svc, now)];
  },
};
