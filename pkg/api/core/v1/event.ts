/**
 * core/v1 Event (the legacy event API that kubectl describe and most components use).
 * Validation is upstream's `legacyValidateEvent` for the v1 request version.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { validateQualifiedNameField } from '../../validation/common-rules.ts';
import { invalidValue, required } from '../../validation/field-errors.ts';
import { formatMicroTime } from '../../validation/micro-time.ts';
import { isDNS1123Subdomain } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource, ObjectReferenceSchema, type ObjectReference } from './common.ts';

export const EventSourceSchema = z.object({ component: z.string().optional(), host: z.string().optional() });

export const EventSeriesSchema = z.object({
  count: z.number().int().optional(),
  lastObservedTime: z.string().nullable().optional(),
});

export const EventSchema = kubeObject({
  involvedObject: ObjectReferenceSchema.optional().default({}),
  reason: z.string().optional(),
  message: z.string().optional(),
  source: EventSourceSchema.optional(),
  firstTimestamp: z.string().nullable().optional(),
  lastTimestamp: z.string().nullable().optional(),
  count: z.number().int().optional(),
  type: z.string().optional(),
  eventTime: z.string().nullable().optional(),
  series: EventSeriesSchema.optional(),
  action: z.string().optional(),
  related: ObjectReferenceSchema.optional(),
  reportingComponent: z.string().optional(),
  reportingInstance: z.string().optional(),
});
export type Event = z.infer<typeof EventSchema>;

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

/** Fills the fields upstream always serialises (`source: {}`, null timestamps, empty reporting fields). */
export function applyEventDefaults(ev: Event): void {
  ev.source ??= {};
  ev.firstTimestamp ??= null;
  ev.lastTimestamp ??= null;
  ev.eventTime = ev.eventTime ? formatMicroTime(ev.eventTime) : null;
  if (ev.series?.lastObservedTime) ev.series.lastObservedTime = formatMicroTime(ev.series.lastObservedTime);
  ev.reportingComponent ??= '';
  ev.reportingInstance ??= '';
}

/**
 * Upstream `legacyValidateEvent`, which every event passes whatever API version it came through.
 * `reportingField` names `reportingComponent` in errors: `reportingController` for events.k8s.io.
 */
export function validateEvent(ev: Event, reportingField = 'reportingComponent'): FieldError[] {
  const errs = validateObjectMeta(ev.metadata, { namespaced: true });
  const namespace = ev.metadata.namespace ?? '';
  const involvedNamespace = ev.involvedObject.namespace ?? '';
  const mismatch = () => invalidValue('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  if (!ev.eventTime) {
    if (!involvedNamespace) {
      if (namespace !== '' && namespace !== 'default') errs.push(mismatch());
    } else if (namespace !== involvedNamespace) {
      errs.push(mismatch());
    }
  } else {
    if (!involvedNamespace && namespace !== 'default' && namespace !== 'kube-system') errs.push(mismatch());
    const reporting = ev.reportingComponent ?? '';
    if (!reporting) errs.push(required(reportingField));
    errs.push(...validateQualifiedNameField(reportingField, reporting));
    const instance = ev.reportingInstance ?? '';
    if (!instance) errs.push(required('reportingInstance'));
    if (instance.length > REPORTING_INSTANCE_LIMIT) errs.push(invalidValue('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    const action = ev.action ?? '';
    if (!action) errs.push(required('action'));
    if (action.length > ACTION_LIMIT) errs.push(invalidValue('action', '', `can have at most ${ACTION_LIMIT} characters`));
    const reason = ev.reason ?? '';
    if (!reason) errs.push(required('reason'));
    if (reason.length > REASON_LIMIT) errs.push(invalidValue('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if ((ev.message ?? '').length > NOTE_LIMIT) errs.push(invalidValue('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const msg of isDNS1123Subdomain(namespace)) errs.push(invalidValue('namespace', namespace, msg));
  return errs;
}

/**
 * Field selectors on every member of an event's ObjectReference (`involvedObject.kind`, … for
 * core/v1; `regarding.kind`, … for events.k8s.io/v1), as upstream's field label conversions list them.
 */
export function objectReferenceSelectors<T>(prefix: string, reference: (ev: T) => ObjectReference | undefined): Record<string, (ev: T) => string> {
  const members = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;
  return Object.fromEntries(members.map((m) => [`${prefix}.${m}`, (ev: T) => reference(ev)?.[m] ?? '']));
}

export const eventResource = defineResource<Event>({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  schema: EventSchema,
  applyDefaults: applyEventDefaults,
  validate: (ev) => validateEvent(ev),
  fieldSelectors: {
    ...objectReferenceSelectors<Event>('involvedObject', (ev) => ev.involvedObject),
    reason: (ev) => ev.reason ?? '',
    reportingComponent: (ev) => ev.reportingComponent ?? '',
    source: (ev) => ev.source?.component ?? '',
    type: (ev) => ev.type ?? '',
  },
});
