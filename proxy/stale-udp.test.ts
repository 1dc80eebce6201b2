import { describe, expect, it } from 'vitest';
import type { EndpointInfo, ServicePortInfo } from './model.ts';
import { staleUdpEntries } from './stale-udp.ts';

const ep = (ip: string, ready = true): EndpointInfo => ({ ip, port: 53, endpoint: `${ip}:53`, ready, serving: ready, terminating: false, isLocal: false });
const info = (protocol: 'UDP' | 'TCP', extra: Partial<ServicePortInfo> = {}): ServicePortInfo => ({
  servicePortName: 'ns/dns:p', namespace: 'ns', name: 'dns', portName: 'p', protocol, clusterIP: '10.96.0.10', port: 53, nodePort: 0,
  externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [], externalPolicyLocal: false, internalPolicyLocal: false,
  healthCheckNodePort: 0, stickyMaxAgeSeconds: 0, ...extra,
});
const key = 'ns/dns:p/UDP';

describe('staleUdpEntries', () => {
  it.each([
    ['a removed UDP endpoint', info('UDP'), [ep('10.244.1.2'), ep('10.244.1.3')], [ep('10.244.1.2')], [['10.96.0.10', '10.244.1.3']]],
    ['every endpoint gone', info('UDP'), [ep('10.244.1.2')], undefined, [['10.96.0.10', '10.244.1.2']]],
    ['an endpoint that stops being ready', info('UDP'), [ep('10.244.1.2'), ep('10.244.1.3')], [ep('10.244.1.2'), ep('10.244.1.3', false)], [['10.96.0.10', '10.244.1.3']]],
    ['an added endpoint only', info('UDP'), [ep('10.244.1.2')], [ep('10.244.1.2'), ep('10.244.1.3')], []],
    ['TCP', info('TCP'), [ep('10.244.1.2')], [], []],
    ['external and LB IPs too', info('UDP', { externalIPs: ['192.0.2.1'], loadBalancerIPs: ['198.51.100.1'] }), [ep('10.244.1.2')], [], [['10.96.0.10', '10.244.1.2'], ['192.0.2.1', '10.244.1.2'], ['198.51.100.1', '10.244.1.2']]],
  ] as const)('%s', (_, svc, before, after, want) => {
    const k = svc.protocol === 'UDP' ? key : 'ns/dns:p/TCP';
    const changes = new Map([['ns/dns', { previous: new Map([[k, [...before]]]), current: after ? new Map([[k, [...after]]]) : undefined }]]);
    const ports = new Map([['ns/dns', new Map([[k, svc]])]]);
    expect(staleUdpEntries(changes, ports).map((e) => [e.serviceIP, e.endpointIP])).toEqual(want);
  });
  it('a service that is gone too: nothing (its addresses are unknown)', () => {
    const changes = new Map([['ns/dns', { previous: new Map([[key, [ep('10.244.1.2')]]]), current: undefined }]]);
    expect(staleUdpEntries(changes, new Map())).toEqual([]);
  });
});

describe('nftables proxier', () => {
  it('clears the conntrack entries of a removed UDP endpoint after the sync', async () => {
    const { NftProxier } = await import('./nftables/proxier.ts');
    const cleared: string[] = [];
    const host = { setSysctl: async () => undefined, clearUdpConntrack: async (s: string, e: string) => void cleared.push(`${s} ${e}`) };
    const proxier = new NftProxier(async () => ({ code: 0, stdout: '', stderr: '' }), host, { nodeName: 'n1' });
    const slice = (ips: string[]) => ({
      metadata: { name: 'dns-x', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'dns' } },
      addressType: 'IPv4' as const,
      ports: [{ name: 'p', port: 53, protocol: 'UDP' as const }],
      endpoints: ips.map((ip) => ({ addresses: [ip] })),
    });
    proxier.onService('ns/dns', { metadata: { name: 'dns', namespace: 'ns' }, spec: { clusterIP: '10.96.0.10', ports: [{ name: 'p', port: 53, protocol: 'UDP' }] } });
    proxier.onEndpointSlice(slice(['10.244.1.2', '10.244.1.3']));
    await proxier.sync();
    expect(cleared).toEqual([]);
    proxier.onEndpointSlice(slice(['10.244.1.2']));
    await proxier.sync();
    expect(cleared).toEqual(['10.96.0.10 10.244.1.3']);
  });
});
