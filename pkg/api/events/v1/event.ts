/**
 * events.k8s.io/v1 Event: the structured event API that client-go's `tools/events` recorder (the
 * scheduler's, and newer controllers') writes. Stored as core/v1 Events, so both APIs see the same
 * objects (upstream serves both from one registry): `regarding` is `involvedObject`, `note` is
 * `message`, `reportingController` is `reportingComponent`, and the `deprecated*` fields are the
 * core event's `source`, `firstTimestamp`, `lastTimestamp` and `count`.
 * Validation is upstream's `ValidateEventCreate` / `ValidateEventUpdate` for this request
 * version: the legacy rules every event passes, plus the strict ones of the new API.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject, type KubeObject } from '../../meta.ts';
import { applyEventDefaults, EventSeriesSchema, EventSourceSchema, objectReferenceSelectors, validateEvent, type Event as CoreEvent } from '../../core/v1/event.ts';
import { defineResource, ObjectReferenceSchema } from '../../core/v1/common.ts';
import { validateImmutable } from '../../validation/common-rules.ts';
import { invalidValue, required } from '../../validation/field-errors.ts';
import { formatMicroTime } from '../../validation/micro-time.ts';

export const EventsV1EventSchema = kubeObject({
  eventTime: z.string().nullable().optional(),
  series: EventSeriesSchema.optional(),
  reportingController: z.string().optional(),
  reportingInstance: z.string().optional(),
  action: z.string().optional(),
  reason: z.string().optional(),
  regarding: ObjectReferenceSchema.optional(),
  related: ObjectReferenceSchema.optional(),
  note: z.string().optional(),
  type: z.string().optional(),
  deprecatedSource: EventSourceSchema.optional(),
  deprecatedFirstTimestamp: z.string().nullable().optional(),
  deprecatedLastTimestamp: z.string().nullable().optional(),
  deprecatedCount: z.number().int().optional(),
});
export type EventsV1Event = z.infer<typeof EventsV1EventSchema>;

/** The core/v1 form of an events.k8s.io/v1 Event (pure; fields absent stay absent). */
export function toCoreEvent(ev: EventsV1Event): CoreEvent {
  const { apiVersion: _v, kind: _k, regarding, note, reportingController, deprecatedSource, deprecatedFirstTimestamp, deprecatedLastTimestamp, deprecatedCount, ...same } = ev;
  const core: CoreEvent = { apiVersion: 'v1', kind: 'Event', ...same, involvedObject: regarding ?? {} };
  if (note !== undefined) core.message = note;
  if (reportingController !== undefined) core.reportingComponent = reportingController;
  if (deprecatedSource !== undefined) core.source = deprecatedSource;
  if (deprecatedFirstTimestamp !== undefined) core.firstTimestamp = deprecatedFirstTimestamp;
  if (deprecatedLastTimestamp !== undefined) core.lastTimestamp = deprecatedLastTimestamp;
  if (deprecatedCount !== undefined) core.count = deprecatedCount;
  return core;
}

/**
 * The events.k8s.io/v1 form of a stored core/v1 Event, with the members upstream's JSON always
 * has (`eventTime`, `regarding`, `deprecatedSource` and the two deprecated timestamps, null or
 * empty) and the others only when set, in upstream's field order.
 */
export function fromCoreEvent(core: KubeObject): EventsV1Event {
  const ev = core as CoreEvent;
  const out: EventsV1Event = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: ev.metadata, eventTime: ev.eventTime ?? null };
  if (ev.series) out.series = ev.series;
  if (ev.reportingComponent) out.reportingController = ev.reportingComponent;
  if (ev.reportingInstance) out.reportingInstance = ev.reportingInstance;
  if (ev.action) out.action = ev.action;
  if (ev.reason) out.reason = ev.reason;
  out.regarding = ev.involvedObject ?? {};
  if (ev.related) out.related = ev.related;
  if (ev.message) out.note = ev.message;
  if (ev.type) out.type = ev.type;
  out.deprecatedSource = ev.source ?? {};
  out.deprecatedFirstTimestamp = ev.firstTimestamp ?? null;
  out.deprecatedLastTimestamp = ev.lastTimestamp ?? null;
  if (ev.count) out.deprecatedCount = ev.count;
  return out;
}

