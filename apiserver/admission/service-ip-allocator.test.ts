/**
 * ClusterIP allocation over ServiceCIDRs: which blocks are allocatable (a pure table), then the
 * allocator on a real etcd: a full default range, extended by a second ServiceCIDR as the
 * kubernetes.io "Extend Service IP Ranges" task does, upstream's texts for an address outside
 * every ServiceCIDR, a network address and a taken address, not-Ready and deleting ServiceCIDRs
 * skipped, dry-run writing nothing, and two API servers racing on one etcd never sharing an address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceCIDR } from '../../pkg/api/networking/v1/servicecidr.ts';
import { createEtcd3Storage } from '../../pkg/storage/etcd3.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { startEtcd, type EtcdProcess } from '../../pkg/testing/etcd-process.ts';
import { storageKey } from '../handlers/objects.ts';
import { AllocationError } from './allocation-error.ts';
import { allocatableRanges } from './service-cidr-ranges.ts';
import { withDefaultServiceCIDR } from './service-cidr-source.ts';
import { createServiceAllocators } from './service-allocators.ts';
import type { AdmissionContext } from './types.ts';

const sc = (name: string, cidrs: string[], extra: Partial<ServiceCIDR['metadata']> = {}, ready?: string): ServiceCIDR => ({
  metadata: { name, ...extra },
  spec: { cidrs },
  ...(ready ? { status: { conditions: [{ type: 'Ready', status: ready }] } } : {}),
});

describe('allocatableRanges', () => {
  it.each([
    ['the default first, then by name', [sc('zz', ['10.1.0.0/24']), sc('aa', ['10.2.0.0/24']), sc('kubernetes', ['10.96.0.0/28'])], ['10.96.0.0/28', '10.2.0.0/24', '10.1.0.0/24']],
    ['no Ready condition counts as ready', [sc('a', ['10.1.0.0/24'])], ['10.1.0.0/24']],
    ['Ready=False is skipped', [sc('a', ['10.1.0.0/24'], {}, 'False'), sc('b', ['10.2.0.0/24'], {}, 'True')], ['10.2.0.0/24']],
    ['a deleting ServiceCIDR is skipped', [sc('a', ['10.1.0.0/24'], { deletionTimestamp: '2025-01-01T00:00:00Z' })], []],
    ['the other family is skipped', [sc('a', ['10.1.0.0/24', 'fd00::/112'])], ['10.1.0.0/24']],
    ['one block listed twice is one range', [sc('a', ['10.1.0.0/24']), sc('b', ['10.1.0.0/24'])], ['10.1.0.0/24']],
  ])('%s', (_label, cidrs, expected) => {
    expect(allocatableRanges(cidrs, 'IPv4').map((r) => r.text)).toEqual(expected);
  });

  it('IPv6 blocks shorter than /64 get no allocator (upstream)', () => {
    expect(allocatableRanges([sc('a', ['fd00::/48']), sc('b', ['fd00:1::/112'])], 'IPv6').map((r) => r.text)).toEqual(['fd00:1::/112']);
  });

  it('the flag\'s range stands in for a missing default ServiceCIDR', () => {
    expect(withDefaultServiceCIDR([sc('a', ['10.1.0.0/24'])], ['10.96.0.0/12']).map((s) => s.metadata.name)).toEqual(['kubernetes', 'a']);
    expect(withDefaultServiceCIDR([sc('kubernetes', ['10.0.0.0/24'])], ['10.96.0.0/12'])).toHaveLength(1);
  });
});

describe('ServiceIpAllocator on etcd', () => {
  let etcd: EtcdProcess;
  let storage: Storage;
  let ctx: AdmissionContext;
  const owner = (name: string) => ({ namespace: 'default', name });
  const cidrKey = (name: string) => storageKey({ group: 'networking.k8s.io', plural: 'servicecidrs', namespaced: false }, undefined, name);

  beforeAll(async () => {
    etcd = await startEtcd();
    storage = createEtcd3Storage({ endpoints: [etcd.endpoint] });
    ctx = { storage, keyFor: (info, ns, name) => storageKey(info, ns, name) };
    await storage.create(cidrKey('kubernetes'), { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', ...sc('kubernetes', ['10.96.0.0/29'], {}, 'True') });
  }, 60_000);
  afterAll(async () => {
    await storage?.close();
    await etcd?.stop();
  });

  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err as AllocationError);

  it('fills the default range (its first address kept for kubernetes), then allocates from a new ServiceCIDR', async () => {
    const { ips } = createServiceAllocators(ctx, { serviceClusterIpRange: '10.96.0.0/29' });
    const got: string[] = [];
    for (let i = 0; i < 5; i++) got.push(await ips.allocateNext(owner(`s${i}`), false));
    expect(got.sort()).toEqual(['10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.5', '10.96.0.6']);
    expect((await failure(ips.allocateNext(owner('s5'), false))).message).toBe('range is full');

    await storage.create(cidrKey('newcidr1'), { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', ...sc('newcidr1', ['10.96.1.0/29']) });
    const next = await ips.allocateNext(owner('s5'), false);
    expect(next).toMatch(/^10\.96\.1\.[1-6]$/);
    expect(await storage.get(storageKey({ group: 'networking.k8s.io', plural: 'ipaddresses', namespaced: false }, undefined, next))).toMatchObject({
      kind: 'IPAddress',
      metadata: { name: next, labels: { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' } },
      spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 's5' } },
    });
  });

  it('answers requests with upstream\'s texts', async () => {
    const { ips } = createServiceAllocators(ctx, { serviceClusterIpRange: '10.96.0.0/29' });
    expect((await failure(ips.allocate('10.0.0.1', owner('x'), false))).message).toBe('the provided network does not match the current range');
    expect((await failure(ips.allocate('10.96.1.0', owner('x'), false))).message).toBe('the provided IP (10.96.1.0) is not in the valid range. The range of valid IPs is 10.96.1.0/29');
    expect((await failure(ips.allocate('10.96.0.2', owner('x'), false))).message).toBe('provided IP is already allocated');
    // dry-run checks and picks, but writes nothing
    const before = (await ips.reservations.list()).size;
    const picked = await ips.allocateNext(owner('dry'), true);
    expect(await ips.reservations.get(picked)).toBeUndefined();
    expect((await failure(ips.allocate('10.96.0.2', owner('dry'), true))).message).toBe('provided IP is already allocated');
    expect((await ips.reservations.list()).size).toBe(before);
  });

  it('skips not-Ready and deleting ServiceCIDRs', async () => {
    const { ips } = createServiceAllocators(ctx, { serviceClusterIpRange: '10.96.0.0/29' });
    await storage.create(cidrKey('notready'), { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', ...sc('notready', ['10.50.0.0/29'], {}, 'False') });
    await storage.create(cidrKey('leaving'), { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', ...sc('leaving', ['10.51.0.0/29'], { deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['networking.k8s.io/service-cidr-finalizer'] }) });
    expect((await failure(ips.allocate('10.50.0.2', owner('x'), false))).message).toBe('the provided network does not match the current range');
    expect((await failure(ips.allocate('10.51.0.2', owner('x'), false))).message).toBe('the provided network does not match the current range');
  });

  it('never gives two API servers racing on one etcd the same address', async () => {
    await storage.create(cidrKey('race'), { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', ...sc('race', ['10.60.0.0/27']) });
    const same = () => 0.5;
    const one = createServiceAllocators(ctx, { serviceClusterIpRange: '10.96.0.0/29', random: same }).ips;
    const two = createServiceAllocators(ctx, { serviceClusterIpRange: '10.96.0.0/29', random: same }).ips;
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).allocateNext(owner(`r${i}`), false)));
    expect(new Set(got).size).toBe(20);
    expect(got.every((ip) => ip.startsWith('10.60.0.') || ip.startsWith('10.96.1.'))).toBe(true);
  });

  it('releases only the owner\'s address', async () => {
    const { ips } = createServiceAllocators(ctx, { serviceClusterIpRange: '10.96.0.0/29' });
    expect(await ips.release('10.96.0.2', owner('someone-else'))).toBe(false);
    const holder = (await ips.reservations.get('10.96.0.2'))!.owner;
    expect(await ips.release('10.96.0.2', holder)).toBe(true);
    expect(await ips.reservations.get('10.96.0.2')).toBeUndefined();
  });
});
