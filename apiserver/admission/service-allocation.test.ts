import { describe, expect, it } from 'vitest';
import { ApiError } from '../../pkg/errors/index.ts';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { parseIP, cidrContains, parseCidr } from '../../pkg/net/index.ts';
import { runWrite, service, SERVICES, sequence, testContext } from './admission-test-kit.ts';
import { createServiceAllocationPlugin } from './service-allocation.ts';
import type { ServiceAllocationOptions } from './service-allocators.ts';
import type { AdmissionContext } from './types.ts';

function setup(options: ServiceAllocationOptions = {}, ctx: AdmissionContext = testContext()) {
  const plugin = createServiceAllocationPlugin(ctx, options);
  const create = (name: string, spec: Record<string, unknown>, extra: { dryRun?: boolean; failCommit?: boolean } = {}) =>
    runWrite(ctx, [plugin], { operation: 'CREATE', info: SERVICES, namespace: 'default', name, object: service(name, spec), ...extra });
  const update = (name: string, spec: Record<string, unknown>, extra: { dryRun?: boolean; failCommit?: boolean } = {}) =>
    runWrite(ctx, [plugin], { operation: 'UPDATE', info: SERVICES, namespace: 'default', name, object: service(name, spec), ...extra });
  const remove = (name: string) => runWrite(ctx, [plugin], { operation: 'DELETE', info: SERVICES, namespace: 'default', name });
  const reservedIps = async () => (await ctx.storage.list('/registry/networking.k8s.io/ipaddresses/')).items.map((o) => o.metadata.name).sort();
  const reservedPorts = async () => (await ctx.storage.list('/registry/k8ts/nodeports/')).items.map((o) => Number(o.metadata.name)).sort();
  return { ctx, plugin, create, update, remove, reservedIps, reservedPorts };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the write to fail');
}

const spec = (o: unknown) => (o as { spec: Record<string, any> }).spec;
const ports = (...nodePorts: Array<number | undefined>) => (nodePorts.length ? nodePorts : [undefined]).map((nodePort, i) => ({ name: `p${i}`, port: 80 + i, protocol: 'TCP', ...(nodePort ? { nodePort } : {}) }));

