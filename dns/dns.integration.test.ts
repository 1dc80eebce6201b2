/**
 * The DNS server over real UDP and TCP against the in-process API server: Service names resolve
 * to ClusterIPs, headless Services to their ready endpoints, unknown names are NXDOMAIN, other
 * names are forwarded to the upstream (a scripted resolver here).
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import dnsPacket, { type Packet } from 'dns-packet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../pkg/api/core/v1/service.ts';
import type { EndpointSlice } from '../pkg/api/discovery/v1/endpointslice.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { startDnsServer, type DnsServer } from './server.ts';
import { createDnsMetrics } from './metrics.ts';
import { InformerDnsView } from './view.ts';
import { queryDns } from './client.ts';

const metrics = createDnsMetrics();

let cp: TestControlPlane;
let view: InformerDnsView;
let server: DnsServer;
const stop = new AbortController();
const upstream = createSocket('udp4');

function query(name: string, type: 'A' | 'SRV' | 'AAAA' | 'TXT' = 'A'): Promise<Packet> {
  return queryDns({ server: '127.0.0.1', port: server.port, name, type });
}

beforeAll(async () => {
  cp = await startTestControlPlane();
  upstream.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    upstream.send(dnsPacket.encode({ id: q.id, type: 'response', flags: dnsPacket.RECURSION_AVAILABLE, questions: q.questions, answers: [{ type: 'A', name: q.questions![0].name, ttl: 60, data: '93.184.216.34' }] }), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', () => r()));
  await cp.client.services.inNamespace('default').create({ metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } } as Service);
  await cp.client.services.inNamespace('default').create({ metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] } } as Service);
  await cp.client.endpointSlices.inNamespace('default').create({
    metadata: { name: 'db-abc', labels: { 'kubernetes.io/service-name': 'db' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.1.4'], conditions: { ready: true } }, { addresses: ['10.244.1.5'], conditions: { ready: false } }],
    ports: [{ port: 5432, protocol: 'TCP' }],
  } as EndpointSlice);
  view = new InformerDnsView(cp.client, 'cluster.local');
  await view.start(stop.signal);
  server = await startDnsServer({ view, host: '127.0.0.1', port: 0, upstreams: [`127.0.0.1:${(upstream.address() as AddressInfo).port}`], log: pino({ level: 'silent' }), metrics });
});

afterAll(async () => {
  stop.abort();
  await server?.close();
  await view?.stop();
  upstream.close();
  await cp?.stop();
});

describe('cluster DNS', () => {
  it('resolves a Service to its ClusterIP (authoritative, 5 s TTL)', async () => {
    const clusterIP = (await cp.client.services.inNamespace('default').get('web')).spec?.clusterIP;
    const res = await query('web.default.svc.cluster.local');
    expect(res.rcode).toBe('NOERROR');
    expect(res.flag_aa).toBe(true);
    expect(res.answers).toEqual([expect.objectContaining({ type: 'A', name: 'web.default.svc.cluster.local', data: clusterIP, ttl: 5 })]);
  });

  it('resolves a headless Service to its ready endpoints only', async () => {
    expect((await query('db.default.svc.cluster.local')).answers?.map((a) => a.data)).toEqual(['10.244.1.4']);
  });

  it('serves the specification\'s schema version record', async () => {
    const res = await query('dns-version.cluster.local', 'TXT');
    expect(res.answers?.map((a) => ({ type: a.type, ttl: (a as { ttl: number }).ttl, data: (a.data as Buffer[]).map(String) }))).toEqual([{ type: 'TXT', ttl: 5, data: ['1.1.0'] }]);
  });

  it('answers NXDOMAIN with the zone SOA for unknown cluster names', async () => {
    const res = await query('nope.default.svc.cluster.local');
    expect(res.rcode).toBe('NXDOMAIN');
    expect(res.authorities?.[0]).toMatchObject({ type: 'SOA', name: 'cluster.local' });
  });

  it('forwards other names to the upstream resolver', async () => {
    expect((await query('example.org')).answers?.[0]).toMatchObject({ type: 'A', data: '93.184.216.34' });
  });

  it('answers over TCP too', async () => {
    const answerOverTcp = await new Promise<Packet>((resolve, reject) => {
      const conn = connect({ host: '127.0.0.1', port: server.port });
      conn.on('error', reject);
      const payload = dnsPacket.encode({ type: 'query', id: 9, questions: [{ type: 'A', name: 'web.default.svc.cluster.local' }] });
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(payload.length);
      conn.write(Buffer.concat([prefix, payload]));
      conn.once('data', (d) => {
        conn.destroy();
        resolve(dnsPacket.decode(d.subarray(2)));
      });
    });
    expect(answerOverTcp.answers?.[0]).toMatchObject({ type: 'A', name: 'web.default.svc.cluster.local' });
  });

  it('counts queries as CoreDNS does (requests by type, responses by rcode)', async () => {
    await query('nope.default.svc.cluster.local');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^coredns_dns_requests_total\{server="dns:\/\/",zone="\.",proto="udp",family="1",type="A"\} [1-9]\d*$/m);
    expect(text).toMatch(/^coredns_dns_requests_total\{[^}]*proto="tcp"[^}]*\} 1$/m);
    expect(text).toMatch(/^coredns_dns_responses_total\{server="dns:\/\/",zone="\.",rcode="NXDOMAIN"\} [1-9]/m);
    expect(text).toMatch(/^coredns_dns_request_duration_seconds_count\{[^}]*type="A"\} [1-9]/m);
  });
});
