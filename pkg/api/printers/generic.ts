/**
 * Upstream's generic table convertor (`rest.NewDefaultTableConvertor`): Name and Created At, the
 * columns of every kind without a printer of its own (Roles and ClusterRoles among them).
 */
import { col, nameColumn } from './columns.ts';
import type { Printer } from './printer.ts';

/** The `Created At` column (type `date`), described with ObjectMeta's `creationTimestamp` doc. */
export const createdAtColumn = col(
  'Created At',
  'date',
  0,
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
);

/**
 * Go `CreationTimestamp.Time.UTC().Format(time.RFC3339)`: whole seconds in UTC; a missing or
 * unparsable timestamp is the zero time, `0001-01-01T00:00:00Z`.
 */
export function createdAt(timestamp: unknown): string {
  const t = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(t)) return '0001-01-01T00:00:00Z';
  return `${new Date(t).toISOString().slice(0, 19)}Z`;
}

/** Name and Created At. */
export const genericPrinter: Printer = {
  columns: [nameColumn, createdAtColumn],
  row(obj) {
    return [obj.metadata.name ?? '', createdAt(obj.metadata.creationTimestamp)];
  },
};