/** The core event as stored: converted, with the members core/v1 always has. */
function storedForm(ev: EventsV1Event): CoreEvent {
  const core = toCoreEvent(ev);
  applyEventDefaults(core);
  return core;
}

/** Upstream `validateV1EventSeries`. */
function validateSeries(ev: CoreEvent): FieldError[] {
  if (!ev.series) return [];
  const errs: FieldError[] = [];
  if ((ev.series.count ?? 0) < 2) errs.push(invalidValue('series.count', '', 'should be at least 2'));
  if (!ev.series.lastObservedTime) errs.push(required('series.lastObservedTime'));
  return errs;
}

/** The strict rules of a create through events.k8s.io/v1 (upstream `ValidateEventCreate`). */
function validateCreate(ev: CoreEvent): FieldError[] {
  const errs = validateSeries(ev);
  if (!ev.eventTime) errs.push(required('eventTime'));
  if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(invalidValue('type', '', `has invalid value: ${ev.type ?? ''}`));
  if (ev.firstTimestamp) errs.push(invalidValue('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (ev.lastTimestamp) errs.push(invalidValue('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (ev.count) errs.push(invalidValue('deprecatedCount', '', 'needs to be unset'));
  if (ev.source?.component || ev.source?.host) errs.push(invalidValue('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

/** The strict rules of an update through events.k8s.io/v1 (upstream `ValidateEventUpdate`): what happened stays as it was. */
function validateUpdate(ev: CoreEvent, old: CoreEvent): FieldError[] {
  const errs = validateSeries(ev);
  const immutable: Array<[path: string, value: unknown, old: unknown]> = [
    ['involvedObject', ev.involvedObject, old.involvedObject],
    ['reason', ev.reason, old.reason],
    ['message', ev.message, old.message],
    ['source', ev.source, old.source],
    ['firstTimestamp', ev.firstTimestamp, old.firstTimestamp],
    ['lastTimestamp', ev.lastTimestamp, old.lastTimestamp],
    ['count', ev.count, old.count],
    ['type', ev.type, old.type],
    // Both at microsecond precision already (defaulting formats them).
    ['eventTime', ev.eventTime, old.eventTime],
    ['action', ev.action, old.action],
    ['related', ev.related, old.related],
    ['reportingController', ev.reportingComponent, old.reportingComponent],
    ['reportingInstance', ev.reportingInstance, old.reportingInstance],
  ];
  for (const [path, value, was] of immutable) errs.push(...validateImmutable(path, value, was));
  return errs;
}

/** Upstream's validation of an Event written through events.k8s.io/v1 (`old` on update). */
export function validateEventsV1Event(ev: EventsV1Event, old?: EventsV1Event): FieldError[] {
  const core = storedForm(ev);
  const errs = validateEvent(core, 'reportingController');
  errs.push(...(old ? validateUpdate(core, storedForm(old)) : validateCreate(core)));
  return errs;
}

/** Formats the MicroTime fields as upstream serialises them. */
function applyEventsV1Defaults(ev: EventsV1Event): void {
  if (ev.eventTime) ev.eventTime = formatMicroTime(ev.eventTime);
  if (ev.series?.lastObservedTime) ev.series.lastObservedTime = formatMicroTime(ev.series.lastObservedTime);
}

export const eventsV1EventResource = defineResource<EventsV1Event>({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  // As upstream (one registry for both groups): kubectl then warns that `ev` could also match events.events.k8s.io.
  shortNames: ['ev'],
  schema: EventsV1EventSchema,
  applyDefaults: applyEventsV1Defaults,
  validate: validateEventsV1Event,
  // Upstream's field label conversions for events.k8s.io/v1 Event.
  fieldSelectors: {
    ...objectReferenceSelectors<EventsV1Event>('regarding', (ev) => ev.regarding),
    reason: (ev) => ev.reason ?? '',
    reportingController: (ev) => ev.reportingController ?? '',
    type: (ev) => ev.type ?? '',
  },
  conversion: {
    storageGroup: '',
    storageVersion: 'v1',
    toStorage: storedForm,
    fromStorage: fromCoreEvent,
  },
});
