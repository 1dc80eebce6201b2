import { describe, expect, it } from 'vitest';
import { cidrWarnings, ipWarnings } from '../../validation/ip-warnings.ts';
import type { Service } from './service.ts';
import { serviceWarnings } from './service-warnings.ts';

const svc = (spec: Service['spec'], annotations?: Record<string, string>): Service => ({ metadata: { name: 's', annotations }, spec } as Service);

describe('ipWarnings / cidrWarnings (upstream GetWarningsForIP / GetWarningsForCIDR)', () => {
  it.each([
    ['10.0.0.1', []],
    ['010.0.0.1', ['p: non-standard IP address "010.0.0.1" will be considered invalid in a future Kubernetes release: use "10.0.0.1"']],
    ['::ffff:1.2.3.4', ['p: non-standard IP address "::ffff:1.2.3.4" will be considered invalid in a future Kubernetes release: use "1.2.3.4"']],
    ['2001:DB8::1', ['p: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")']],
    ['2001:db8:0:0:0:0:0:1', ['p: IPv6 address "2001:db8:0:0:0:0:0:1" should be in RFC 5952 canonical format ("2001:db8::1")']],
    ['2001:db8::1', []],
    ['bogus', []],
  ])('IP %s', (value, want) => expect(ipWarnings('p', value)).toEqual(want));
  it.each([
    ['10.0.0.0/8', []],
    ['10.0.0.1/8', ['p: CIDR value "10.0.0.1/8" is ambiguous in this context (should be "10.0.0.0/8" or "10.0.0.1/32"?)']],
    ['010.0.0.0/8', ['p: non-standard CIDR value "010.0.0.0/8" will be considered invalid in a future Kubernetes release: use "10.0.0.0/8"']],
    ['2001:DB8::/64', ['p: IPv6 CIDR value "2001:DB8::/64" should be in RFC 5952 canonical format ("2001:db8::/64")']],
    ['2001:db8::1/64', ['p: CIDR value "2001:db8::1/64" is ambiguous in this context (should be "2001:db8::/64" or "2001:db8::1/128"?)']],
  ])('CIDR %s', (value, want) => expect(cidrWarnings('p', value)).toEqual(want));
});

describe('serviceWarnings (upstream GetWarningsForService, 1.33)', () => {
  it.each<[string, Service, string[]]>([
    ['a plain ClusterIP service', svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] }), []],
    ['the deprecated topology-aware-hints annotation', svc({ type: 'ClusterIP' }, { 'service.kubernetes.io/topology-aware-hints': 'auto' }), ['annotation service.kubernetes.io/topology-aware-hints is deprecated, please use service.kubernetes.io/topology-mode instead']],
    ['non-standard cluster, external and load balancer IPs and ranges', svc({ type: 'LoadBalancer', clusterIP: '010.96.0.10', clusterIPs: ['010.96.0.10'], externalIPs: ['1.2.3.4', '2001:DB8::1'], loadBalancerIP: '001.2.3.4', loadBalancerSourceRanges: ['10.0.0.1/8'] }), [
      'spec.clusterIPs[0]: non-standard IP address "010.96.0.10" will be considered invalid in a future Kubernetes release: use "10.96.0.10"',
      'spec.externalIPs[1]: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")',
      'spec.loadBalancerIP: non-standard IP address "001.2.3.4" will be considered invalid in a future Kubernetes release: use "1.2.3.4"',
      'spec.loadBalancerSourceRanges[0]: CIDR value "10.0.0.1/8" is ambiguous in this context (should be "10.0.0.0/8" or "10.0.0.1/32"?)',
    ]],
    ['a headless service: cluster IPs not checked', svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] }), []],
    ['externalIPs on ExternalName', svc({ type: 'ExternalName', externalName: 'example.com', externalIPs: ['1.2.3.4'] }), ['spec.externalIPs is ignored when spec.type is "ExternalName"']],
    ['externalName on ClusterIP', svc({ type: 'ClusterIP', externalName: 'example.com' }), ['spec.externalName is ignored when spec.type is not "ExternalName"']],
  ])('%s', (_name, service, want) => expect(serviceWarnings(service)).toEqual(want));
});
