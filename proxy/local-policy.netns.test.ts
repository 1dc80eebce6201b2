/**
 * Local traffic policies on the wire, in iptables and nftables mode. Two network namespaces
 * made here: the node (`…-n`, the proxier's, with real backends listening on 10.244.x.y:8080)
 * and an outside client (`…-c`, 192.168.90.2, neither local to the node nor in the cluster CIDR)
 * joined by a veth pair. Endpoints on "node1" are this node's; "node2" ones are elsewhere (they
 * listen in the node namespace too, so a wrong DNAT would show up as an answer). Zone hints
 * (trafficDistribution PreferClose) follow the node's zone label.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectIptables, hostExec } from './iptables/exec.ts';
import { execHost } from './iptables/host.ts';
import { IptablesProxier } from './iptables/proxier.ts';
import { NftProxier } from './nftables/proxier.ts';
import type { EndpointSliceLike, ServiceLike } from './types.ts';

const canRun = (() => {
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

const NODE_IP = '192.168.90.1';
const CLIENT_IP = '192.168.90.2';
const LOCAL = '10.244.1.2';
const LOCAL_2 = '10.244.1.5';
const REMOTE = '10.244.2.3';
const REMOTE_2 = '10.244.2.4';

/** In the client namespace: what a cluster IP packet leaving the node undispatched would reach. */
const SINK_IPS = ['10.96.5.11', '10.96.5.12'];
const SINK = `const http=require('http');for(const ip of process.argv.slice(1)){http.createServer((q,r)=>r.end('sink')).listen(80,ip)};console.log('up')`;
const SERVER = `const http=require('http');for(const ip of process.argv.slice(1)){http.createServer((q,r)=>r.end(ip)).listen(8080,ip)};console.log('up')`;
/** n requests, one at a time; answers counted by body, failures by error code ('timeout' after 1.5 s). */
const CLIENT = `const http=require('http');const [host,port,n]=process.argv.slice(1);const counts={};const add=(k)=>counts[k]=(counts[k]||0)+1;const one=(i)=>{if(i>=+n){console.log(JSON.stringify(counts));return}
let done=false;const fin=(k)=>{if(done)return;done=true;clearTimeout(t);add(k);one(i+1)};const req=http.get({host,port:+port,agent:false},(res)=>{let b='';res.on('data',d=>b+=d);res.on('end',()=>fin(b))});
const t=setTimeout(()=>{fin('timeout');req.destroy()},1500);req.on('error',e=>fin('error:'+e.code))};one(0)`;

