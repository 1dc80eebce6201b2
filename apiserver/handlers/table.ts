/**
 * Table conversion (`as=Table;g=meta.k8s.io;v=v1`). The per-kind columns come from
 * `pkg/api/printers`; kinds without a printer get upstream's generic convertor (`Name`,
 * `Created At`, the printers' `genericPrinter`).
 */
import type { KubeObject, ListMeta } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { genericPrinter, toTable } from '../../pkg/api/printers/index.ts';

/** Input of a Table conversion: the objects (one for get/watch), row object mode, clock, list metadata. */
export interface TableRequest {
  info: ResourceInfo;
  objects: KubeObject[];
  includeObject: 'None' | 'Object' | 'Metadata';
  now: Date;
  listMeta?: ListMeta;
}

/** A `meta.k8s.io` Table (column definitions and one row per object). */
export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: ListMeta;
  columnDefinitions: Array<{ name: string; type: string; format: string; description: string; priority: number }>;
  rows: Array<{ cells: unknown[]; object?: unknown }>;
}

/** Converts objects of one resource to a Table; pure. */
export type TableConverter = (request: TableRequest) => Table;

/** `{kind: PartialObjectMetadata, apiVersion: meta.k8s.io/v1, metadata}` for a row or a response. */
export function partialObjectMetadata(obj: KubeObject, version = 'v1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/** A row's `object` for `includeObject` (None → none, Object → the object, Metadata → PartialObjectMetadata). */
export function rowObject(obj: KubeObject, includeObject: TableRequest['includeObject']): unknown {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return obj;
  return partialObjectMetadata(obj);
}

export const defaultTableConverter: TableConverter = ({ objects, includeObject, listMeta, now }) => ({
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: listMeta ?? {},
  columnDefinitions: genericPrinter.columns,
  rows: objects.map((o) => {
    const row: { cells: unknown[]; object?: unknown } = { cells: genericPrinter.row(o, now) };
    const object = rowObject(o, includeObject);
    if (object !== undefined) row.object = object;
    return row;
  }),
});

/** Upstream's per-kind columns (`pkg/api/printers`), the generic Name / Created At otherwise. */
export const printerTableConverter: TableConverter = (request) => (toTable(request) as Table | undefined) ?? defaultTableConverter(request);
