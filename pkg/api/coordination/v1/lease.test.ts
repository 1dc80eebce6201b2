import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { leaseResource } from './lease.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const meta = { name: 'kube-scheduler', namespace: 'kube-system' };

describe('Lease', () => {
  it.each([
    ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000000Z'],
    ['2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00.123000Z'],
    ['2024-05-01T10:00:00.123456789Z', '2024-05-01T10:00:00.123456Z'],
    ['2024-05-01T12:00:00.5+02:00', '2024-05-01T10:00:00.500000Z'],
  ])('renders %s as MicroTime %s', (input, expected) => {
    const lease = leaseResource.schema.parse({ metadata: meta, spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: input, renewTime: input, leaseTransitions: 0 } });
    leaseResource.applyDefaults(lease);
    expect(lease.spec?.acquireTime).toBe(expected);
    expect(lease.spec?.renewTime).toBe(expected);
    expect(leaseResource.validate(lease)).toEqual([]);
  });

  it('rejects a time that is not RFC 3339 at decode', () => {
    expect(leaseResource.schema.safeParse({ metadata: meta, spec: { renewTime: 'yesterday' } }).success).toBe(false);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['zero duration', { leaseDurationSeconds: 0 }, ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']],
    ['negative transitions', { leaseTransitions: -1 }, ['spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0']],
  ])('%s', (_name, spec, expected) => {
    expect(lines(leaseResource.validate(leaseResource.schema.parse({ metadata: meta, spec })))).toEqual(expected);
  });
});
