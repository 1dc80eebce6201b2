import { describe, expect, it } from 'vitest';
import type { EndpointSubset } from '../../../pkg/api/core/v1/endpoints.ts';
import { repackSubsets } from './repack.ts';

const http = { name: 'http', port: 80, protocol: 'TCP' };
const https = { name: 'https', port: 443, protocol: 'TCP' };
const ips = (subset: { addresses: readonly { ip: string }[]; notReadyAddresses: readonly { ip: string }[]; ports: readonly { port: number }[] }) => ({
  ready: subset.addresses.map((a) => a.ip),
  notReady: subset.notReadyAddresses.map((a) => a.ip),
  ports: subset.ports.map((p) => p.port),
});

describe('repackSubsets', () => {
  it.each<[string, EndpointSubset[], ReturnType<typeof ips>[]]>([
    ['nothing', [], []],
    ['a subset without addresses disappears', [{ ports: [http] }], []],
    ['addresses sorted by IP text', [{ addresses: [{ ip: '10.0.0.2' }, { ip: '10.0.0.10' }, { ip: '10.0.0.1' }], ports: [http] }], [{ ready: ['10.0.0.1', '10.0.0.10', '10.0.0.2'], notReady: [], ports: [80] }]],
    ['duplicate addresses count once', [{ addresses: [{ ip: '10.0.0.1' }], ports: [http] }, { addresses: [{ ip: '10.0.0.1' }], ports: [http] }], [{ ready: ['10.0.0.1'], notReady: [], ports: [80] }]],
    ['not-ready wins over ready for the same port', [{ addresses: [{ ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [http] }], [{ ready: [], notReady: ['10.0.0.1'], ports: [80] }]],
    [
      'ports with the same addresses merge into one subset',
      [{ addresses: [{ ip: '10.0.0.1' }], ports: [http] }, { addresses: [{ ip: '10.0.0.1' }], ports: [https] }],
      [{ ready: ['10.0.0.1'], notReady: [], ports: [80, 443] }],
    ],
    [
      'ports with different addresses stay apart',
      [{ addresses: [{ ip: '10.0.0.1' }], ports: [http] }, { addresses: [{ ip: '10.0.0.2' }], ports: [https] }],
      [{ ready: ['10.0.0.1'], notReady: [], ports: [80] }, { ready: ['10.0.0.2'], notReady: [], ports: [443] }],
    ],
    ['addresses without ports are kept, without ports', [{ addresses: [{ ip: '10.0.0.1' }] }], [{ ready: ['10.0.0.1'], notReady: [], ports: [] }]],
  ])('%s', (_name, subsets, want) => {
    expect(repackSubsets(subsets).map(ips).sort((a, b) => [...a.ready, ...a.notReady].join().localeCompare([...b.ready, ...b.notReady].join()))).toEqual(want);
  });

  it('keeps two targets sharing an IP apart (IP and target UID identify an address)', () => {
    const [subset] = repackSubsets([{ addresses: [{ ip: '10.0.0.1', targetRef: { kind: 'Pod', name: 'b', uid: 'u2' } }, { ip: '10.0.0.1', targetRef: { kind: 'Pod', name: 'a', uid: 'u1' } }], ports: [http] }]);
    expect(subset.addresses.map((a) => a.targetRef?.name)).toEqual(['a', 'b']);
  });
});
