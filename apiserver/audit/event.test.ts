import { describe, expect, it } from 'vitest';
import { microTime } from '../../pkg/util/time.ts';
import { auditUser, objectRef, refFromObject, responseStatus, sourceIps, withoutManagedFields } from './event.ts';

describe('audit event parts', () => {
  it('writes MicroTime with six fractional digits', () => {
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678) + 0.912)).toBe('2026-01-02T03:04:05.678912Z');
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 0))).toBe('2026-01-02T03:04:05.000000Z');
  });

  it.each<[string, Record<string, string>, string | undefined, string[]]>([
    ['the peer alone', {}, '10.0.0.1', ['10.0.0.1']],
    ['an IPv4-mapped peer', {}, '::ffff:127.0.0.1', ['127.0.0.1']],
    ['forwarded chain then peer', { 'x-forwarded-for': '1.2.3.4, 5.6.7.8' }, '10.0.0.1', ['1.2.3.4', '5.6.7.8', '10.0.0.1']],
    ['real IP', { 'x-real-ip': '9.9.9.9' }, '10.0.0.1', ['9.9.9.9', '10.0.0.1']],
    ['peer repeating the last', { 'x-forwarded-for': '10.0.0.1' }, '10.0.0.1', ['10.0.0.1']],
  ])('source IPs: %s', (_name, headers, remote, expected) => {
    expect(sourceIps(headers, remote)).toEqual(expected);
  });

  it('records users without empty fields; an unauthenticated one as {}', () => {
    expect(auditUser({ username: 'u', groups: ['g'], uid: '1', extra: { a: ['b'] } })).toEqual({ username: 'u', uid: '1', groups: ['g'], extra: { a: ['b'] } });
    expect(auditUser({ username: 'u', groups: [] })).toEqual({ username: 'u' });
    expect(auditUser(undefined)).toEqual({});
  });

  it('builds object references in upstream order, filled from a request body', () => {
    const ref = objectRef({ resource: 'pods', namespace: 'ns', name: '', apiGroup: '', apiVersion: 'v1', subresource: '' });
    expect(ref).toEqual({ resource: 'pods', namespace: 'ns', apiVersion: 'v1' });
    const filled = refFromObject(ref, { metadata: { name: 'p', namespace: 'other', uid: 'u-1' } });
    expect(Object.entries(filled)).toEqual([['resource', 'pods'], ['namespace', 'ns'], ['name', 'p'], ['uid', 'u-1'], ['apiVersion', 'v1']]);
  });

  it('copies the bounded fields of a Status, only the code otherwise', () => {
    expect(responseStatus(200, { kind: 'Pod' })).toEqual({ metadata: {}, code: 200 });
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'nope', reason: 'Forbidden', details: { name: 'p', kind: 'pods' }, code: 403 };
    expect(responseStatus(403, status)).toEqual({ metadata: {}, status: 'Failure', message: 'nope', reason: 'Forbidden', details: { name: 'p', kind: 'pods' }, code: 403 });
  });

  it('drops managedFields from objects and list items, leaving the input alone', () => {
    const pod = { metadata: { name: 'p', managedFields: [{ manager: 'm' }] } };
    expect(withoutManagedFields(pod)).toEqual({ metadata: { name: 'p' } });
    expect(withoutManagedFields({ kind: 'PodList', metadata: {}, items: [pod] })).toEqual({ kind: 'PodList', metadata: {}, items: [{ metadata: { name: 'p' } }] });
    expect(pod.metadata.managedFields).toHaveLength(1);
  });
});
