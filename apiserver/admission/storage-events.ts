/**
 * Events the API server records about objects it repairs (upstream's repair controllers record
 * through an events.k8s.io recorder with a reporting controller name). Written straight to
 * storage as core/v1 Events, since the API server has no client to itself; `kubectl get events`
 * and `kubectl describe` show them.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { rfc3339 } from '../../pkg/util/time.ts';
import type { AdmissionContext } from './types.ts';

const EVENTS = { group: '', plural: 'events', namespaced: true } as const;

/** One event about `involved`: type Normal/Warning, CamelCase reason, action, human message. */
export interface RepairEvent {
  involved: KubeObject;
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  message: string;
}

/** Records events. Contract: never throws; a failed write is logged and dropped. */
export type EventSink = (event: RepairEvent) => Promise<void>;

/** An {@link EventSink} writing core/v1 Events from `controller` into storage. */
export function storageEventSink(ctx: AdmissionContext, options: { controller: string; now?: () => number; logger: Logger }): EventSink {
  const now = options.now ?? Date.now;
  return async ({ involved, type, reason, action, message }) => {
    const meta = involved.metadata;
    const namespace = meta.namespace || 'default';
    const stamp = now();
    const name = `${meta.name}.${(stamp * 1_000_000 + Math.floor(Math.random() * 1_000_000)).toString(16)}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace, uid: randomUUID(), creationTimestamp: rfc3339(stamp) },
      involvedObject: {
        apiVersion: involved.apiVersion, kind: involved.kind, ...(meta.namespace ? { namespace: meta.namespace } : {}), name: meta.name,
        ...(meta.uid ? { uid: meta.uid } : {}), ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
      },
      reason, message, type, action,
      source: { component: options.controller },
      firstTimestamp: rfc3339(stamp),
      lastTimestamp: rfc3339(stamp),
      count: 1,
      reportingComponent: options.controller,
      reportingInstance: '',
    };
    try {
      await ctx.storage.create(ctx.keyFor(EVENTS, namespace, name), event);
    } catch (err) {
      options.logger.warn({ err, reason, object: meta.name }, 'could not record event');
    }
  };
}
