/**
 * Table conversion (`as=Table;g=meta.k8s.io;v=v1`). The per-kind columns come from
 * `pkg/api/printers` once it is wired; this default is upstream's generic convertor
 * (`Name`, `Created At`) used for kinds without printers.
 */
import type { KubeObject, ListMeta } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { toTable } from '../../pkg/api/printers/index.ts';

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

export const defaultTableConverter: TableConverter = ({ objects, includeObject, listMeta }) => ({
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: listMeta ?? {},
  columnDefinitions: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', priority: 0 },
    { name: 'Created At', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata', priority: 0 },
  ],
  rows: objects.map((o) => {
    const row: { cells: unknown[]; object?: unknown } = { cells: [o.metadata.name ?? '', o.metadata.creationTimestamp ?? ''] };
    const object = rowObject(o, includeObject);
    if (object !== undefined) row.object = object;
    return row;
  }),
});

/** Upstream's per-kind columns (`pkg/api/printers`), the generic Name / Created At otherwise. */
export const printerTableConverter: TableConverter = (request) => (toTable(request) as Table | undefined) ?? defaultTableConverter(request);
