/**
 * Table conversion of custom resources (upstream apiextensions tableconvertor): a Name column
 * and one column per `additionalPrinterColumns` entry (Age from creationTimestamp when the CRD
 * declares none), each cell typed by the column's type.
 */
import type { KubeObject } from '../meta.ts';
import type { PrinterColumn } from '../resource.ts';
import { ageColumn, nameColumn, type ColumnDefinition } from './columns.ts';
import { since } from './format.ts';
import { compileJsonPath, type CompiledJsonPath } from './jsonpath.ts';

/** Upstream's default when a CRD version declares no printer columns. */
export const DEFAULT_CUSTOM_COLUMNS: readonly PrinterColumn[] = [{ name: 'Age', type: 'date', description: ageColumn.description, jsonPath: '.metadata.creationTimestamp' }];

/** A cell as upstream's cellForJSONValue types it (null when the value does not fit the type). */
export function customCell(type: string, value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : since(value, now);
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    default:
      return null;
  }
}

/** Column definitions and a row function for a CRD version's printer columns. */
export function customColumnsPrinter(columns: readonly PrinterColumn[] | undefined): { columns: ColumnDefinition[]; row(obj: KubeObject, now: Date): unknown[] } {
  const effective = columns && columns.length > 0 ? columns : DEFAULT_CUSTOM_COLUMNS;
  const compiled: Array<{ column: PrinterColumn; path: CompiledJsonPath | undefined }> = effective.map((column) => {
    try {
      return { column, path: compileJsonPath(column.jsonPath) };
    } catch {
      return { column, path: undefined };
    }
  });
  return {
    columns: [nameColumn, ...effective.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 }))],
    row: (obj, now) => [obj.metadata.name ?? '', ...compiled.map(({ column, path }) => customCell(column.type, path?.find(obj)[0], now))],
  };
}