describe('ClusterIP allocation', () => {
  it('gives a Service without clusterIP a random address in the range and records it as an IPAddress', async () => {
    const t = setup();
    const svc = spec(await t.create('web', { ports: ports() }));
    const range = parseCidr('10.96.0.0/12')!;
    expect(cidrContains(range, parseIP(svc.clusterIP)!)).toBe(true);
    expect(svc.clusterIP).not.toMatch(/^10\.96\.0\.[01]$/);
    expect(svc.clusterIPs).toEqual([svc.clusterIP]);
    expect(svc.ipFamilies).toEqual(['IPv4']);
    expect(svc.ipFamilyPolicy).toBe('SingleStack');
    const ipAddress = await t.ctx.storage.get(`/registry/networking.k8s.io/ipaddresses/${svc.clusterIP}`);
    expect(ipAddress).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IPAddress',
      metadata: { name: svc.clusterIP, labels: { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' } },
      spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'web' } },
    });
    expect(ipAddress?.metadata.uid).toBeTruthy();
    expect(ipAddress?.metadata.creationTimestamp).toBeTruthy();
  });

  it.each([
    ['10.96.0.0/12', 0, '10.96.1.1'],
    ['10.96.0.0/12', 0.9999999999, '10.111.255.254'],
    ['192.168.0.0/24', 0, '192.168.0.17'],
    ['fd00:10:96::/112', 0, 'fd00:10:96::101'],
  ])('random allocation in %s starts in the upper band (random %d → %s)', async (range, r, expected) => {
    const t = setup({ serviceClusterIpRange: range, random: sequence(r) });
    const svc = spec(await t.create('web', {}));
    expect(svc.clusterIP).toBe(expected);
    expect(svc.ipFamilies).toEqual([range.includes(':') ? 'IPv6' : 'IPv4']);
  });

  it('honours a requested address, given only as the singular clusterIP', async () => {
    const t = setup();
    const svc = spec(await t.create('web', { clusterIP: '10.96.0.10', ports: ports() }));
    expect(svc.clusterIPs).toEqual(['10.96.0.10']);
    expect(await t.reservedIps()).toEqual(['10.96.0.10']);
  });

  it.each([
    ['10.0.0.1', 'spec.clusterIPs: Invalid value: []string{"10.0.0.1"}: failed to allocate IP 10.0.0.1: the provided network does not match the current range'],
    ['10.96.0.0', 'spec.clusterIPs: Invalid value: []string{"10.96.0.0"}: failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
    ['10.111.255.255', 'spec.clusterIPs: Invalid value: []string{"10.111.255.255"}: failed to allocate IP 10.111.255.255: the provided IP (10.111.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
    ['abc', 'spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    ['fd00::1', 'spec.clusterIPs[0]: Invalid value: ["fd00::1"]: IPv6 is not configured on this cluster'],
  ])('requesting %s → 422 %s', async (ip, detail) => {
    const t = setup();
    const err = await failure(t.create('web', { clusterIP: ip, ports: ports() }));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe(`Service "web" is invalid: ${detail}`);
    expect(await t.reservedIps()).toEqual([]);
  });

  it('refuses an address another Service holds', async () => {
    const t = setup();
    await t.create('a', { clusterIP: '10.96.0.10' });
    const err = await failure(t.create('b', { clusterIP: '10.96.0.10' }));
    expect(err.code).toBe(422);
    expect(err.message).toBe('Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated');
    expect(err.details?.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: 'Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated' }]);
  });

  it('gives headless and ExternalName Services no address', async () => {
    const t = setup();
    const headless = spec(await t.create('db', { clusterIP: 'None', selector: { app: 'db' } }));
    expect(headless.clusterIPs).toEqual(['None']);
    expect(headless.ipFamilyPolicy).toBe('SingleStack');
    const selectorless = spec(await t.create('ext-headless', { clusterIP: 'None' }));
    expect(selectorless.ipFamilyPolicy).toBe('RequireDualStack');
    expect(selectorless.ipFamilies).toEqual(['IPv4', 'IPv6']);
    const external = spec(await t.create('ext', { type: 'ExternalName', externalName: 'example.com' }));
    expect(external.clusterIP).toBeUndefined();
    expect(external.ipFamilies).toBeUndefined();
    expect(await t.reservedIps()).toEqual([]);
  });

  it('exhausts a /29 after five Services (.1 kept for kubernetes) with upstream\'s range-full error', async () => {
    const t = setup({ serviceClusterIpRange: '192.168.0.0/29', random: sequence(0) });
    const got: string[] = [];
    for (let i = 0; i < 5; i++) got.push(spec(await t.create(`s${i}`, {})).clusterIP);
    expect(got.sort()).toEqual(['192.168.0.2', '192.168.0.3', '192.168.0.4', '192.168.0.5', '192.168.0.6']);
    const err = await failure(t.create('s5', {}));
    expect(err.code).toBe(500);
    expect(err.reason).toBe('InternalError');
    expect(err.message).toBe('Internal error occurred: failed to allocate a serviceIP: range is full');
    // .1 can still be requested explicitly (the kubernetes Service does).
    expect(spec(await t.create('kubernetes', { clusterIP: '192.168.0.1' })).clusterIP).toBe('192.168.0.1');
  });

  it('keeps allocations across a restart (a new plugin on the same storage)', async () => {
    const storage = new MemoryStorage();
    const first = setup({ serviceClusterIpRange: '192.168.0.0/29' }, testContext(storage));
    const a = spec(await first.create('a', {})).clusterIP;
    const second = setup({ serviceClusterIpRange: '192.168.0.0/29' }, testContext(storage));
    const err = await failure(second.create('b', { clusterIP: a }));
    expect(err.message).toContain('provided IP is already allocated');
    const others = [];
    for (let i = 0; i < 4; i++) others.push(spec(await second.create(`c${i}`, {})).clusterIP);
    expect(others).not.toContain(a);
    expect(new Set(others).size).toBe(4);
  });

  it('never gives two concurrent creates on two API servers the same address', async () => {
    const storage = new MemoryStorage();
    // Both servers draw the same "random" numbers, so they keep colliding on candidates.
    const one = setup({ serviceClusterIpRange: '10.0.0.0/27', random: sequence(0.5) }, testContext(storage));
    const two = setup({ serviceClusterIpRange: '10.0.0.0/27', random: sequence(0.5) }, testContext(storage));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).create(`s${i}`, {})));
    const ips = results.map((r) => spec(r).clusterIP);
    expect(new Set(ips).size).toBe(20);
    expect((await one.reservedIps()).length).toBe(20);
  });

  it('releases the address on delete and when the write fails', async () => {
    const t = setup();
    const ip = spec(await t.create('a', { clusterIP: '10.96.0.20' })).clusterIP;
    expect(await t.reservedIps()).toEqual([ip]);
    await t.remove('a');
    expect(await t.reservedIps()).toEqual([]);
    await expect(t.create('b', { clusterIP: '10.96.0.21', type: 'NodePort', ports: ports(30100) }, { failCommit: true })).rejects.toThrow('injected');
    expect(await t.reservedIps()).toEqual([]);
    expect(await t.reservedPorts()).toEqual([]);
    expect(spec(await t.create('c', { clusterIP: '10.96.0.21' })).clusterIP).toBe('10.96.0.21');
  });

  it('keeps allocations while finalizers hold a deleted Service, releases them when it goes', async () => {
    const t = setup();
    const created = spec(await t.create('web', { type: 'NodePort', ports: ports(30900) }));
    await runWrite(t.ctx, [t.plugin], { operation: 'DELETE', info: SERVICES, namespace: 'default', name: 'web', markOnly: true });
    expect(await t.reservedIps()).toEqual([created.clusterIP]);
    expect(await t.reservedPorts()).toEqual([30900]);
    const current = (await t.ctx.storage.get('/registry/services/default/web'))!;
    await runWrite(t.ctx, [t.plugin], { operation: 'UPDATE', info: SERVICES, namespace: 'default', name: 'web', object: { ...current, metadata: { ...current.metadata, finalizers: [] } }, updateDeletes: true });
    expect(await t.reservedIps()).toEqual([]);
    expect(await t.reservedPorts()).toEqual([]);
  });

  it('a delete does not release values another Service now holds', async () => {
    const t = setup();
    await t.create('a', { clusterIP: '10.96.0.40' });
    // Simulate an IPAddress that was repaired over to another owner.
    const key = '/registry/networking.k8s.io/ipaddresses/10.96.0.40';
    const current = (await t.ctx.storage.get(key))!;
    await t.ctx.storage.update(key, { ...current, spec: { parentRef: { group: '', resource: 'services', namespace: 'other', name: 'b' } } });
    await t.remove('a');
    expect(await t.reservedIps()).toEqual(['10.96.0.40']);
  });

  it('reserves nothing on dry-run but fills in and checks values', async () => {
    const t = setup();
    const dry = spec(await t.create('a', { type: 'NodePort', ports: ports() }, { dryRun: true }));
    expect(dry.clusterIP).toMatch(/^10\./);
    expect(dry.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(await t.reservedIps()).toEqual([]);
    expect(await t.reservedPorts()).toEqual([]);
    await t.create('b', { clusterIP: '10.96.0.30' });
    const err = await failure(t.create('c', { clusterIP: '10.96.0.30' }, { dryRun: true }));
    expect(err.message).toContain('provided IP is already allocated');
  });
});

