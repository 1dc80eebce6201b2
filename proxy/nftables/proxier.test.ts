import { describe, expect, it } from 'vitest';
import type { ProxierHost } from '../iptables/proxier.ts';
import { NftProxier } from './proxier.ts';

describe('NftProxier.setup', () => {
  it('sets ip_forward only (no route_localnet: NodePorts never answer on 127.0.0.0/8 in this mode), and sync sets none', async () => {
    const calls: string[] = [];
    const host: ProxierHost = { setSysctl: async (n, v) => void calls.push(`${n}=${v}`), clearUdpConntrack: async () => undefined };
    const p = new NftProxier(async () => ({ code: 0, stdout: '', stderr: '' }), host, { nodeName: 'n1' });
    await p.sync();
    expect(calls).toEqual([]);
    await p.setup();
    expect(calls).toEqual(['net/ipv4/ip_forward=1']);
  });
});
