import { describe, expect, it } from 'vitest';
import { addressToEndpoint, canonicalIP, toSlicePorts } from './address.ts';

describe('canonicalIP', () => {
  it.each([
    ['10.0.0.1', { family: 'IPv4', text: '10.0.0.1' }],
    ['010.000.0.01', { family: 'IPv4', text: '10.0.0.1' }],
    ['FD00:0:0::1', { family: 'IPv6', text: 'fd00::1' }],
    ['::ffff:192.0.2.7', { family: 'IPv4', text: '192.0.2.7' }],
    ['not-an-ip', undefined],
    ['256.0.0.1', undefined],
    ['fe80::1%eth0', undefined],
    ['', undefined],
  ])('%j → %j', (text, want) => expect(canonicalIP(text)).toEqual(want));
});

describe('addressToEndpoint', () => {
  it('copies hostname, nodeName and targetRef and sets conditions.ready', () => {
    const targetRef = { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u' };
    expect(addressToEndpoint({ ip: '10.0.0.1', hostname: 'h', nodeName: 'n1', targetRef }, false)).toEqual({
      addressType: 'IPv4',
      endpoint: { addresses: ['10.0.0.1'], conditions: { ready: false }, hostname: 'h', nodeName: 'n1', targetRef },
    });
    expect(addressToEndpoint({ ip: '2001:db8::1' }, true)).toEqual({ addressType: 'IPv6', endpoint: { addresses: ['2001:db8::1'], conditions: { ready: true } } });
  });

  it('skips what is not an IP', () => {
    expect(addressToEndpoint({ ip: 'example.com' }, true)).toBeUndefined();
  });
});

describe('toSlicePorts', () => {
  it('names unnamed ports "" and defaults the protocol', () => {
    expect(toSlicePorts([{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP', appProtocol: 'dns' }])).toEqual([
      { name: '', port: 80, protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP', appProtocol: 'dns' },
    ]);
  });
});
