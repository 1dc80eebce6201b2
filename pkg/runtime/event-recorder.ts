/**
 * Records core/v1 Events about objects, as client-go's `EventRecorder` + broadcaster do:
 * named `<object>.<hex time>`, in the object's namespace (`default` for cluster-scoped ones),
 * `source.component` and `reportingComponent` set, and repeats of the same
 * (object, type, reason, message) within the cache aggregated into `count` / `lastTimestamp` —
 * written one after the other, so a burst of repeats makes one Event, not one each.
 * As client-go's spam filter, each (source, object, type, reason) may emit a burst of 25 events,
 * then one per 5 minutes; the rest are dropped (a ReplicaSet creating 1,000 pods reports 25).
 */
import type { Logger } from 'pino';
import type { Event } from '../api/core/v1/event.ts';
import type { KubeObject } from '../api/meta.ts';
import type { Client } from '../client/index.ts';
import { isNotFound } from '../errors/index.ts';
import type { DeepReadonly } from '../informer/index.ts';
import type { Clock } from '../workqueue/index.ts';
import { rfc3339 } from '../util/time.ts';

/** Normal or Warning, as upstream. */
export type EventType = 'Normal' | 'Warning';

/**
 * Emits Events. Contract: `event` never throws and never blocks the caller; write failures are
 * logged. `flush()` resolves when every event recorded so far has been written (for tests and
 * shutdown).
 */
export interface EventRecorder {
  event(involved: KubeObject | DeepReadonly<KubeObject>, type: EventType, reason: string, message: string): void;
  flush(): Promise<void>;
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
}

const CACHE_LIMIT = 4096;
const MAX_PENDING = 1000;
/** client-go `EventSourceObjectSpamFilter` defaults. */
export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;

/** Shared by every recorder of one manager: one aggregation cache, bounded in-flight writes. */
export class EventSink {
  private readonly seen = new Map<string, Seen>();
  private readonly pending = new Set<Promise<void>>();
  /** The last write of each aggregation key still in flight: the next one waits for it. */
  private readonly latest = new Map<string, Promise<void>>();
  private readonly spam = new Map<string, { tokens: number; last: number }>();

  /** Takes a token for `key`; false when the event must be dropped. */
  private allow(key: string): boolean {
    const now = this.deps.clock.now();
    const bucket = this.spam.get(key) ?? { tokens: SPAM_BURST, last: now };
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (now - bucket.last) / SPAM_REFILL_MS);
    bucket.last = now;
    if (this.spam.size >= CACHE_LIMIT && !this.spam.has(key)) this.spam.delete(this.spam.keys().next().value as string);
    this.spam.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Sub-millisecond part of event names: distinct for every event this sink writes. */
  private sequence = Math.floor(Math.random() * 1_000_000);

  constructor(private readonly deps: { client: Client; clock: Clock; log: Logger; host?: string }) {}

  recorder(component: string): EventRecorder {
    return {
      event: (involved, type, reason, message) => this.record(component, involved as KubeObject, type, reason, message),
      flush: () => this.flush(),
    };
  }

  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private record(component: string, involved: KubeObject, type: EventType, reason: string, message: string): void {
    const meta = involved.metadata;
    if (!this.allow(JSON.stringify([component, involved.apiVersion, involved.kind, meta.namespace, meta.name, meta.uid, type, reason]))) return;
    if (this.pending.size >= MAX_PENDING) {
      this.deps.log.warn({ reason, object: involved.metadata.name }, 'dropping event: too many pending');
      return;
    }
    const key = aggregationKey(component, involved, type, reason, message);
    const write = (this.latest.get(key) ?? Promise.resolve())
      .then(() => this.write(key, component, involved, type, reason, message))
      .catch((err) => this.deps.log.warn({ err, reason }, 'failed to write event'));
    this.pending.add(write);
    this.latest.set(key, write);
    void write.finally(() => {
      this.pending.delete(write);
      if (this.latest.get(key) === write) this.latest.delete(key);
    });
  }

  private async write(key: string, component: string, involved: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const meta = involved.metadata;
    const namespace = meta.namespace || 'default';
    const now = rfc3339(this.deps.clock.now());
    const events = this.deps.client.events.inNamespace(namespace);
    const seen = this.seen.get(key);
    if (seen) {
      seen.count += 1;
      try {
        await events.patch(seen.name, { count: seen.count, lastTimestamp: now }, { type: 'merge' });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: eventName(meta.name ?? '', this.deps.clock.now(), this.sequence++), namespace },
      involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, namespace: meta.namespace, name: meta.name, uid: meta.uid, resourceVersion: meta.resourceVersion },
      reason,
      message,
      source: { component, ...(this.deps.host ? { host: this.deps.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: this.deps.host ?? '',
    } as Event;
    const created = await events.create(event);
    if (this.seen.size >= CACHE_LIMIT) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(key, { namespace, name: created.metadata.name as string, count: 1 });
  }
}

/** Events with equal keys aggregate into one (upstream `getEventKey`, per component). */
function aggregationKey(component: string, involved: KubeObject, type: EventType, reason: string, message: string): string {
  const meta = involved.metadata;
  return JSON.stringify([component, involved.apiVersion, involved.kind, meta.namespace || 'default', meta.name, meta.uid, type, reason, message]);
}

/**
 * `<object>.<hex nanoseconds>` as upstream names events. The nanoseconds are computed exactly
 * (BigInt: epoch ms × 10⁶ exceeds a double's integer precision, which made names collide) and
 * the sub-millisecond digits come from a per-sink sequence, so a burst within one millisecond
 * still gets distinct names.
 */
export function eventName(objectName: string, epochMs: number, sequence: number): string {
  return `${objectName}.${(BigInt(Math.floor(epochMs)) * 1_000_000n + BigInt(sequence % 1_000_000)).toString(16)}`;
}
