/**
 * One `Storage.watch` on etcd: its own gRPC watch stream (one create request, prefix range,
 * start = fromRevision + 1, prev_kv), read as an async iterator. The stream is cancelled when
 * the signal aborts, when the consumer stops iterating, or when the storage closes; nothing
 * outlives the iteration. A compacted start revision ends the iterator with
 * StorageError('Expired', …, compactRevision); a broken stream with StorageError('Unavailable')
 * (callers re-watch from their last revision) — also when the member loses its leader (the
 * stream requires one). Flow control: the stream is paused while more
 * than `HIGH_WATER` responses wait for a slow consumer.
 */
import type { Etcd3, IEvent, IWatchRequest, IWatchResponse, IDuplexStream } from 'etcd3';
import { decodeObject, prefixRangeEnd } from './codec.ts';
import { toStorageError } from './etcd3-errors.ts';
import { requireLeader } from './etcd3-require-leader.ts';
import { StorageError, type WatchEvent } from './types.ts';

const HIGH_WATER = 256;

const LOW_WATER = 16;

type WatchStream = IDuplexStream<IWatchRequest, IWatchResponse> & { pause?(): void; resume?(): void };

export interface WatchOwner {
  client: Etcd3;
  /** Cancel hooks of open watches, run on close. */
  active: Set<() => void>;
  /** Set once the storage is closed: new watches end at once. */
  closed: boolean;
}

export async function* etcdWatch(owner: WatchOwner, prefix: string, fromRevision: number, signal: AbortSignal): AsyncGenerator<WatchEvent> {
  if (signal.aborted || owner.closed) return;
  let stream: WatchStream;
  try {
    stream = (await owner.client.watchClient.watch({ interceptors: [requireLeader] })) as WatchStream;
  } catch (err) {
    throw toStorageError(err, `watch ${prefix}`);
  }
  const queue: IWatchResponse[] = [];
  let wake: (() => void) | undefined;
  let done = false; // aborted or closed: end quietly
  let broken: unknown; // the stream failed or ended on its own
  let paused = false;
  const stop = () => {
    done = true;
    wake?.();
  };
  stream.on('data', (res) => {
    queue.push(res);
    if (!paused && queue.length > HIGH_WATER && stream.pause) {
      paused = true;
      stream.pause();
    }
    wake?.();
  });
  stream.on('error', (err) => {
    broken ??= err;
    wake?.();
  });
  stream.on('end', () => {
    broken ??= new StorageError('Unavailable', `watch ${prefix}: etcd closed the watch stream`);
    wake?.();
  });
  signal.addEventListener('abort', stop, { once: true });
  owner.active.add(stop);
  if (signal.aborted) done = true;
  try {
    stream.write({
      create_request: { key: Buffer.from(prefix), range_end: prefixRangeEnd(prefix), start_revision: fromRevision + 1, prev_kv: true },
    });
    while (!done) {
      const res = queue.shift();
      if (res === undefined) {
        if (broken !== undefined) throw toStorageError(broken, `watch ${prefix}`);
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      if (paused && queue.length < LOW_WATER) {
        paused = false;
        stream.resume?.();
      }
      const compactRevision = Number(res.compact_revision ?? 0);
      if (compactRevision > 0) {
        throw new StorageError('Expired', `watch ${prefix}: required revision ${fromRevision + 1} has been compacted (${compactRevision})`, compactRevision);
      }
      if (res.canceled) throw new StorageError('Unavailable', `watch ${prefix} canceled by etcd: ${res.cancel_reason || 'no reason given'}`);
      for (const ev of res.events ?? []) {
        if (done) return;
        yield toWatchEvent(ev);
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
    owner.active.delete(stop);
    // Half-close first: the etcd3 pool counts an error on a still-writable stream (our own
    // CANCELLED) as a host failure, which would trip its circuit breaker.
    stream.end();
    stream.cancel();
  }
}

/** An etcd watch event as a `WatchEvent` (pure). */
export function toWatchEvent(ev: IEvent): WatchEvent {
  const key = ev.kv.key.toString();
  const revision = Number(ev.kv.mod_revision);
  const prev = ev.prev_kv && ev.prev_kv.value ? ev.prev_kv : undefined;
  if (ev.type === 'Delete') {
    if (!prev) throw new StorageError('Expired', `watch: previous value of deleted ${key} at ${revision} was compacted; please re-list`);
    const text = prev.value.toString();
    return { type: 'DELETED', key, revision, object: decodeObject(text, revision), prevObject: decodeObject(text, Number(prev.mod_revision)) };
  }
  const object = decodeObject(ev.kv.value.toString(), revision);
  if (ev.kv.create_revision === ev.kv.mod_revision) return { type: 'ADDED', key, revision, object };
  const event: WatchEvent = { type: 'MODIFIED', key, revision, object };
  if (prev) event.prevObject = decodeObject(prev.value.toString(), Number(prev.mod_revision));
  return event;
}
