import { describe, expect, it } from 'vitest';
import type { Endpoints, EndpointSubset } from '../../../pkg/api/core/v1/endpoints.ts';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import { desiredMirror } from './desired.ts';
import { planSliceChanges } from './plan.ts';
import { mirroredSliceMetadata } from './slice-metadata.ts';

const http = { name: 'http', port: 80, protocol: 'TCP' };
const dns = { name: 'dns', port: 53, protocol: 'UDP' };
const endpoints = (subsets: EndpointSubset[], labels?: Record<string, string>): Endpoints => ({ metadata: { name: 'ext', namespace: 'ns', uid: 'ep-uid', labels }, subsets }) as Endpoints;

/** An existing slice as this controller would have written it for `ep`. */
function slice(name: string, ep: Endpoints, addressType: string, ports: object[], ips: string[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'ns', uid: `${name}-uid`, resourceVersion: '7', ...mirroredSliceMetadata(ep) },
    addressType,
    ports,
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  } as EndpointSlice;
}

const plan = (ep: Endpoints, existing: EndpointSlice[]) => planSliceChanges(ep, desiredMirror(ep).slices, existing);
/** Compact view of a plan: created generateNames, updated names with IPs, deleted names. */
const view = (changes: ReturnType<typeof plan>) => ({
  create: changes.create.map((s) => `${s.metadata.generateName} ${s.endpoints?.map((e) => e.addresses[0]).join(' ')}`),
  update: changes.update.map((s) => `${s.metadata.name} ${s.endpoints?.map((e) => e.addresses[0]).join(' ')}`),
  delete: changes.delete.map((s) => s.metadata.name),
});

describe('planSliceChanges', () => {
  const ep = endpoints([{ addresses: [{ ip: '10.0.0.1' }], ports: [http] }]);

  it.each<[string, Endpoints, EndpointSlice[], ReturnType<typeof view>]>([
    ['creates what is missing', ep, [], { create: ['ext- 10.0.0.1'], update: [], delete: [] }],
    ['leaves an up-to-date slice alone', ep, [slice('ext-a', ep, 'IPv4', [http], ['10.0.0.1'])], { create: [], update: [], delete: [] }],
    ['rewrites a slice whose endpoints changed', ep, [slice('ext-a', ep, 'IPv4', [http], ['10.0.0.9'])], { create: [], update: ['ext-a 10.0.0.1'], delete: [] }],
    ['rewrites a slice whose labels drifted', ep, [slice('ext-a', endpoints([], { stale: 'yes' }), 'IPv4', [http], ['10.0.0.1'])], { create: [], update: ['ext-a 10.0.0.1'], delete: [] }],
    ['keeps the first of duplicate slices and deletes the rest', ep, [slice('ext-a', ep, 'IPv4', [http], ['10.0.0.1']), slice('ext-b', ep, 'IPv4', [http], ['10.0.0.1'])], { create: [], update: [], delete: ['ext-b'] }],
    ['deletes everything when nothing is desired', endpoints([]), [slice('ext-a', endpoints([]), 'IPv4', [http], ['10.0.0.1'])], { create: [], update: [], delete: ['ext-a'] }],
    ['recycles a slice of the same address type whose ports went away', ep, [slice('ext-a', ep, 'IPv4', [dns], ['10.0.0.1'])], { create: [], update: ['ext-a 10.0.0.1'], delete: [] }],
    ['does not recycle across address types', ep, [slice('ext-a', ep, 'IPv6', [http], ['fd00::1'])], { create: ['ext- 10.0.0.1'], update: [], delete: ['ext-a'] }],
  ])('%s', (_name, endpointsObj, existing, want) => expect(view(plan(endpointsObj, existing))).toEqual(want));

  it('ignores endpoint order within a slice', () => {
    const two = endpoints([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [http] }]);
    expect(view(plan(two, [slice('ext-a', two, 'IPv4', [http], ['10.0.0.2', '10.0.0.1'])])).update).toEqual([]);
  });

  it('writes whole slices: new ones owned by the Endpoints, updates keeping name, uid and resourceVersion, with the new ports', () => {
    const created = plan(ep, []).create[0];
    expect(created).toMatchObject({ metadata: { generateName: 'ext-', namespace: 'ns', ownerReferences: [{ kind: 'Endpoints', name: 'ext', uid: 'ep-uid', controller: true }] }, addressType: 'IPv4', ports: [http] });
    const updated = plan(ep, [slice('ext-a', ep, 'IPv4', [dns], ['10.0.0.1'])]).update[0];
    expect(updated.metadata).toMatchObject({ name: 'ext-a', uid: 'ext-a-uid', resourceVersion: '7' });
    expect(updated.ports).toEqual([http]);
    expect(updated.endpoints).toEqual([{ addresses: ['10.0.0.1'], conditions: { ready: true } }]);
  });
});
