import { describe, expect, it } from 'vitest';
import {
  addressesFromIpJson,
  cidrContains,
  matchesAllAddresses,
  resolvePrimary,
  selectNodePortIPs,
  validateNodePortAddresses,
} from './node-port-addresses.ts';
import { wantedSockets } from './node-ports.ts';

const local = ['127.0.0.1', '10.0.0.5', '192.168.77.1', '192.168.77.2', '172.16.0.9'];

describe('--nodeport-addresses', () => {
  it.each([
    [[], undefined],
    [['0.0.0.0/0'], undefined],
    [['10.0.0.0/8', '0.0.0.0/0'], undefined],
    [['2001:db8::/32'], undefined], // no IPv4 CIDR: every IPv4 address (upstream adds 0.0.0.0/0)
    [['192.168.77.0/24'], ['192.168.77.1', '192.168.77.2']],
    [['192.168.77.2/32', '10.0.0.0/8'], ['10.0.0.5', '192.168.77.2']],
    [['192.168.77.1/32', '192.168.0.0/16'], ['192.168.77.1', '192.168.77.2']],
    [['127.0.0.0/8'], ['127.0.0.1']],
    [['203.0.113.0/24'], []],
    [['2001:db8::/32', '172.16.0.0/12'], ['172.16.0.9']],
  ] as Array<[string[], string[] | undefined]>)('%j selects %j', (cidrs, want) => {
    expect(selectNodePortIPs(cidrs, local)).toEqual(want);
    expect(matchesAllAddresses(cidrs)).toBe(want === undefined);
  });

  it.each([
    [['10.0.0.0/8'], []],
    [['primary'], []],
    [['2001:db8::/32', '10.1.2.3/32'], []],
    [['foo'], [{ index: 0, message: '"foo": must be a valid CIDR' }]],
    [['10.0.0.0/8', '1.2.3'], [{ index: 1, message: '"1.2.3": must be a valid CIDR' }]],
    [['10.0.0.0/33'], [{ index: 0, message: '"10.0.0.0/33": must be a valid CIDR' }]],
    [['256.0.0.0/8'], [{ index: 0, message: '"256.0.0.0/8": must be a valid CIDR' }]],
    [['10.0.0.1'], [{ index: 0, message: '"10.0.0.1": must be a valid CIDR' }]],
    [['primary', '10.0.0.0/8'], [{ index: 0, message: `"primary": can't use both 'primary' and CIDRs` }]],
    [['10.0.0.0/8', 'primary'], [{ index: 1, message: `"primary": can't use both 'primary' and CIDRs` }]],
  ] as Array<[string[], unknown[]]>)('validate %j', (values, problems) => {
    expect(validateNodePortAddresses(values)).toEqual(problems);
  });

  it.each([
    [['primary'], '192.168.77.1', ['192.168.77.1/32']],
    [['primary'], undefined, []],
    [['primary'], '127.0.0.1', []],
    [['10.0.0.0/8'], '192.168.77.1', ['10.0.0.0/8']],
  ] as Array<[string[], string | undefined, string[]]>)('resolvePrimary(%j, %s) = %j', (values, nodeIP, want) => {
    expect(resolvePrimary(values, nodeIP)).toEqual(want);
  });

  it.each([
    ['10.0.0.0/8', '10.255.1.1', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.168.77.1/32', '192.168.77.1', true],
    ['192.168.77.1/32', '192.168.77.2', false],
    ['192.168.77.5/24', '192.168.77.200', true], // host bits are masked off
    ['0.0.0.0/0', '8.8.8.8', true],
    ['2001:db8::/32', '10.0.0.1', false],
  ])('%s contains %s: %s', (cidr, ip, want) => expect(cidrContains(cidr, ip)).toBe(want));

  it('reads IPv4 addresses from `ip -j addr show`', () => {
    const json = JSON.stringify([
      { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1' }, { family: 'inet6', local: '::1' }] },
      { ifname: 'd0', addr_info: [{ family: 'inet', local: '192.168.77.1' }] },
      { ifname: 'd1' },
    ]);
    expect(addressesFromIpJson(json)).toEqual(['127.0.0.1', '192.168.77.1']);
  });

  it('NodePort sockets: one per port on every address, or one per port and selected address', () => {
    const ports = [{ port: 30080, protocol: 'TCP' as const }, { port: 30053, protocol: 'UDP' as const }, { port: 30099, protocol: 'SCTP' as const }, { port: 0, protocol: 'TCP' as const }];
    expect([...wantedSockets(ports, undefined).keys()]).toEqual(['TCP//30080', 'UDP//30053']);
    expect([...wantedSockets(ports, ['192.168.77.1', '10.0.0.5']).keys()]).toEqual(['TCP/192.168.77.1/30080', 'TCP/10.0.0.5/30080', 'UDP/192.168.77.1/30053', 'UDP/10.0.0.5/30053']);
    expect([...wantedSockets(ports, []).keys()]).toEqual([]);
  });
});