const svc = (name: string, spec: NonNullable<ServiceLike['spec']>): ServiceLike => ({ metadata: { name, namespace: 'default' }, spec: { ...spec, ports: [{ name: 'http', port: 80, nodePort: spec.ports?.[0]?.nodePort }] } });
const slice = (svcName: string, eps: Array<[ip: string, node: string]>): EndpointSliceLike => ({
  metadata: { name: `${svcName}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': svcName } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: eps.map(([ip, nodeName]) => ({ addresses: [ip], nodeName })),
});
const nodePort = (port: number) => [{ port: 80, nodePort: port }];
/** `s` with each endpoint hinted for the zone at its index (as the controller does for PreferClose). */
const hinted = (s: EndpointSliceLike, zones: string[]): EndpointSliceLike => ({ ...s, endpoints: s.endpoints?.map((e, i) => ({ ...e, hints: { forZones: [{ name: zones[i]! }] } })) });

describe.skipIf(!canRun).each(['iptables', 'nftables'] as const)('%s mode: Local traffic policies in network namespaces', (mode) => {
  const base = `k8ts-lp-${process.pid}-${randomBytes(3).toString('hex')}`;
  const nodeNs = `${base}-n`;
  const clientNs = `${base}-c`;
  let server: ChildProcess | undefined;
  let sink: ChildProcess | undefined;
  let proxier: IptablesProxier | NftProxier | undefined;
  const inNode = (args: string[]) => execFileSync('ip', ['netns', 'exec', nodeNs, ...args], { timeout: 10000 });
  const inClient = (args: string[]) => execFileSync('ip', ['netns', 'exec', clientNs, ...args], { timeout: 10000 });
  const request = (ns: string, host: string, port: number, n: number): Record<string, number> =>
    JSON.parse(execFileSync('ip', ['netns', 'exec', ns, 'node', '-e', CLIENT, host, String(port), String(n)], { timeout: 60000 }).toString()) as Record<string, number>;
  const fromOutside = (host: string, port: number, n: number) => request(clientNs, host, port, n);
  const fromNode = (host: string, port: number, n: number) => request(nodeNs, host, port, n);

  beforeAll(async () => {
    execFileSync('ip', ['netns', 'add', nodeNs]);
    execFileSync('ip', ['netns', 'add', clientNs]);
    execFileSync('ip', ['link', 'add', 'n0', 'netns', nodeNs, 'type', 'veth', 'peer', 'name', 'c0', 'netns', clientNs]);
    inNode(['ip', 'link', 'set', 'lo', 'up']);
    inNode(['ip', 'link', 'set', 'n0', 'up']);
    inNode(['ip', 'addr', 'add', `${NODE_IP}/24`, 'dev', 'n0']);
    for (const ip of [LOCAL, LOCAL_2, REMOTE, REMOTE_2]) inNode(['ip', 'addr', 'add', `${ip}/32`, 'dev', 'n0']);
    // Like a node's default route: service IPs are routable (towards the client namespace, where
    // a sink answers on 10.96.5.11 and .12), so an undispatched packet is seen, not "no route".
    inNode(['ip', 'route', 'add', '10.96.0.0/16', 'via', CLIENT_IP]);
    inClient(['ip', 'link', 'set', 'lo', 'up']);
    inClient(['ip', 'link', 'set', 'c0', 'up']);
    inClient(['ip', 'addr', 'add', `${CLIENT_IP}/24`, 'dev', 'c0']);
    inClient(['ip', 'route', 'add', '10.96.0.0/16', 'via', NODE_IP]);
    for (const ip of SINK_IPS) inClient(['ip', 'addr', 'add', `${ip}/32`, 'dev', 'c0']);
    sink = spawn('ip', ['netns', 'exec', clientNs, 'node', '-e', SINK, ...SINK_IPS], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res, rej) => {
      sink!.stdout!.once('data', () => res());
      sink!.once('exit', () => rej(new Error('sink exited')));
    });
    server = spawn('ip', ['netns', 'exec', nodeNs, 'node', '-e', SERVER, LOCAL, LOCAL_2, REMOTE, REMOTE_2], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res, rej) => {
      server!.stdout!.once('data', () => res());
      server!.once('exit', () => rej(new Error('backend server exited')));
    });
    const exec = hostExec(nodeNs);
    const opts = { nodeName: 'node1', clusterCIDR: '10.244.0.0/16', nodeIP: NODE_IP };
    proxier = mode === 'nftables' ? new NftProxier(exec, execHost(exec), opts) : new IptablesProxier(await detectIptables(exec), execHost(exec), opts);
    await proxier.setup();
    proxier.onService('default/etp', svc('etp', { type: 'NodePort', clusterIP: '10.96.5.1', externalTrafficPolicy: 'Local', ports: nodePort(30101) }));
    proxier.onEndpointSlice(slice('etp', [[LOCAL, 'node1'], [REMOTE, 'node2']]));
    proxier.onService('default/etp-none', svc('etp-none', { type: 'NodePort', clusterIP: '10.96.5.2', externalTrafficPolicy: 'Local', ports: nodePort(30102) }));
    proxier.onEndpointSlice(slice('etp-none', [[REMOTE, 'node2'], [REMOTE_2, 'node2']]));
    proxier.onService('default/itp', svc('itp', { clusterIP: '10.96.5.10', internalTrafficPolicy: 'Local', ports: [] }));
    proxier.onEndpointSlice(slice('itp', [[LOCAL, 'node1'], [REMOTE, 'node2']]));
    proxier.onService('default/itp-none', svc('itp-none', { clusterIP: '10.96.5.11', internalTrafficPolicy: 'Local', ports: [] }));
    proxier.onEndpointSlice(slice('itp-none', [[REMOTE, 'node2']]));
    proxier.onService('default/cluster', svc('cluster', { type: 'NodePort', clusterIP: '10.96.5.20', ports: nodePort(30120) }));
    proxier.onEndpointSlice(slice('cluster', [[LOCAL, 'node1'], [REMOTE, 'node2']]));
    proxier.onService('default/zoned', svc('zoned', { clusterIP: '10.96.5.30', ports: [] }));
    proxier.onEndpointSlice(hinted(slice('zoned', [[LOCAL, 'node1'], [REMOTE, 'node2']]), ['zone-a', 'zone-b']));
    expect((await proxier.sync()).full).toBe(true);
  }, 60000);

  afterAll(() => {
    if (proxier instanceof NftProxier) proxier.close();
    server?.kill();
    sink?.kill();
    for (const ns of [nodeNs, clientNs]) {
      try {
        execFileSync('ip', ['netns', 'del', ns]);
      } catch {
        /* not created */
      }
    }
  });

  it('externalTrafficPolicy Cluster: the NodePort from outside reaches every endpoint (the setup works)', () => {
    expect(Object.keys(fromOutside(NODE_IP, 30120, 30)).sort()).toEqual([LOCAL, REMOTE]);
  });
  it('externalTrafficPolicy Local: the NodePort from outside answers only from the local endpoint', () => {
    expect(fromOutside(NODE_IP, 30101, 20)).toEqual({ [LOCAL]: 20 });
  });
  it('externalTrafficPolicy Local: the node itself is short-circuited to every endpoint', () => {
    expect(Object.keys(fromNode(NODE_IP, 30101, 30)).sort()).toEqual([LOCAL, REMOTE]);
  });
  it('externalTrafficPolicy Local on a node without a local endpoint: no answer from outside (dropped, not refused)', () => {
    expect(fromOutside(NODE_IP, 30102, 2)).toEqual({ timeout: 2 });
  });
  it('internalTrafficPolicy Local: the cluster IP reaches only the local endpoint, from the node and from outside', () => {
    expect(fromNode('10.96.5.10', 80, 20)).toEqual({ [LOCAL]: 20 });
    expect(fromOutside('10.96.5.10', 80, 10)).toEqual({ [LOCAL]: 10 });
  });
  it('internalTrafficPolicy Local without a local endpoint: the cluster IP is dropped', () => {
    // Undispatched, the node would route it to the sink in the client namespace (as 10.96.5.12,
    // no service, shows); the DROP keeps it from leaving.
    expect(fromNode('10.96.5.12', 80, 1)).toEqual({ sink: 1 });
    expect(fromNode('10.96.5.11', 80, 2)).toEqual({ timeout: 2 });
  });
  it('a local endpoint appearing opens the NodePort from outside within one (partial) sync, to that endpoint only', async () => {
    proxier!.onEndpointSlice(slice('etp-none', [[REMOTE, 'node2'], [REMOTE_2, 'node2'], [LOCAL_2, 'node1']]));
    expect((await proxier!.sync()).full).toBe(false);
    expect(fromOutside(NODE_IP, 30102, 10)).toEqual({ [LOCAL_2]: 10 });
  });
  it('zone hints: a node without a zone reaches every endpoint; one in a zone only the endpoints hinted for it, after a full sync', async () => {
    expect(Object.keys(fromNode('10.96.5.30', 80, 30)).sort()).toEqual([LOCAL, REMOTE]);
    expect(proxier!.onNodeZone('zone-b')).toBe(true);
    expect((await proxier!.sync()).full).toBe(true);
    expect(fromNode('10.96.5.30', 80, 10)).toEqual({ [REMOTE]: 10 });
    proxier!.onNodeZone('zone-a');
    await proxier!.sync();
    expect(fromNode('10.96.5.30', 80, 10)).toEqual({ [LOCAL]: 10 });
    // A zone no endpoint is hinted for: hints are ignored.
    proxier!.onNodeZone('zone-c');
    await proxier!.sync();
    expect(Object.keys(fromNode('10.96.5.30', 80, 30)).sort()).toEqual([LOCAL, REMOTE]);
  });
});
