import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSliceLike, ServiceLike } from '../types.ts';
import { detectIptables, hostExec, hostLaunch } from './exec.ts';
import { execHost } from './host.ts';
import { IptablesProxier } from './proxier.ts';
import { NftProxier } from '../nftables/proxier.ts';
import { hostSpawn, type Spawn } from '../nftables/session.ts';

const ns = `k8ts-test-${randomBytes(4).toString('hex')}`;
const backends = ['10.244.1.2', '10.244.1.3', '10.244.1.4'];
let server: ChildProcess | undefined;
/** `nft -i` sessions the nftables proxier started. */
let sessions = 0;
let canRun = true;
try {
  execFileSync('ip', ['netns', 'add', ns]);
} catch {
  canRun = false;
}

const SERVER = `const http=require('http');for(const ip of process.argv.slice(1)){http.createServer((q,r)=>r.end(ip)).listen(8080,ip)};console.log('up')`;
const CLIENT = `const http=require('http');const [host,port,n,bind]=process.argv.slice(1);const counts={};let done=0;const one=(i)=>{if(i>=+n){console.log(JSON.stringify(counts));return}
const req=http.get({host,port:+port,agent:false,timeout:2000,localAddress:bind||undefined},(res)=>{let b='';res.on('data',d=>b+=d);res.on('end',()=>{counts[b]=(counts[b]||0)+1;one(i+1)})});req.on('error',e=>{counts['error:'+e.code]=(counts['error:'+e.code]||0)+1;one(i+1)});req.on('timeout',()=>req.destroy(new Error('timeout')))};one(0)`;

function nsRun(args: string[]): void {
  execFileSync('ip', ['netns', 'exec', ns, ...args], { timeout: 10000 });
}

function client(host: string, port: number, n: number, bind = ''): Record<string, number> {
  const out = execFileSync('ip', ['netns', 'exec', ns, 'node', '-e', CLIENT, host, String(port), String(n), bind], { timeout: 60000 });
  return JSON.parse(out.toString()) as Record<string, number>;
}

