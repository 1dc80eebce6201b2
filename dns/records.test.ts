import { describe, expect, it } from 'vitest';
import { answer, type DnsEndpoint, type DnsService, type DnsView } from './records.ts';

const services: DnsService[] = [
  { namespace: 'default', name: 'web', type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  { namespace: 'db', name: 'redis', type: 'ClusterIP', clusterIP: 'None', ports: [{ name: 'redis', port: 6379 }] },
  { namespace: 'default', name: 'ext', type: 'ExternalName', externalName: 'example.org', ports: [] },
];
const endpoints: Record<string, DnsEndpoint[]> = {
  'db/redis': [
    { addresses: ['10.244.1.5'], ready: true, hostname: 'redis-0', ports: [{ name: 'redis', port: 6379 }] },
    { addresses: ['10.244.2.7'], ready: true, ports: [{ name: 'redis', port: 6379 }] },
    { addresses: ['10.244.3.9'], ready: false, ports: [] },
  ],
};
const view: DnsView = {
  domain: 'cluster.local',
  service: (ns, name) => services.find((s) => s.namespace === ns && s.name === name),
  endpoints: (ns, name) => endpoints[`${ns}/${name}`] ?? [],
  namespaceExists: (ns) => ['default', 'db', 'kube-system'].includes(ns),
  serviceByClusterIP: (ip) => services.find((s) => s.clusterIP === ip),
  endpointsByAddress: (ip) => Object.entries(endpoints).flatMap(([key, eps]) => eps.filter((e) => e.ready && e.addresses.includes(ip)).map((e) => ({ namespace: key.split('/')[0], service: key.split('/')[1], hostname: e.hostname }))),
};

describe('cluster DNS answers', () => {
  it.each([
    ['web.default.svc.cluster.local', 'A', { kind: 'records', records: [{ type: 'A', name: 'web.default.svc.cluster.local', address: '10.96.0.20' }] }],
    ['WEB.default.svc.cluster.local.', 'A', { kind: 'records', records: [{ type: 'A', name: 'web.default.svc.cluster.local', address: '10.96.0.20' }] }],
    ['web.default.svc.cluster.local', 'AAAA', { kind: 'records', records: [] }],
    ['redis.db.svc.cluster.local', 'A', { kind: 'records', records: [{ type: 'A', name: 'redis.db.svc.cluster.local', address: '10.244.1.5' }, { type: 'A', name: 'redis.db.svc.cluster.local', address: '10.244.2.7' }] }],
    ['redis-0.redis.db.svc.cluster.local', 'A', { kind: 'records', records: [{ type: 'A', name: 'redis-0.redis.db.svc.cluster.local', address: '10.244.1.5' }] }],
    ['10-244-2-7.redis.db.svc.cluster.local', 'A', { kind: 'records', records: [{ type: 'A', name: '10-244-2-7.redis.db.svc.cluster.local', address: '10.244.2.7' }] }],
    ['_http._tcp.web.default.svc.cluster.local', 'SRV', { kind: 'records', records: [{ type: 'SRV', name: '_http._tcp.web.default.svc.cluster.local', port: 80, priority: 0, weight: 100, target: 'web.default.svc.cluster.local' }] }],
    ['ext.default.svc.cluster.local', 'A', { kind: 'records', records: [{ type: 'CNAME', name: 'ext.default.svc.cluster.local', target: 'example.org' }] }],
    ['10-244-0-5.default.pod.cluster.local', 'A', { kind: 'records', records: [{ type: 'A', name: '10-244-0-5.default.pod.cluster.local', address: '10.244.0.5' }] }],
    ['missing.default.svc.cluster.local', 'A', { kind: 'nxdomain' }],
    ['web.nowhere.svc.cluster.local', 'A', { kind: 'nxdomain' }],
    ['default.svc.cluster.local', 'A', { kind: 'records', records: [] }],
    ['dns-version.cluster.local', 'TXT', { kind: 'records', records: [{ type: 'TXT', name: 'dns-version.cluster.local', text: '1.1.0' }] }],
    ['dns-version.cluster.local', 'A', { kind: 'records', records: [] }],
    ['nowhere.svc.cluster.local', 'A', { kind: 'nxdomain' }],
    ['example.org', 'A', { kind: 'forward' }],
    ['20.0.96.10.in-addr.arpa', 'PTR', { kind: 'records', records: [{ type: 'PTR', name: '20.0.96.10.in-addr.arpa', target: 'web.default.svc.cluster.local' }] }],
    ['5.1.244.10.in-addr.arpa.', 'PTR', { kind: 'records', records: [{ type: 'PTR', name: '5.1.244.10.in-addr.arpa', target: 'redis-0.redis.db.svc.cluster.local' }] }],
    ['7.2.244.10.in-addr.arpa', 'PTR', { kind: 'records', records: [{ type: 'PTR', name: '7.2.244.10.in-addr.arpa', target: '10-244-2-7.redis.db.svc.cluster.local' }] }],
    ['9.3.244.10.in-addr.arpa', 'PTR', { kind: 'forward' }],
    ['20.0.96.10.in-addr.arpa', 'A', { kind: 'forward' }],
    ['1.0.0.127.in-addr.arpa', 'PTR', { kind: 'forward' }],
  ])('%s %s', (name, type, expected) => expect(answer(view, name, type)).toEqual(expected));
});
