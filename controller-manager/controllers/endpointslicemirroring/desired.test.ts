import { describe, expect, it } from 'vitest';
import type { Endpoints, EndpointSubset } from '../../../pkg/api/core/v1/endpoints.ts';
import { desiredMirror, sliceKey } from './desired.ts';

const endpoints = (...subsets: EndpointSubset[]): Endpoints => ({ metadata: { name: 'ext', namespace: 'ns' }, subsets }) as Endpoints;
const http = { name: 'http', port: 80, protocol: 'TCP' };
const dns = { name: 'dns', port: 53, protocol: 'UDP' };
/** Compact view: per slice "<type> <ports> <ip>[!]..." (`!` = not ready). */
const view = (ep: Endpoints, max?: number) =>
  desiredMirror(ep, max)
    .slices.map((s) => `${s.addressType} ${s.ports.map((p) => p.port).join(',')} ${s.endpoints.map((e) => e.addresses[0] + (e.conditions?.ready ? '' : '!')).join(' ')}`)
    .sort();

describe('desiredMirror', () => {
  it.each<[string, Endpoints, string[]]>([
    ['no subsets: no slice', endpoints(), []],
    ['ready and not-ready addresses in one slice', endpoints({ addresses: [{ ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.0.2' }], ports: [http] }), ['IPv4 80 10.0.0.1 10.0.0.2!']],
    ['one slice per address family', endpoints({ addresses: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], ports: [http] }), ['IPv4 80 10.0.0.1', 'IPv6 80 fd00::1']],
    [
      'one slice per port set',
      endpoints({ addresses: [{ ip: '10.0.0.1' }], ports: [http] }, { addresses: [{ ip: '10.0.0.2' }], ports: [dns] }),
      ['IPv4 53 10.0.0.2', 'IPv4 80 10.0.0.1'],
    ],
    ['subsets with the same ports share a slice', endpoints({ addresses: [{ ip: '10.0.0.1' }], ports: [http] }, { addresses: [{ ip: '10.0.0.2' }], ports: [http] }), ['IPv4 80 10.0.0.1 10.0.0.2']],
    ['addresses without ports mirror to a slice without ports', endpoints({ addresses: [{ ip: '10.0.0.1' }] }), ['IPv4  10.0.0.1']],
    ['invalid addresses are skipped', endpoints({ addresses: [{ ip: 'bogus' }, { ip: '10.0.0.1' }], ports: [http] }), ['IPv4 80 10.0.0.1']],
  ])('%s', (_name, ep, want) => expect(view(ep)).toEqual(want));

  it('takes at most maxEndpointsPerSubset addresses per subset, ready ones first, and counts the rest', () => {
    const ep = endpoints({ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], notReadyAddresses: [{ ip: '10.0.0.3' }], ports: [http] }, { addresses: [{ ip: '10.0.1.1' }], ports: [dns] });
    expect(view(ep, 2)).toEqual(['IPv4 53 10.0.1.1', 'IPv4 80 10.0.0.1 10.0.0.2']);
    expect(desiredMirror(ep, 2)).toMatchObject({ invalidAddresses: 0, skippedAddresses: 1 });
  });

  it('does not count invalid addresses against the cap, but as skipped', () => {
    // '1.2.3' sorts first, so it is met before the cap is reached.
    const ep = endpoints({ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '1.2.3' }], ports: [http] });
    expect(view(ep, 2)).toEqual(['IPv4 80 10.0.0.1 10.0.0.2']);
    expect(desiredMirror(ep, 2)).toMatchObject({ invalidAddresses: 1, skippedAddresses: 1 });
  });

  it('mirrors 1000 addresses of a subset by default and skips the 1001st', () => {
    const addresses = Array.from({ length: 1001 }, (_, i) => ({ ip: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
    const result = desiredMirror(endpoints({ addresses, ports: [http] }));
    expect(result.slices.map((s) => s.endpoints.length)).toEqual([1000]);
    expect(result.skippedAddresses).toBe(1);
  });

  it('keys slices by address type and port set, not port order', () => {
    const ep = endpoints({ addresses: [{ ip: '10.0.0.1' }], ports: [dns, http] });
    expect(desiredMirror(ep).slices[0].key).toBe(sliceKey('IPv4', [http, dns]));
    expect(sliceKey('IPv4', [http, dns])).toBe(sliceKey('IPv4', [dns, http]));
    expect(sliceKey('IPv4', [{ port: 80, protocol: 'TCP' }])).toBe(sliceKey('IPv4', [{ name: '', port: 80 }]));
    expect(sliceKey('IPv4', [http])).not.toBe(sliceKey('IPv6', [http]));
  });
});
