import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { endpointsOfSlices, servicePortsOf } from '../model.ts';
import type { ProxiedServicePort } from '../iptables/render.ts';
import type { ServiceLike } from '../types.ts';
import { nftElements, renderNftDelta, renderNftFull } from './render.ts';

const here = dirname(fileURLToPath(import.meta.url));

function proxied(svc: ServiceLike, ips: string[]): ProxiedServicePort[] {
  const eps = endpointsOfSlices(
    ips.length ? [{ metadata: { name: 's' }, addressType: 'IPv4', ports: [{ name: 'p80', port: 8080 }], endpoints: ips.map((ip) => ({ addresses: [ip] })) }] : [],
    'ns1', svc.metadata.name, 'node1',
  );
  return [...servicePortsOf(svc)].map(([key, info]) => ({ key, info, endpoints: eps.get(key) ?? [] }));
}
const svc = (name: string, ip: string, nodePort?: number): ServiceLike => ({
  metadata: { name, namespace: 'ns1' },
  spec: { type: nodePort ? 'NodePort' : 'ClusterIP', clusterIP: ip, ports: [{ name: 'p80', port: 80, nodePort }] },
});

describe('nftables renderer', () => {
  it.each([
    ['clusterip', [...proxied(svc('a', '10.96.0.10'), ['10.244.1.2', '10.244.1.3'])]],
    ['nodeport-and-empty', [...proxied(svc('b', '10.96.0.11', 30011), ['10.244.1.2']), ...proxied(svc('c', '10.96.0.12', 30012), [])]],
  ] as Array<[string, ProxiedServicePort[]]>)('golden %s', (name, services) => {
    const text = renderNftFull(nftElements(services), { clusterCIDR: '10.244.0.0/16' });
    const file = join(here, 'testdata', `${name}.golden`);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
  it('spreads 16 buckets over the endpoints', () => {
    const el = nftElements(proxied(svc('a', '10.96.0.10'), ['10.244.1.2', '10.244.1.3', '10.244.1.4']));
    const counts = new Map<string, number>();
    for (const v of el['service-endpoints'].values()) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.values()].sort()).toEqual([5, 5, 6]);
  });
  it('a delta touches only changed elements', () => {
    const before = nftElements(proxied(svc('a', '10.96.0.10'), ['10.244.1.2', '10.244.1.3']));
    const after = nftElements(proxied(svc('a', '10.96.0.10'), ['10.244.1.2']));
    const delta = renderNftDelta(before, after);
    expect(delta).toBe(
      'delete element ip kube-proxy service-endpoints { 10.96.0.10 . tcp . 80 . 1, 10.96.0.10 . tcp . 80 . 3, 10.96.0.10 . tcp . 80 . 5, 10.96.0.10 . tcp . 80 . 7, 10.96.0.10 . tcp . 80 . 9, 10.96.0.10 . tcp . 80 . 11, 10.96.0.10 . tcp . 80 . 13, 10.96.0.10 . tcp . 80 . 15 }\n' +
        'add element ip kube-proxy service-endpoints { 10.96.0.10 . tcp . 80 . 1 : 10.244.1.2 . 8080, 10.96.0.10 . tcp . 80 . 3 : 10.244.1.2 . 8080, 10.96.0.10 . tcp . 80 . 5 : 10.244.1.2 . 8080, 10.96.0.10 . tcp . 80 . 7 : 10.244.1.2 . 8080, 10.96.0.10 . tcp . 80 . 9 : 10.244.1.2 . 8080, 10.96.0.10 . tcp . 80 . 11 : 10.244.1.2 . 8080, 10.96.0.10 . tcp . 80 . 13 : 10.244.1.2 . 8080, 10.96.0.10 . tcp . 80 . 15 : 10.244.1.2 . 8080 }\n',
    );
    expect(renderNftDelta(after, after)).toBe('');
  });
});
