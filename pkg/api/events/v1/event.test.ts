import { describe, expect, it } from 'vitest';
import { fromCoreEvent, toCoreEvent, validateEventsV1Event, type EventsV1Event } from './event.ts';

const structured: EventsV1Event = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web.1', namespace: 'default' },
  eventTime: '2026-12-05T10:00:00.123456Z',
  series: { count: 3, lastObservedTime: '2026-12-05T10:02:00.000000Z' },
  reportingController: 'default-scheduler',
  reportingInstance: 'default-scheduler-node1',
  action: 'Binding',
  reason: 'Scheduled',
  regarding: { kind: 'Pod', namespace: 'default', name: 'web' },
  related: { kind: 'Node', name: 'node1' },
  note: 'Successfully assigned default/web to node1',
  type: 'Normal',
  deprecatedSource: {},
  deprecatedFirstTimestamp: null,
  deprecatedLastTimestamp: null,
};

describe('events.k8s.io/v1 ⇄ core/v1 Event conversion', () => {
  it.each([
    ['regarding', 'involvedObject'],
    ['note', 'message'],
    ['reportingController', 'reportingComponent'],
    ['deprecatedSource', 'source'],
    ['deprecatedFirstTimestamp', 'firstTimestamp'],
    ['deprecatedLastTimestamp', 'lastTimestamp'],
    ['deprecatedCount', 'count'],
    ['eventTime', 'eventTime'],
    ['series', 'series'],
    ['reportingInstance', 'reportingInstance'],
    ['action', 'action'],
    ['related', 'related'],
    ['type', 'type'],
  ] as const)('%s is core %s', (field, coreField) => {
    const value = field === 'deprecatedCount' ? 7 : field.endsWith('Timestamp') ? '2026-12-05T09:00:00Z' : (structured[field] ?? { component: 'kubelet' });
    const core = toCoreEvent({ ...structured, [field]: value }) as Record<string, unknown>;
    expect(core[coreField]).toEqual(value);
    if (field !== coreField) expect(core[field]).toBeUndefined();
    expect((fromCoreEvent(core as never) as Record<string, unknown>)[field]).toEqual(value);
  });

  it('round-trips a structured event unchanged, and fills what upstream always serialises', () => {
    expect(fromCoreEvent(toCoreEvent(structured))).toEqual(structured);
    expect(fromCoreEvent({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'x' } })).toEqual({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'x' }, eventTime: null, regarding: {}, deprecatedSource: {}, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null });
  });
});

describe('validateEventsV1Event', () => {
  it('accepts what client-go records, and an update that only grows the series', () => {
    expect(validateEventsV1Event(structured)).toEqual([]);
    expect(validateEventsV1Event({ ...structured, series: { count: 4, lastObservedTime: '2026-12-05T10:03:00.000000Z' } }, structured)).toEqual([]);
  });

  it('names the reporting controller by its events.k8s.io field, and keeps the rest of an update immutable', () => {
    expect(validateEventsV1Event({ ...structured, reportingController: 'not a name' }).map((e) => e.field)).toEqual(['reportingController']);
    const errs = validateEventsV1Event({ ...structured, reason: 'Other', regarding: { kind: 'Pod', name: 'db' } }, structured);
    expect(errs.map((e) => `${e.field}: ${e.detail}`)).toEqual(['involvedObject: Invalid value: {"kind":"Pod","name":"db"}: field is immutable', 'reason: Invalid value: "Other": field is immutable']);
  });
});
