import { describe, expect, it } from 'vitest';
import { microTime, nextLeaseSpec, type Observation } from './leader-election.ts';

const NOW = Date.parse('2026-01-01T00:00:10Z');
const me = { identity: 'me', now: NOW, leaseDurationSeconds: 15 };
const seen = (holder: string, agoMs: number): Observation => ({ holder, renewTime: 'x', leaseDurationSeconds: 15, observedAt: NOW - agoMs });

describe('nextLeaseSpec', () => {
  it.each([
    ['no lease: acquire with 0 transitions', undefined, undefined, { holderIdentity: 'me', leaseTransitions: 0, acquireTime: microTime(NOW) }],
    ['someone else renewed 5 s ago: wait', { holderIdentity: 'other', leaseTransitions: 2 }, seen('other', 5_000), null],
    ['someone else silent for 16 s: take over, transitions+1', { holderIdentity: 'other', leaseTransitions: 2 }, seen('other', 16_000), { holderIdentity: 'me', leaseTransitions: 3 }],
    ['released (empty holder): take over, transitions+1', { holderIdentity: '', leaseTransitions: 2 }, seen('', 0), { holderIdentity: 'me', leaseTransitions: 3 }],
    ['I hold it: renew, keep acquireTime', { holderIdentity: 'me', leaseTransitions: 1, acquireTime: '2026-01-01T00:00:00.000000Z' }, seen('me', 1_000), { holderIdentity: 'me', leaseTransitions: 1, acquireTime: '2026-01-01T00:00:00.000000Z', renewTime: microTime(NOW) }],
  ])('%s', (_name, spec, observation, expected) => {
    const out = nextLeaseSpec(spec, observation, me);
    if (expected === null) expect(out).toBeNull();
    else expect(out).toMatchObject(expected);
  });

  it('formats MicroTime with six fraction digits', () => {
    expect(microTime(Date.parse('2026-01-01T00:00:01.234Z'))).toBe('2026-01-01T00:00:01.234000Z');
  });
});
