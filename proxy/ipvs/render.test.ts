import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { endpointsOfSlices, servicePortsOf } from '../model.ts';
import type { ServiceLike } from '../types.ts';
import { assertIpvsSupported } from './kernel.ts';
import { renderIpvsRules } from './render.ts';

const here = dirname(fileURLToPath(import.meta.url));

describe('renderIpvsRules', () => {
  it('golden: NodePort with ClientIP affinity and an externalIP', () => {
    const svc: ServiceLike = {
      metadata: { name: 'web', namespace: 'ns1' },
      spec: { type: 'NodePort', clusterIP: '10.96.0.10', externalIPs: ['192.0.2.5'], sessionAffinity: 'ClientIP', ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP' }] },
    };
    const eps = endpointsOfSlices([{ metadata: { name: 's' }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080 }, { name: 'dns', port: 5353, protocol: 'UDP' }], endpoints: [{ addresses: ['10.244.1.2'] }, { addresses: ['10.244.1.3'] }] }], 'ns1', 'web', 'n1');
    const r = renderIpvsRules([...servicePortsOf(svc)].map(([key, info]) => ({ key, info, endpoints: eps.get(key) ?? [] })));
    const text = `# ipvsadm-restore\n${r.ipvsadm}# ipset restore\n${r.ipset}# kube-ipvs0\n${r.dummyAddresses.join('\n')}\n`;
    const file = join(here, 'testdata', 'nodeport-affinity.golden');
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
  it('sends a zone-hinted service only to the endpoints hinted for the node\'s zone', () => {
    const svc: ServiceLike = { metadata: { name: 'web', namespace: 'ns1' }, spec: { clusterIP: '10.96.0.11', ports: [{ port: 80 }] } };
    const hinted = (ip: string, zone: string) => ({ addresses: [ip], zone, hints: { forZones: [{ name: zone }] } });
    const eps = endpointsOfSlices([{ metadata: { name: 's' }, addressType: 'IPv4', ports: [{ port: 8080 }], endpoints: [hinted('10.244.1.2', 'a'), hinted('10.244.2.2', 'b')] }], 'ns1', 'web', 'n1');
    const services = [...servicePortsOf(svc)].map(([key, info]) => ({ key, info, endpoints: eps.get(key) ?? [] }));
    const realServers = (zone?: string) => renderIpvsRules(services, 'rr', zone).ipvsadm.split('\n').filter((l) => l.startsWith('-a '));
    expect(realServers('b')).toEqual(['-a -t 10.96.0.11:80 -r 10.244.2.2:8080 -m -w 1']);
    expect(realServers()).toHaveLength(2);
  });
  it('fails clearly when the kernel lacks IPVS', () => {
    expect(() => assertIpvsSupported('/nonexistent/ip_vs', () => undefined)).toThrow(/no IPVS support/);
  });
});
