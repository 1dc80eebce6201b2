/** A kind's Table printer: its columns and a pure row function (cells in column order). */
import type { KubeObject } from '../meta.ts';
import type { ColumnDefinition } from './columns.ts';

export interface Printer {
  columns: ColumnDefinition[];
  /** Cells for one object; never throws on missing fields. */
  row(obj: KubeObject, now: Date): unknown[];
}
