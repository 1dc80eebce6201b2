/**
 * watch=true (upstream `serveWatch` + cacher semantics): a chunked stream of
 * `{"type":…,"object":…}\n` lines, flushed per event.
 * - resourceVersion unset/"0": synthetic ADDED events for the current state, then changes.
 * - sendInitialEvents=true: the same, then — with allowWatchBookmarks (upstream's list-watch
 *   request) — a BOOKMARK annotated `k8s.io/initial-events-end`.
 * - resourceVersion=N: changes after N; compacted → 410 before streaming, or an ERROR event after.
 * - allowWatchBookmarks: a BOOKMARK with the latest revision every `bookmarkIntervalMs`.
 * - ends after `timeoutSeconds` (default random 30–60 min) or when the client goes away; the
 *   storage watch is aborted either way.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError, expired, internalError } from '../../pkg/errors/index.ts';
import { checkWatchable, StorageError, type WatchHint, type WatchStream } from '../../pkg/storage/types.ts';
import type { ResponseFormat } from '../request/accept.ts';
import { parseResourceVersion, type ReadOptions } from '../request/options.ts';
import { prefixOf, type RequestScope, type ServerContext } from '../handlers/context.ts';
import { qualifiedResource, toServed, toServedList } from '../handlers/objects.ts';
import { selectorMatcher } from '../handlers/read.ts';
import { storageCall } from '../handlers/storage-errors.ts';
import { filterEvent } from './filter.ts';
import { WatchEncoder } from './encoder.ts';

export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

/** A watch with bookmarks gets its last one this long before its timeout (upstream: 2 s). */
const PRE_TIMEOUT_BOOKMARK_MS = 2_000;

/** Too old / compacted, in upstream's words. */
function tooOld(requested: number, err: StorageError): ApiError {
  return expired(`too old resource version: ${requested} (${err.compactedRevision ?? requested + 1})`);
}

/**
 * The storage hint of a watch: pods selected by `spec.nodeName=<node>` (a kubelet's watch) are
 * indexed by node in the watch cache, as upstream's cacher does; undefined for anything else
 * (an empty node name, an inequality, an escaped value). Pure.
 */
export function watchHint(plural: string, group: string, fieldSelector: string | undefined): WatchHint | undefined {
  if (plural !== 'pods' || group !== '' || !fieldSelector || fieldSelector.includes('\\')) return undefined;
  for (const term of fieldSelector.split(',')) {
    const m = /^\s*spec\.nodeName\s*==?\s*([^=!\s][^\s]*)\s*$/.exec(term);
    if (m) return { field: 'spec.nodeName', value: m[1] };
  }
  return undefined;
}

