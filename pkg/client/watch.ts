/**
 * Watch as an AsyncIterable: opens the streaming request, splits the body into events,
 * ends on server close, abort or the client-side timeout guard.
 */
import type { KubeObject } from '../api/meta.ts';
import type { Status } from '../errors/index.ts';
import { parseJsonStream } from './json-stream.ts';
import type { Query, RestClient } from './rest.ts';

/** One watch event as upstream sends it; ERROR carries a Status (e.g. 410 Expired). */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

const WATCH_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);
/** Grace after `timeoutSeconds` before the client gives up on a server that does not close. */
const TIMEOUT_GRACE_MS = 30_000;

function isWatchEvent(value: unknown): value is WatchEvent {
  const v = value as { type?: unknown; object?: unknown };
  return typeof v === 'object' && v !== null && typeof v.type === 'string' && WATCH_TYPES.has(v.type) && typeof v.object === 'object' && v.object !== null;
}

/** Opens a watch; see `ResourceClient.watch` for the contract. */
export async function* watchStream<T extends KubeObject>(
  rest: RestClient,
  req: { path: string; query: Query; signal?: AbortSignal; timeoutSeconds?: number },
): AsyncGenerator<WatchEvent<T>> {
  if (req.signal?.aborted) return;
  const local = new AbortController();
  const onAbort = (): void => local.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const guard = req.timeoutSeconds !== undefined ? setTimeout(() => local.abort(new Error('watch timeout')), req.timeoutSeconds * 1000 + TIMEOUT_GRACE_MS) : undefined;
  guard?.unref();
  try {
    let stream;
    try {
      stream = await rest.stream({ method: 'GET', path: req.path, query: req.query, signal: local.signal });
    } catch (err) {
      if (local.signal.aborted) return;
      throw err;
    }
    try {
      for await (const value of parseJsonStream(stream.body)) {
        if (isWatchEvent(value)) yield value as WatchEvent<T>;
      }
    } catch (err) {
      if (local.signal.aborted) return;
      if ((err as { code?: string }).code === 'UND_ERR_SOCKET' || (err as { name?: string }).name === 'AbortError') return;
      throw err;
    }
  } finally {
    if (guard) clearTimeout(guard);
    req.signal?.removeEventListener('abort', onAbort);
    // Stops the body if the consumer broke out of the loop early.
    local.abort();
  }
}