describe('NodePort allocation', () => {
  it('honours 32143 (my-nginx-app.yaml) and refuses it to a second Service', async () => {
    const t = setup();
    const svc = spec(await t.create('my-nginx-app-svc', { type: 'NodePort', ports: [{ port: 80, targetPort: 80, protocol: 'TCP', nodePort: 32143 }] }));
    expect(svc.ports[0].nodePort).toBe(32143);
    const err = await failure(t.create('other', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 32143 }] }));
    expect(err.code).toBe(422);
    expect(err.message).toBe('Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 32143: provided port is already allocated');
    expect(await t.reservedPorts()).toEqual([32143]);
    expect((await t.reservedIps()).length).toBe(1);
  });

  it.each([
    [29999, 'spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    [32768, 'spec.ports[0].nodePort: Invalid value: 32768: provided port is not in the valid range. The range of valid ports is 30000-32767'],
  ])('nodePort %d → 422', async (nodePort, detail) => {
    const t = setup();
    const err = await failure(t.create('web', { type: 'NodePort', ports: ports(nodePort) }));
    expect(err.message).toBe(`Service "web" is invalid: ${detail}`);
    expect(await t.reservedIps()).toEqual([]);
  });

  it('allocates ports without a number in range, in the upper band first, one per service port', async () => {
    const t = setup();
    const svc = spec(await t.create('two', { type: 'NodePort', ports: ports(undefined, undefined) }));
    const [a, b] = svc.ports.map((p: { nodePort: number }) => p.nodePort);
    expect(a).toBeGreaterThanOrEqual(30086);
    expect(b).toBeLessThanOrEqual(32767);
    expect(a).not.toBe(b);
    expect(await t.reservedPorts()).toEqual([a, b].sort());
  });

  it('shares a node port between TCP and UDP on the same service port', async () => {
    const t = setup();
    const svc = spec(await t.create('dns', { type: 'NodePort', ports: [{ name: 'tcp', port: 53, protocol: 'TCP' }, { name: 'udp', port: 53, protocol: 'UDP', nodePort: 30053 }] }));
    expect(svc.ports.map((p: { nodePort: number }) => p.nodePort)).toEqual([30053, 30053]);
    expect(await t.reservedPorts()).toEqual([30053]);
  });

  it('LoadBalancer gets node ports unless allocateLoadBalancerNodePorts is false', async () => {
    const t = setup();
    expect(spec(await t.create('lb', { type: 'LoadBalancer', ports: ports() })).ports[0].nodePort).toBeGreaterThan(0);
    expect(spec(await t.create('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: ports() })).ports[0].nodePort).toBeUndefined();
  });

  it('exhausting a tiny port range gives upstream\'s range-full error', async () => {
    const t = setup({ serviceNodePortRange: '30000-30001' });
    await t.create('a', { type: 'NodePort', ports: ports(undefined, undefined) });
    const err = await failure(t.create('b', { type: 'NodePort', ports: ports() }));
    expect(err.code).toBe(500);
    expect(err.message).toBe('Internal error occurred: failed to allocate a nodePort: range is full');
    expect((await t.reservedIps()).length).toBe(1);
  });
});

describe('updates', () => {
  it('keeps allocations when a client leaves them out, and releases node ports on NodePort → ClusterIP', async () => {
    const t = setup();
    const created = spec(await t.create('web', { type: 'NodePort', ports: ports(32000) }));
    const kept = spec(await t.update('web', { type: 'NodePort', ports: ports() }));
    expect(kept.clusterIP).toBe(created.clusterIP);
    expect(kept.ports[0].nodePort).toBe(32000);
    const clusterOnly = spec(await t.update('web', { type: 'ClusterIP', clusterIP: created.clusterIP, clusterIPs: created.clusterIPs, ports: ports(32000) }));
    expect(clusterOnly.ports[0].nodePort).toBeUndefined();
    expect(await t.reservedPorts()).toEqual([]);
    expect(await t.reservedIps()).toEqual([created.clusterIP]);
    // The port is free again for someone else.
    expect(spec(await t.create('other', { type: 'NodePort', ports: ports(32000) })).ports[0].nodePort).toBe(32000);
  });

  it('ClusterIP → NodePort allocates; a failed update gives the new port back and keeps the old ones', async () => {
    const t = setup();
    await t.create('web', { type: 'NodePort', ports: ports(31000) });
    await expect(t.update('web', { type: 'NodePort', ports: [...ports(31000), { name: 'extra', port: 90, protocol: 'TCP', nodePort: 31001 }] }, { failCommit: true })).rejects.toThrow();
    expect(await t.reservedPorts()).toEqual([31000]);
    const changed = spec(await t.update('web', { type: 'NodePort', ports: [{ name: 'p0', port: 80, protocol: 'TCP', nodePort: 31002 }] }));
    expect(changed.ports[0].nodePort).toBe(31002);
    expect(await t.reservedPorts()).toEqual([31002]);
  });

  it('ExternalName → ClusterIP allocates an address; back to ExternalName releases it', async () => {
    const t = setup();
    await t.create('ext', { type: 'ExternalName', externalName: 'example.com' });
    const now = spec(await t.update('ext', { type: 'ClusterIP', ports: ports() }));
    expect(await t.reservedIps()).toEqual([now.clusterIP]);
    const back = spec(await t.update('ext', { ...now, type: 'ExternalName', externalName: 'example.com' }));
    expect(back.clusterIP).toBeUndefined();
    expect(await t.reservedIps()).toEqual([]);
  });
});