export async function watchResource(ctx: ServerContext, scope: RequestScope, options: ReadOptions, format: ResponseFormat, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { info } = scope;
  const qr = qualifiedResource(info);
  const nameSelector = scope.name ? `metadata.name=${scope.name}` : undefined;
  const fieldSelector = [options.fieldSelector, nameSelector].filter(Boolean).join(',') || undefined;
  const matches = selectorMatcher(scope, { labelSelector: options.labelSelector, fieldSelector });
  const prefix = prefixOf(ctx, info, scope.namespace);
  const rv = options.resourceVersion;
  const sendInitial = options.sendInitialEvents ?? (rv === undefined || rv === '0');

  // Everything that can fail with a plain HTTP error happens before the stream starts.
  let startRevision: number;
  let initial: KubeObject[] = [];
  if (sendInitial) {
    const listed = await storageCall(qr, '', () => ctx.storage.list(prefix));
    startRevision = listed.revision;
    initial = (await toServedList(info, listed.items)).filter(matches);
  } else if (rv === undefined || rv === '0') {
    startRevision = await storageCall(qr, '', () => ctx.storage.currentRevision());
  } else {
    const requested = parseResourceVersion(rv);
    try {
      await checkWatchable(ctx.storage, prefix, requested);
    } catch (err) {
      if (err instanceof StorageError && err.code === 'Expired') throw tooOld(requested, err);
      throw await storageCall(qr, '', () => Promise.reject(err)).catch((e: unknown) => e);
    }
    startRevision = requested;
  }

  const abort = new AbortController();
  const raw = reply.raw;
  reply.hijack();
  // Headers set on the reply before the handler (a deprecated kind's Warning) go out too; hijack() would drop them.
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) raw.setHeader(name, value);
  raw.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  raw.flushHeaders();
  const encoder = new WatchEncoder(ctx, scope, format, options.includeObject);
  let lastRevision = startRevision;
  const write = (line: string): void => {
    if (!raw.destroyed && !raw.writableEnded) raw.write(line);
  };
  raw.on('error', (err) => scope.log.debug({ err }, 'watch connection error'));
  const timeoutMs = (options.timeoutSeconds && options.timeoutSeconds > 0 ? options.timeoutSeconds : ctx.watch.defaultTimeoutSeconds()) * 1000;
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const onClose = () => abort.abort();
  request.raw.on('close', onClose);
  raw.on('close', onClose);
  let stream: WatchStream | undefined;
  // At the cache's revision when this watch has nothing undelivered (upstream's cacher): a watch
  // that sees few events (a kubelet's, for its node) then resumes from a recent revision instead
  // of one older than the cache's history, which the storage itself would have to replay.
  const bookmark = () => {
    const progressed = stream?.progressRevision?.();
    if (progressed !== undefined && progressed > lastRevision) lastRevision = progressed;
    write(encoder.bookmark(lastRevision));
  };
  const bookmarkTimer = options.allowWatchBookmarks ? setInterval(bookmark, ctx.watch.bookmarkIntervalMs) : undefined;
  // And one right before the timeout (upstream's cacher: 2 s before the deadline): the client
  // resumes from a revision seconds old, not one up to a bookmark interval old, which under a
  // high event rate has already left the cache's history (410 and a relist per watcher).
  const lastBookmark = options.allowWatchBookmarks && timeoutMs > PRE_TIMEOUT_BOOKMARK_MS ? setTimeout(bookmark, timeoutMs - PRE_TIMEOUT_BOOKMARK_MS) : undefined;
  const log = scope.log.child({ resource: info.plural, namespace: scope.namespace });
  try {
    for (const obj of initial) write(encoder.event('ADDED', obj));
    if (options.sendInitialEvents && options.allowWatchBookmarks) write(encoder.bookmark(startRevision, { [INITIAL_EVENTS_END_ANNOTATION]: 'true' }));
    stream = ctx.storage.watch(prefix, startRevision, abort.signal, watchHint(info.plural, info.group, options.fieldSelector));
    for await (const event of stream) {
      lastRevision = event.revision;
      // Only a conversion webhook makes these Promises; awaiting a plain object would cost every
      // watcher a microtask per event.
      const object = toServed(info, event.object);
      const prevObject = event.prevObject ? toServed(info, event.prevObject) : undefined;
      const served = {
        type: event.type,
        object: object instanceof Promise ? await object : object,
        prevObject: prevObject instanceof Promise ? await prevObject : prevObject,
      };
      const filtered = filterEvent(served, matches);
      if (filtered) write(encoder.event(filtered.type, filtered.object));
    }
  } catch (err) {
    if (!abort.signal.aborted) {
      const apiErr = err instanceof StorageError && err.code === 'Expired' ? tooOld(startRevision, err) : err instanceof ApiError ? err : internalError(err);
      if (!(err instanceof StorageError)) log.error({ err }, 'watch failed');
      write(encoder.error(apiErr.toStatus()));
    }
  } finally {
    clearTimeout(timer);
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    if (lastBookmark) clearTimeout(lastBookmark);
    request.raw.off('close', onClose);
    abort.abort();
    if (!raw.destroyed && !raw.writableEnded) raw.end();
  }
}

