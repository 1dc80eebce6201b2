import { describe, expect, it } from 'vitest';
import { pickFreeSlot, nodePortRangeOffset, serviceIpRangeOffset } from './banded-range.ts';
import { dropTypeDependentFields, initIPFamilyFields, patchAllocatedValues, type ServiceSpecFields } from './service-fields.ts';

describe('band offsets (upstream calculateRangeOffset)', () => {
  it.each([
    [8, 0],
    [16, 0],
    [64, 16],
    [4096, 256],
    [1048576, 256],
  ])('service CIDR of %d addresses → %d', (size, offset) => expect(serviceIpRangeOffset(size)).toBe(offset));

  it.each([
    [2, 0],
    [2768, 86],
    [10000, 128],
  ])('node port range of %d → %d', (size, offset) => expect(nodePortRangeOffset(size)).toBe(offset));
});

describe('pickFreeSlot', () => {
  it.each([
    ['upper band from the random start', { size: 10, offset: 4, taken: [], random: 0 }, 4],
    ['skips taken slots', { size: 10, offset: 4, taken: [4, 5], random: 0 }, 6],
    ['wraps inside the band', { size: 10, offset: 4, taken: [9], random: 0.99 }, 4],
    ['falls back to the lower band', { size: 10, offset: 4, taken: [4, 5, 6, 7, 8, 9], random: 0 }, 0],
    ['respects exclusions', { size: 4, offset: 0, taken: [], excluded: [0], random: 0 }, 1],
    ['full', { size: 3, offset: 1, taken: [1, 2], excluded: [0], random: 0 }, undefined],
  ])('%s', (_title, o, expected) => {
    const picked = pickFreeSlot({ size: o.size, offset: o.offset, taken: new Set(o.taken), excluded: new Set((o as { excluded?: number[] }).excluded ?? []), random: () => o.random });
    expect(picked).toBe(expected);
  });
});

describe('initIPFamilyFields on an IPv4 cluster', () => {
  it.each<[string, ServiceSpecFields, ServiceSpecFields | string]>([
    ['ClusterIP', { type: 'ClusterIP' }, { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] }],
    ['PreferDualStack stays single', { ipFamilyPolicy: 'PreferDualStack' }, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'] }],
    ['RequireDualStack', { ipFamilyPolicy: 'RequireDualStack' }, 'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services'],
    ['IPv6 family', { ipFamilies: ['IPv6'] }, 'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster'],
    ['headless with selector', { clusterIP: 'None', clusterIPs: ['None'], selector: { a: 'b' } }, { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] }],
    ['ExternalName', { type: 'ExternalName' }, {}],
  ])('%s', (_title, spec, expected) => {
    const errors = initIPFamilyFields(spec, undefined, 'IPv4');
    if (typeof expected === 'string') expect(errors.map((e) => `${e.field}: ${e.detail}`)).toEqual([expected]);
    else {
      expect(errors).toEqual([]);
      expect({ ipFamilyPolicy: spec.ipFamilyPolicy, ipFamilies: spec.ipFamilies }).toEqual({ ipFamilyPolicy: expected.ipFamilyPolicy, ipFamilies: expected.ipFamilies });
    }
  });
});

describe('update helpers', () => {
  it('patchAllocatedValues restores omitted allocations by port name', () => {
    const old: ServiceSpecFields = { type: 'NodePort', clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'], ports: [{ name: 'a', port: 80, nodePort: 30001 }, { name: 'b', port: 81, nodePort: 30002 }] };
    const spec: ServiceSpecFields = { type: 'NodePort', ports: [{ name: 'b', port: 81 }, { name: 'a', port: 80, nodePort: 30003 }] };
    patchAllocatedValues(spec, old);
    expect(spec).toEqual({ type: 'NodePort', clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'], ports: [{ name: 'b', port: 81, nodePort: 30002 }, { name: 'a', port: 80, nodePort: 30003 }] });
  });

  it('dropTypeDependentFields clears unchanged node ports and traffic policy on NodePort → ClusterIP', () => {
    const old: ServiceSpecFields = { type: 'NodePort', externalTrafficPolicy: 'Cluster', ports: [{ port: 80, nodePort: 30001 }] };
    const spec: ServiceSpecFields = { type: 'ClusterIP', externalTrafficPolicy: 'Cluster', ports: [{ port: 80, nodePort: 30001 }] };
    dropTypeDependentFields(spec, old);
    expect(spec).toEqual({ type: 'ClusterIP', ports: [{ port: 80 }] });
  });

  it('dropTypeDependentFields keeps a node port the client changed (validation then rejects it)', () => {
    const spec: ServiceSpecFields = { type: 'ClusterIP', ports: [{ port: 80, nodePort: 30009 }] };
    dropTypeDependentFields(spec, { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] });
    expect(spec.ports?.[0].nodePort).toBe(30009);
  });
});
