/**
 * Query parameters of writes and reads, parsed once at the edge (upstream CreateOptions,
 * UpdateOptions, PatchOptions, DeleteOptions, ListOptions).
 */
import { badRequest, invalid, type FieldError } from '../../pkg/errors/index.ts';
import { queryBool } from '../../pkg/util/query-bool.ts';
import { parseFieldValidation, type FieldValidation } from './field-validation.ts';

export type Query = Record<string, string | string[] | undefined>;

/** The first value of a (possibly repeated) query parameter. */
export function first(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A boolean parameter with upstream's decoding ({@link queryBool}): `watch=True` is a watch. */
function bool(q: Query, name: string): boolean {
  return queryBool(first(q, name));
}

/** `dryRun`: absent or `All`; anything else is a 400 as upstream. */
export function parseDryRun(values: string | string[] | undefined): boolean {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  for (const v of list) {
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return list.length > 0;
}

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** The manager recorded in managedFields (from `fieldManager` or the User-Agent). */
  fieldManager: string;
  /** Whether the client named the manager (apply requires it). */
  fieldManagerGiven: boolean;
  force: boolean;
}

/** Manager name from a User-Agent: the part before the first `/` (upstream `prefixFromUserAgent`). */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const name = (userAgent ?? '').split('/')[0].trim();
  return name === '' ? 'unknown' : name.slice(0, 128);
}

export function parseWriteOptions(q: Query, userAgent: string | undefined, optionsKind: string): WriteOptions {
  const fieldManager = first(q, 'fieldManager');
  if (fieldManager !== undefined && fieldManager.length > 128) {
    throw invalid({
      group: 'meta.k8s.io',
      kind: optionsKind,
      name: '',
      errors: [{ type: 'FieldValueTooLong', field: 'fieldManager', detail: 'Too long: may not be more than 128 bytes' }],
    });
  }
  return {
    dryRun: parseDryRun(q.dryRun),
    fieldValidation: parseFieldValidation(first(q, 'fieldValidation'), optionsKind),
    fieldManager: fieldManager || managerFromUserAgent(userAgent),
    fieldManagerGiven: fieldManager !== undefined && fieldManager !== '',
    force: bool(q, 'force'),
  };
}

export interface ReadOptions {
  watch: boolean;
  resourceVersion?: string;
  /** As sent: `Exact` and `NotOlderThan` are the ones {@link validateListOptions} lets through. */
  resourceVersionMatch?: string;
  limit?: number;
  continueToken?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  includeObject: 'None' | 'Object' | 'Metadata';
}

function intParam(q: Query, name: string): number | undefined {
  const v = first(q, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`${name}: Invalid value: "${v}": must be an integer`);
  return Number(v);
}

export function parseReadOptions(q: Query): ReadOptions {
  const rvMatch = first(q, 'resourceVersionMatch');
  const includeObject = first(q, 'includeObject') ?? '';
  if (includeObject !== '' && includeObject !== 'None' && includeObject !== 'Object' && includeObject !== 'Metadata') {
    throw badRequest(`includeObject: Unsupported value: "${includeObject}": supported values: "Metadata", "None", "Object"`);
  }
  const sendInitial = first(q, 'sendInitialEvents');
  return {
    watch: bool(q, 'watch'),
    resourceVersion: first(q, 'resourceVersion') || undefined,
    resourceVersionMatch: rvMatch || undefined,
    limit: intParam(q, 'limit'),
    continueToken: first(q, 'continue') || undefined,
    labelSelector: first(q, 'labelSelector') || undefined,
    fieldSelector: first(q, 'fieldSelector') || undefined,
    allowWatchBookmarks: bool(q, 'allowWatchBookmarks'),
    sendInitialEvents: sendInitial === undefined || sendInitial === '' ? undefined : queryBool(sendInitial),
    timeoutSeconds: intParam(q, 'timeoutSeconds'),
    includeObject: (includeObject || 'Metadata') as ReadOptions['includeObject'],
  };
}

/** Throws upstream's 422 for list options a list, a watch or a deletecollection refuses (see {@link listOptionsErrors}). */
export function validateListOptions(o: ReadOptions): void {
  const errors = listOptionsErrors({ watch: o.watch, resourceVersion: o.resourceVersion ?? '', resourceVersionMatch: o.resourceVersionMatch ?? '', continueToken: o.continueToken ?? '', sendInitialEvents: o.sendInitialEvents });
  if (errors.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions', name: '', errors });
}

/**
 * Upstream's `ValidateListOptions` (apimachinery `meta/internalversion/validation`, with the
 * WatchList feature on): the combinations of resourceVersionMatch, resourceVersion, continue and
 * sendInitialEvents a list or a watch refuses, all of them. Pure.
 */
export function listOptionsErrors(o: { watch: boolean; resourceVersion: string; resourceVersionMatch: string; continueToken: string; sendInitialEvents: boolean | undefined }): FieldError[] {
  const errors: FieldError[] = [];
  const forbidden = (field: string, detail: string) => errors.push({ type: 'FieldValueForbidden', field, detail: `Forbidden: ${detail}` });
  const notSupported = (supported: string[]) =>
    errors.push({ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', detail: `Unsupported value: "${o.resourceVersionMatch}": supported values: ${supported.map((v) => `"${v}"`).join(', ')}` });
  const match = o.resourceVersionMatch;
  if (o.watch) {
    if (o.sendInitialEvents !== undefined && match !== 'NotOlderThan') forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
    if (match) {
      if (o.sendInitialEvents === undefined) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
      if (match !== 'NotOlderThan') notSupported(['NotOlderThan']);
      if (o.continueToken) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided');
    }
    return errors;
  }
  if (match) {
    if (!o.resourceVersion) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (o.continueToken) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided');
    if (match !== 'Exact' && match !== 'NotOlderThan') notSupported(['Exact', 'NotOlderThan', '']);
    if (match === 'Exact' && o.resourceVersion === '0') forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  }
  if (o.sendInitialEvents !== undefined) forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list');
  return errors;
}

/** The largest resourceVersion upstream parses (a uint64); a larger one is as invalid as a non-number. */
const MAX_RESOURCE_VERSION = 18446744073709551615n;

/** Parses a resourceVersion query value; 400 for non-numeric values and numbers beyond a uint64 (ours are etcd revisions). */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv) || BigInt(rv) > MAX_RESOURCE_VERSION) throw badRequest(`invalid resource version "${rv}"`);
  return Number(rv);
}