const svc = (name: string, ip: string, extra: Partial<NonNullable<ServiceLike['spec']>> = {}): ServiceLike => ({
  metadata: { name, namespace: 'default' },
  spec: { type: 'NodePort', clusterIP: ip, ports: [{ name: 'http', port: 80, nodePort: 30000 + Number(ip.split('.')[3]) }], ...extra },
});
const slice = (svcName: string, ips: string[]): EndpointSliceLike => ({
  metadata: { name: `${svcName}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': svcName } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: ips.map((ip) => ({ addresses: [ip], nodeName: 'node1' })),
});

const mode = process.env['K8TS_PROXY_TEST_MODE'] === 'nftables' ? 'nftables' : 'iptables';

describe.skipIf(!canRun)(`${mode} proxier in a network namespace`, () => {
  let proxier: IptablesProxier | NftProxier;
  beforeAll(async () => {
    nsRun(['ip', 'link', 'set', 'lo', 'up']);
    nsRun(['ip', 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1']);
    nsRun(['ip', 'link', 'set', 'd0', 'up']);
    nsRun(['ip', 'link', 'set', 'd1', 'up']);
    for (const ip of [...backends, '192.168.77.1', '192.168.77.2']) nsRun(['ip', 'addr', 'add', `${ip}/32`, 'dev', 'd0']);
    nsRun(['ip', 'route', 'add', '10.96.0.0/16', 'dev', 'd0']);
    server = spawn('ip', ['netns', 'exec', ns, 'node', '-e', SERVER, ...backends], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res, rej) => {
      server!.stdout!.once('data', () => res());
      server!.once('exit', () => rej(new Error('server exited')));
    });
    const exec = hostExec(ns);
    const opts = { nodeName: 'node1', clusterCIDR: '10.244.0.0/16' };
    // nftables: partial syncs go through an `nft -i` session, as in `k8ts proxy`.
    const nftSpawn: Spawn = (cmd, args) => {
      sessions++;
      return hostSpawn(ns)(cmd, args);
    };
    // iptables: the next restore and save are started ahead, as in `k8ts proxy`.
    proxier = mode === 'nftables' ? new NftProxier(exec, execHost(exec), { ...opts, spawn: nftSpawn }) : new IptablesProxier(await detectIptables(exec, hostLaunch(ns)), execHost(exec), opts);
    await proxier.setup();
    proxier.onService('default/web', svc('web', '10.96.0.10'));
    proxier.onEndpointSlice(slice('web', backends));
    proxier.onService('default/sticky', svc('sticky', '10.96.0.11', { sessionAffinity: 'ClientIP' }));
    proxier.onEndpointSlice(slice('sticky', backends));
    proxier.onService('default/empty', svc('empty', '10.96.0.12'));
    await proxier.sync();
  }, 60000);
  afterAll(() => {
    proxier?.close();
    server?.kill();
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      /* already gone */
    }
  });

  it('ClusterIP spreads over every backend', () => {
    const counts = client('10.96.0.10', 80, 60);
    expect(Object.keys(counts).sort()).toEqual(backends);
    for (const b of backends) expect(counts[b]).toBeGreaterThan(5);
  });
  it('NodeIP:nodePort reaches every backend', () => {
    const counts = client('192.168.77.1', 30010, 60);
    expect(Object.keys(counts).sort()).toEqual(backends);
  });
  it('ClientIP affinity keeps one client on one backend', () => {
    const counts = client('10.96.0.11', 80, 20, '192.168.77.2');
    expect(Object.keys(counts)).toHaveLength(1);
    expect(backends).toContain(Object.keys(counts)[0]);
  });
  it.runIf(mode === 'nftables')('ClientIP affinity is remembered in one affinity set, for the default 10800 s', () => {
    const table = execFileSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'ip', 'kube-proxy']).toString();
    const sets = [...table.matchAll(/set (affinity-\S+) \{([^}]*)\}/g)];
    expect(sets).toHaveLength(backends.length);
    for (const [, , body] of sets) expect(body).toContain('timeout 3h');
    expect(sets.filter(([, , body]) => body!.includes('192.168.77.2 '))).toHaveLength(1);
  });
  it('ClientIP affinity moves a client whose backend went away to one other backend', async () => {
    const [first] = Object.keys(client('10.96.0.11', 80, 1, '192.168.77.2'));
    proxier.onEndpointSlice(slice('sticky', backends.filter((b) => b !== first)));
    expect((await proxier.sync()).full).toBe(false);
    const counts = client('10.96.0.11', 80, 20, '192.168.77.2');
    expect(Object.keys(counts)).toHaveLength(1);
    expect(backends.filter((b) => b !== first)).toContain(Object.keys(counts)[0]);
  });
  it('a service without endpoints refuses the connection', () => {
    expect(client('10.96.0.12', 80, 2)).toEqual({ 'error:ECONNREFUSED': 2 });
  });
  it('removing an endpoint stops traffic to it after one sync', async () => {
    proxier.onEndpointSlice(slice('web', backends.slice(0, 2)));
    const r = await proxier.sync();
    expect(r.full).toBe(false);
    const counts = client('10.96.0.10', 80, 30);
    expect(Object.keys(counts).sort()).toEqual(backends.slice(0, 2));
    // nftables: the partial syncs so far went through one `nft -i` session.
    if (mode === 'nftables') expect(sessions).toBe(1);
  });
  it('--nodeport-addresses: NodePorts answer only on local addresses inside the CIDRs', async () => {
    const exec = hostExec(ns);
    const opts = { nodeName: 'node1', clusterCIDR: '10.244.0.0/16', nodePortAddresses: ['192.168.77.1/32', '203.0.113.0/24'] };
    const restricted = mode === 'nftables' ? new NftProxier(exec, execHost(exec), opts) : new IptablesProxier(await detectIptables(exec), execHost(exec), opts);
    restricted.onService('default/web', svc('web', '10.96.0.10'));
    restricted.onEndpointSlice(slice('web', backends));
    restricted.onService('default/empty', svc('empty', '10.96.0.12'));
    expect((await restricted.sync()).full).toBe(true);
    expect(restricted.nodePortIPs).toEqual(['192.168.77.1']);
    expect(Object.keys(client('192.168.77.1', 30010, 30)).sort()).toEqual(backends);
    // Nothing listens on 30010 itself, so an address outside the CIDRs is refused by the host.
    expect(client('192.168.77.2', 30010, 2)).toEqual({ 'error:ECONNREFUSED': 2 });
    expect(Object.keys(client('10.96.0.10', 80, 30)).sort()).toEqual(backends);
  });
});
