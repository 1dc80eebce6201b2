import { describe, expect, it } from 'vitest';
import { runWrite, service, SERVICES, testContext } from './admission-test-kit.ts';
import { repairServiceAllocations, servicesPrefix } from './service-allocation-repair.ts';
import { servicePluginFor } from './service-allocation.ts';
import { createServiceAllocators } from './service-allocators.ts';

describe('repairServiceAllocations', () => {
  it('releases leaked reservations past the grace period and re-reserves missing ones', async () => {
    let clock = 1_000_000;
    const ctx = testContext();
    const allocators = createServiceAllocators(ctx, { now: () => clock });
    const plugin = servicePluginFor(ctx, allocators);
    await runWrite(ctx, [plugin], { operation: 'CREATE', info: SERVICES, namespace: 'default', name: 'kept', object: service('kept', { clusterIP: '10.96.0.50', type: 'NodePort', ports: [{ port: 80, nodePort: 30500 }] }) });
    // A service written without going through allocation (e.g. restored from a backup).
    await ctx.storage.create('/registry/services/default/restored', { ...service('restored', { clusterIP: '10.96.0.60', clusterIPs: ['10.96.0.60'], type: 'NodePort', ports: [{ port: 80, nodePort: 30600 }] }), metadata: { name: 'restored', namespace: 'default', uid: 'u-r' } });
    // Leaks: reservations whose service is gone (e.g. the server died between delete and release).
    await allocators.ips.reservations.reserve('10.96.0.70', { namespace: 'default', name: 'gone' });
    await allocators.nodePorts.reservations.reserve('30700', { namespace: 'default', name: 'gone' });
    clock += 10_000;
    // A fresh reservation whose write may still be in flight.
    await allocators.ips.reservations.reserve('10.96.0.80', { namespace: 'default', name: 'in-flight' });

    const report = await repairServiceAllocations(ctx, allocators, { graceMs: 5_000, now: () => clock });
    expect(report).toEqual({ releasedIps: ['10.96.0.70'], releasedPorts: ['30700'], reservedIps: ['10.96.0.60'], reservedPorts: ['30600'] });
    expect([...(await allocators.ips.reservations.list()).keys()].sort()).toEqual(['10.96.0.50', '10.96.0.60', '10.96.0.80']);
    expect((await allocators.ips.reservations.get('10.96.0.60'))?.owner).toEqual({ namespace: 'default', name: 'restored', uid: 'u-r' });
    // A second pass changes nothing.
    expect(await repairServiceAllocations(ctx, allocators, { graceMs: 5_000, now: () => clock })).toEqual({ releasedIps: [], releasedPorts: [], reservedIps: [], reservedPorts: [] });
  });

  it('finds services in every namespace', () => {
    expect(servicesPrefix(testContext())).toBe('/registry/services/');
  });
});
