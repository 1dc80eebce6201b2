import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './event.ts';
import { parseAuditPolicy } from './policy.ts';
import { jsonBody, RequestAudit } from './request-audit.ts';

describe('request audit helpers', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['a JSON object', 'application/json', Buffer.from('{"a":1}'), { a: 1 }],
    ['a merge patch', 'application/merge-patch+json; charset=utf-8', '{"b":2}', { b: 2 }],
    ['a JSON patch', 'application/json-patch+json', '[{"op":"remove","path":"/x"}]', [{ op: 'remove', path: '/x' }]],
    ['an apply patch sent as JSON', 'application/apply-patch+yaml', '{"c":3}', { c: 3 }],
    ['an apply patch in YAML', 'application/apply-patch+yaml', 'c: 3', undefined],
    ['protobuf', 'application/vnd.kubernetes.protobuf', Buffer.from([1, 2]), undefined],
    ['no content type', undefined, '{}', undefined],
    ['an empty body', 'application/json', Buffer.alloc(0), undefined],
  ])('bodies: %s', (_name, contentType, body, expected) => {
    expect(jsonBody(contentType, body)).toEqual(expected);
  });
});

describe('RequestAudit stages', () => {
  /** A record of `method url` by a plain user under a Metadata-for-everything policy, on a clock that ticks 1 ms per reading. */
  function record(method: string, url: string) {
    const events: AuditEvent[] = [];
    let clock = Date.UTC(2026, 0, 1);
    const env = { policy: parseAuditPolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] }), backend: { process: (e: AuditEvent) => void events.push(e), flush: async () => {}, close: async () => {}, dropped: 0 }, now: () => clock++ };
    const audit = new RequestAudit(env, { request: { method, url, headers: {}, socket: { remoteAddress: '10.0.0.1' } }, auditID: 'id-1' });
    return { audit, events };
  }
  const user = { username: 'u', groups: [] };

  it('stamps RequestReceived with the arrival time, later stages with their own', () => {
    const { audit, events } = record('GET', '/api/v1/namespaces/a/pods?watch=1');
    audit.begin(user);
    audit.responseStarted(200);
    audit.complete({ code: 200 });
    expect(events.map((e) => [e.stage, e.requestReceivedTimestamp, e.stageTimestamp])).toEqual([
      ['RequestReceived', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'],
      ['ResponseStarted', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.001000Z'],
      ['ResponseComplete', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.002000Z'],
    ]);
  });

  it("fakes upstream's 'Connection closed early' for a long-running request that ended unanswered", () => {
    const { audit, events } = record('POST', '/api/v1/namespaces/a/pods/p/exec?command=sh');
    audit.begin(user);
    audit.complete({ code: undefined });
    const early = { metadata: {}, status: 'Success', message: 'Connection closed early', code: 200 };
    expect(events.map((e) => [e.stage, e.responseStatus])).toEqual([['RequestReceived', undefined], ['ResponseStarted', early], ['ResponseComplete', early]]);
  });

  it('writes ResponseStarted only for long-running requests, once', () => {
    const list = record('GET', '/api/v1/namespaces/a/pods');
    list.audit.begin(user);
    list.audit.responseStarted(200);
    list.audit.complete({ code: 200 });
    expect(list.events.map((e) => e.stage)).toEqual(['RequestReceived', 'ResponseComplete']);
    const exec = record('POST', '/api/v1/namespaces/a/pods/p/exec?command=sh');
    exec.audit.begin(user);
    exec.audit.responseStarted(101);
    exec.audit.responseStarted(101);
    exec.audit.complete({ code: 101 });
    expect(exec.events.map((e) => [e.stage, e.verb, e.responseStatus?.code])).toEqual([['RequestReceived', 'create', undefined], ['ResponseStarted', 'create', 101], ['ResponseComplete', 'create', 101]]);
  });

  it('writes Panic in place of ResponseComplete, and no ResponseStarted for the 500 answered after it', () => {
    const { audit, events } = record('GET', '/api/v1/namespaces/a/pods?watch=1');
    audit.begin(user);
    audit.panicked({ error: new TypeError('x is undefined') });
    audit.responseStarted(500);
    audit.complete({ code: 500 });
    expect(events.map((e) => [e.stage, e.responseStatus])).toEqual([
      ['RequestReceived', undefined],
      ['Panic', { metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: "APIServer panic'd: x is undefined" }],
    ]);
  });
});
