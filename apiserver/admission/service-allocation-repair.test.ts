import { describe, expect, it } from 'vitest';
import { runWrite, service, SERVICES, testContext } from './admission-test-kit.ts';
import { repairServiceAllocations, servicesPrefix } from './service-allocation-repair.ts';
import { servicePluginFor } from './service-allocation.ts';
import { createServiceAllocators } from './service-allocators.ts';

describe('repairServiceAllocations', () => {
  it('makes IPAddresses match the Services: creates missing ones, deletes leaked ones past the grace period, drops legacy records, records upstream\'s events', async () => {
    let clock = 1_000_000;
    const ctx = testContext();
    const allocators = createServiceAllocators(ctx, { now: () => clock });
    const plugin = servicePluginFor(ctx, allocators);
    await runWrite(ctx, [plugin], { operation: 'CREATE', info: SERVICES, namespace: 'default', name: 'kept', object: service('kept', { clusterIP: '10.96.0.50', type: 'NodePort', ports: [{ port: 80, nodePort: 30500 }] }) });
    // A service written without going through allocation (e.g. restored from a backup, or by older k8ts).
    await ctx.storage.create('/registry/services/default/restored', { ...service('restored', { clusterIP: '10.96.0.60', clusterIPs: ['10.96.0.60'], type: 'NodePort', ports: [{ port: 80, nodePort: 30600 }] }), metadata: { name: 'restored', namespace: 'default', uid: 'u-r' } });
    // What older k8ts kept for ClusterIPs.
    await ctx.storage.create('/registry/k8ts/serviceips/10.96.0.60', { apiVersion: 'k8ts.io/v1', kind: 'ServiceIPReservation', metadata: { name: '10.96.0.60' }, owner: { namespace: 'default', name: 'restored' }, reservedAt: new Date(clock).toISOString() });
    // Leaks: addresses whose service is gone (e.g. the server died between delete and release).
    await allocators.ips.reservations.reserve('10.96.0.70', { namespace: 'default', name: 'gone' });
    await allocators.nodePorts.reservations.reserve('30700', { namespace: 'default', name: 'gone' });
    clock += 10_000;
    // A fresh address whose write may still be in flight.
    await allocators.ips.reservations.reserve('10.96.0.80', { namespace: 'default', name: 'in-flight' });

    const report = await repairServiceAllocations(ctx, allocators, { graceMs: 5_000, now: () => clock });
    expect(report).toEqual({ releasedIps: ['10.96.0.70'], releasedPorts: ['30700'], reservedIps: ['10.96.0.60'], reservedPorts: ['30600'] });
    expect([...(await allocators.ips.reservations.list()).keys()].sort()).toEqual(['10.96.0.50', '10.96.0.60', '10.96.0.80']);
    expect(await ctx.storage.get('/registry/networking.k8s.io/ipaddresses/10.96.0.60')).toMatchObject({
      metadata: { labels: { 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' } },
      spec: { parentRef: { resource: 'services', namespace: 'default', name: 'restored' } },
    });
    expect((await ctx.storage.list('/registry/k8ts/serviceips/')).items).toEqual([]);
    const events = (await ctx.storage.list('/registry/events/')).items.map((e) => [e.reason, e.message, (e.involvedObject as { kind: string }).kind]);
    expect(events.sort()).toEqual([
      ['ClusterIPNotAllocated', 'Cluster IP [IPv4]: 10.96.0.60 is not allocated; repairing', 'Service'],
      ['IPAddressNotAllocated', 'IPAddress: 10.96.0.70 for Service default/gone appears to have leaked: cleaning up', 'IPAddress'],
    ]);
    // A second pass changes nothing.
    expect(await repairServiceAllocations(ctx, allocators, { graceMs: 5_000, now: () => clock })).toEqual({ releasedIps: [], releasedPorts: [], reservedIps: [], reservedPorts: [] });
  });

  it('re-points an IPAddress naming the wrong Service, and reports a ClusterIP outside every ServiceCIDR', async () => {
    const clock = 1_000_000;
    const ctx = testContext();
    const allocators = createServiceAllocators(ctx, { now: () => clock });
    await ctx.storage.create('/registry/services/default/web', { ...service('web', { clusterIP: '10.96.0.90', clusterIPs: ['10.96.0.90'] }), metadata: { name: 'web', namespace: 'default' } });
    await ctx.storage.create('/registry/services/default/stray', { ...service('stray', { clusterIP: '172.16.0.5', clusterIPs: ['172.16.0.5'] }), metadata: { name: 'stray', namespace: 'default' } });
    await allocators.ips.reservations.reserve('10.96.0.90', { namespace: 'default', name: 'old-owner' });
    // An out-of-range address its Service holds keeps its IPAddress (not a leak).
    await allocators.ips.reservations.reserve('172.16.0.5', { namespace: 'default', name: 'stray' });
    const report = await repairServiceAllocations(ctx, allocators, { graceMs: 5_000, now: () => clock + 60_000 });
    expect(report.reservedIps).toEqual(['10.96.0.90']);
    expect(report.releasedIps).toEqual([]);
    expect((await allocators.ips.reservations.get('10.96.0.90'))?.owner).toEqual({ namespace: 'default', name: 'web' });
    expect((await allocators.ips.reservations.get('172.16.0.5'))?.owner).toEqual({ namespace: 'default', name: 'stray' });
    const reasons = (await ctx.storage.list('/registry/events/')).items.map((e) => `${e.reason}: ${e.message}`).sort();
    expect(reasons).toEqual([
      'ClusterIPNotAllocated: the ClusterIP [IPv4]: 10.96.0.90 for Service default/web has a wrong reference; repairing',
      'ClusterIPOutOfRange: Cluster IP [IPv4]: 172.16.0.5 is not within any configured Service CIDR; please recreate service',
    ]);
  });

  it('finds services in every namespace', () => {
    expect(servicesPrefix(testContext())).toBe('/registry/services/');
  });
});
