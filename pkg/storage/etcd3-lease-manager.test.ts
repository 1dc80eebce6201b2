import { describe, expect, it } from 'vitest';
import { leaseDecision, LeaseManager } from './etcd3-lease-manager.ts';
import { ttlSecondsFor } from './key-ttl.ts';

const UPSTREAM = { reuseDurationSeconds: 60, reuseDurationPercent: 0.05, maxObjectCount: 1000 };

describe('leaseDecision (upstream lease reuse)', () => {
  it.each([
    // [case, previous lease (expires in s, attached), ttl, expected]
    ['no lease yet: grant TTL + 60 s for a 1 h TTL', undefined, 3600, { reuse: false, grantSeconds: 3660 }],
    ['a short TTL reuses 5 % of it (10 s -> 0 s extra)', undefined, 10, { reuse: false, grantSeconds: 10 }],
    ['a 100 s TTL gets 5 s extra', undefined, 100, { reuse: false, grantSeconds: 105 }],
    ['a lease granted 30 s ago for 3660 s outlives a new 1 h write by 30 s: reused', { in: 3630, attached: 5 }, 3600, { reuse: true }],
    ['a lease granted 61 s ago expires before a new 1 h write would: new lease', { in: 3599, attached: 5 }, 3600, { reuse: false, grantSeconds: 3660 }],
    ['a lease that would keep the key more than 60 s too long: new lease', { in: 3700, attached: 5 }, 3600, { reuse: false, grantSeconds: 3660 }],
    ['a lease with 1,000 keys: new lease', { in: 3630, attached: 1000 }, 3600, { reuse: false, grantSeconds: 3660 }],
  ] as const)('%s', (_name, prev, ttl, expected) => {
    const now = 1_000_000;
    const previous = prev ? { id: '7', expiresAt: now + prev.in * 1000, attached: prev.attached } : undefined;
    expect(leaseDecision(previous, ttl, now, UPSTREAM)).toEqual(expected);
  });
});

describe('LeaseManager', () => {
  it('grants once for writes within the reuse window, shares a grant in flight, and grants again after', async () => {
    let clock = 0;
    const grants: number[] = [];
    const leases = new LeaseManager({ now: () => clock, grant: async (ttl) => (grants.push(ttl), String(grants.length)) });
    expect(await Promise.all([leases.leaseFor(3600), leases.leaseFor(3600), leases.leaseFor(3600)])).toEqual(['1', '1', '1']);
    clock += 59_000;
    expect(await leases.leaseFor(3600)).toBe('1');
    clock += 2_000;
    expect(await leases.leaseFor(3600)).toBe('2');
    expect(grants).toEqual([3660, 3660]);
  });

  it('grants a new lease after forgetting one etcd no longer has, and after a failed grant', async () => {
    let fail = false;
    let n = 0;
    const leases = new LeaseManager({ now: () => 0, grant: async () => { if (fail) throw new Error('etcd down'); return String(++n); } });
    expect(await leases.leaseFor(60)).toBe('1');
    leases.forget('1');
    fail = true;
    await expect(leases.leaseFor(60)).rejects.toThrow('etcd down');
    fail = false;
    expect(await leases.leaseFor(60)).toBe('2');
  });
});

describe('ttlSecondsFor', () => {
  it('gives the TTL of the first rule whose prefix the key has', () => {
    const rules = [{ prefix: '/registry/events/', seconds: 3600 }, { prefix: '/registry/', seconds: 5 }];
    expect(ttlSecondsFor(rules, '/registry/events/default/a.17f')).toBe(3600);
    expect(ttlSecondsFor(rules, '/registry/pods/default/a')).toBe(5);
    expect(ttlSecondsFor(rules, '/other/x')).toBeUndefined();
    expect(ttlSecondsFor([], '/registry/events/default/a')).toBeUndefined();
  });
});
