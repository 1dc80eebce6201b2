/**
 * A typed client for one resource, driven only by its coordinates: CRUD, patch, delete
 * options, list paging parameters, watch as an AsyncIterable, subresources.
 */
import type { KubeList, KubeObject } from '../api/meta.ts';
import { badRequest, type Status } from '../errors/index.ts';
import { apiVersionOf, resourcePath, type ResourceCoordinates } from './coordinates.ts';
import type { Query, RestClient, HttpMethod } from './rest.ts';
import { watchStream, type WatchEvent } from './watch.ts';

/** Options common to every call. `namespace` overrides the client's bound namespace. */
export interface CallOptions {
  namespace?: string;
  signal?: AbortSignal;
}

/** Write options (query parameters kubectl also sends). */
export interface WriteOptions extends CallOptions {
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
  dryRun?: boolean;
}

/** List/watch parameters, as upstream `metav1.ListOptions`. */
export interface ListOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  timeoutSeconds?: number;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

/** `metav1.DeleteOptions`. */
export interface DeleteOptions extends CallOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  type: PatchType;
  /** Server-side apply only: take over conflicting fields. */
  force?: boolean;
  subresource?: string;
}

/** A generic subresource call (`scale`, `binding`, `eviction`, `status` …). */
export interface SubresourceOptions extends WriteOptions {
  method: HttpMethod;
  body?: unknown;
  contentType?: string;
  query?: Query;
}

function writeQuery(opts: WriteOptions): Query {
  return { fieldManager: opts.fieldManager, fieldValidation: opts.fieldValidation, dryRun: opts.dryRun ? 'All' : undefined };
}

function listQuery(opts: ListOptions): Query {
  return {
    labelSelector: opts.labelSelector || undefined,
    fieldSelector: opts.fieldSelector || undefined,
    limit: opts.limit,
    continue: opts.continue || undefined,
    resourceVersion: opts.resourceVersion || undefined,
    resourceVersionMatch: opts.resourceVersionMatch,
    timeoutSeconds: opts.timeoutSeconds,
  };
}

/**
 * The client for one resource. Contract: every method resolves with the server's answer or
 * rejects with an `ApiError` (see `RestClient`). The namespace used is, in order: the call's
 * `namespace`, the client's bound namespace, the object's `metadata.namespace`, the default
 * namespace (single-object calls); for list/watch/deleteCollection no namespace means all.
 */
export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    private readonly rest: RestClient,
    readonly coords: ResourceCoordinates,
    private readonly options: { boundNamespace?: string; defaultNamespace?: string } = {},
  ) {}

  /** The same client bound to one namespace. */
  inNamespace(namespace: string): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, this.coords, { ...this.options, boundNamespace: namespace });
  }

  get(name: string, opts: CallOptions & { resourceVersion?: string } = {}): Promise<T> {
    return this.rest.request<T>({ method: 'GET', path: this.path(this.ns(opts), name), query: { resourceVersion: opts.resourceVersion }, signal: opts.signal });
  }

  list(opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.rest.request<KubeList<T>>({ method: 'GET', path: this.collectionPath(opts), query: listQuery(opts), signal: opts.signal });
  }

  create(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({ method: 'POST', path: this.collectionPath(opts, obj), query: writeQuery(opts), body: this.withTypeMeta(obj), signal: opts.signal });
  }

  update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({ method: 'PUT', path: this.path(this.ns(opts, obj), this.nameOf(obj)), query: writeQuery(opts), body: this.withTypeMeta(obj), signal: opts.signal });
  }

  updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({
      method: 'PUT',
      path: this.path(this.ns(opts, obj), this.nameOf(obj), 'status'),
      query: writeQuery(opts),
      body: this.withTypeMeta(obj),
      signal: opts.signal,
    });
  }

  patch(name: string, patch: unknown, opts: PatchOptions): Promise<T> {
    return this.rest.request<T>({
      method: 'PATCH',
      path: this.path(this.ns(opts), name, opts.subresource),
      query: { ...writeQuery(opts), force: opts.type === 'apply' && opts.force !== undefined ? opts.force : undefined },
      body: patch,
      contentType: PATCH_CONTENT_TYPES[opts.type],
      signal: opts.signal,
    });
  }

  /** Deletes one object; resolves with the object (still terminating, or as deleted) or a Status. */
  delete(name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    return this.rest.request<T | Status>({ method: 'DELETE', path: this.path(this.ns(opts), name), body: deleteBody(opts), signal: opts.signal });
  }

  deleteCollection(opts: DeleteOptions & ListOptions = {}): Promise<KubeList<T> | Status> {
    return this.rest.request<KubeList<T> | Status>({ method: 'DELETE', path: this.collectionPath(opts), query: listQuery(opts), body: deleteBody(opts), signal: opts.signal });
  }

  /**
   * Watches the collection. The iterable yields each event as sent and ends when the server
   * closes the stream (e.g. `timeoutSeconds` passed) or `signal` aborts; it throws an
   * `ApiError` when the watch request itself fails (e.g. 410 Expired). ERROR events carry a Status.
   */
  watch(opts: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    return watchStream<T>(this.rest, {
      path: this.collectionPath(opts),
      query: { ...listQuery(opts), watch: 'true', allowWatchBookmarks: opts.allowWatchBookmarks, sendInitialEvents: opts.sendInitialEvents },
      signal: opts.signal,
      timeoutSeconds: opts.timeoutSeconds,
    });
  }

  /** Any subresource call, e.g. `subresource(name, 'scale', { method: 'GET' })`. */
  subresource<R = unknown>(name: string, subresource: string, opts: SubresourceOptions): Promise<R> {
    return this.rest.request<R>({
      method: opts.method,
      path: this.path(this.ns(opts), name, subresource),
      query: { ...writeQuery(opts), ...opts.query },
      body: opts.body,
      contentType: opts.contentType,
      signal: opts.signal,
    });
  }

  private ns(opts: CallOptions, obj?: KubeObject): string | undefined {
    if (!this.coords.namespaced) return undefined;
    return opts.namespace ?? this.options.boundNamespace ?? obj?.metadata?.namespace ?? this.options.defaultNamespace ?? 'default';
  }

  private collectionPath(opts: CallOptions, obj?: KubeObject): string {
    const namespace = obj ? this.ns(opts, obj) : this.coords.namespaced ? (opts.namespace ?? this.options.boundNamespace) : undefined;
    return resourcePath(this.coords, { namespace });
  }

  private path(namespace: string | undefined, name: string, subresource?: string): string {
    if (name === '') throw badRequest('resource name may not be empty');
    return resourcePath(this.coords, { namespace, name, subresource });
  }

  private nameOf(obj: KubeObject): string {
    return obj.metadata?.name ?? '';
  }

  private withTypeMeta(obj: T): T {
    return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(this.coords), kind: obj.kind ?? this.coords.kind };
  }
}

function deleteBody(opts: DeleteOptions): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = {};
  if (opts.propagationPolicy !== undefined) body.propagationPolicy = opts.propagationPolicy;
  if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.preconditions !== undefined) body.preconditions = opts.preconditions;
  if (opts.dryRun) body.dryRun = ['All'];
  return Object.keys(body).length ? { apiVersion: 'v1', kind: 'DeleteOptions', ...body } : undefined;
}
