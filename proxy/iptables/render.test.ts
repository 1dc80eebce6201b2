import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { endpointsOfSlices, servicePortsOf } from '../model.ts';
import type { EndpointSliceLike, ServiceLike } from '../types.ts';
import { serviceChain } from './chain-names.ts';
import { probability, renderIptablesRules, type ProxiedServicePort } from './render.ts';

const here = dirname(fileURLToPath(import.meta.url));

function proxied(svc: ServiceLike, slices: EndpointSliceLike[], node = 'node1'): ProxiedServicePort[] {
  const eps = endpointsOfSlices(slices, svc.metadata.namespace ?? 'default', svc.metadata.name, node);
  return [...servicePortsOf(svc)].map(([key, info]) => ({ key, info, endpoints: eps.get(key) ?? [] }));
}

function slice(ports: EndpointSliceLike['ports'], ips: Array<[string, string?]>): EndpointSliceLike {
  return { metadata: { name: 's' }, addressType: 'IPv4', ports, endpoints: ips.map(([ip, nodeName]) => ({ addresses: [ip], nodeName: nodeName ?? 'node2' })) };
}

function svc(name: string, spec: NonNullable<ServiceLike['spec']>): ServiceLike {
  return { metadata: { name, namespace: 'ns1' }, spec };
}

const webapp = parse(readFileSync('/work/shared/fixtures/seeds/webapp-two-ports.yaml', 'utf8')) as ServiceLike;
webapp.spec = { ...webapp.spec, clusterIP: '10.96.0.20' };

const cases: Array<[string, ProxiedServicePort[]]> = [
  ['clusterip', proxied(svc('svc1', { clusterIP: '10.96.0.10', ports: [{ name: 'p80', port: 80 }] }), [slice([{ name: 'p80', port: 8080 }], [['10.244.1.2'], ['10.244.1.3']])])],
  ['nodeport', proxied(svc('svc2', { type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ name: 'p80', port: 80, nodePort: 30080 }] }), [slice([{ name: 'p80', port: 8080 }], [['10.244.1.2'], ['10.244.1.3'], ['10.244.2.4']])])],
  ['multiport', proxied(webapp, [slice([{ name: 'web', port: 8080 }, { name: 'management', port: 8005 }], [['10.244.1.5']])])],
  ['udp-tcp', proxied(svc('dns', { clusterIP: '10.96.0.53', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }), [slice([{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }], [['10.244.1.7'], ['10.244.2.8']])])],
  ['affinity', proxied(svc('sticky', { clusterIP: '10.96.0.12', sessionAffinity: 'ClientIP', ports: [{ name: 'p80', port: 80 }] }), [slice([{ name: 'p80', port: 80 }], [['10.244.1.2'], ['10.244.1.3']])])],
  ['no-endpoints', proxied(svc('empty', { type: 'NodePort', clusterIP: '10.96.0.13', externalIPs: ['192.0.2.10'], ports: [{ name: 'p80', port: 80, nodePort: 30081 }] }), [])],
  ['local-policy', proxied(svc('local', { type: 'NodePort', clusterIP: '10.96.0.14', externalTrafficPolicy: 'Local', ports: [{ name: 'p80', port: 80, nodePort: 30082 }] }), [slice([{ name: 'p80', port: 8080 }], [['10.244.1.2', 'node1'], ['10.244.2.3', 'node2']])])],
];

describe('renderIptablesRules golden payloads', () => {
  it.each(cases)('%s', (name, services) => {
    const rules = renderIptablesRules(services, { clusterCIDR: '10.244.0.0/16' });
    const text = `${rules.filter}${rules.nat}`;
    const file = join(here, 'testdata', `${name}.golden`);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});

describe('--nodeport-addresses', () => {
  it('golden nodeport-addresses: one KUBE-NODEPORTS jump per selected address instead of addrtype LOCAL', () => {
    const rules = renderIptablesRules(cases[1]![1], { clusterCIDR: '10.244.0.0/16', nodePortIPs: ['192.168.77.1', '192.168.77.3'] });
    const text = `${rules.filter}${rules.nat}`;
    const file = join(here, 'testdata', 'nodeport-addresses.golden');
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
  it('no matching address: NodePorts are reached from nowhere', () => {
    const rules = renderIptablesRules(cases[1]![1], { nodePortIPs: [] });
    expect(rules.nat).not.toContain('-j KUBE-NODEPORTS');
  });
});

describe('rule shapes', () => {
  it('names chains as upstream', () => {
    expect(serviceChain('default/kubernetes:https', 'TCP')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
  });
  it.each([
    [2, '0.5000000000'],
    [3, '0.3333333333'],
    [5, '0.2000000000'],
  ])('probability 1/%i is %s', (n, s) => expect(probability(n)).toBe(s));

  it('partial sync writes only changed service chains and deletes stale ones', () => {
    const a = cases[0]![1];
    const b = cases[1]![1];
    const rules = renderIptablesRules([...a, ...b], {
      changedServices: new Set([b[0]!.key]),
      existingNatChains: ['KUBE-SVC-AAAAAAAAAAAAAAAA', serviceChain('ns1/svc1:p80', 'tcp')],
    });
    expect(rules.nat).not.toContain(`:${serviceChain('ns1/svc1:p80', 'tcp')}`);
    expect(rules.nat).toContain(`:${serviceChain('ns1/svc2:p80', 'tcp')}`);
    expect(rules.nat).toContain('-X KUBE-SVC-AAAAAAAAAAAAAAAA');
    expect(rules.nat).not.toContain(`-X ${serviceChain('ns1/svc1:p80', 'tcp')}`);
  });
});
