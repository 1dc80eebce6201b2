/**
 * `k8ts proxy` as a process: an in-process API server, the proxy as a child process inside a
 * network namespace this test creates (the API server is reached through a unix-socket bridge,
 * since the namespace has its own loopback), real listening backends in the namespace, and
 * Services/EndpointSlices written through the API.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

let canRun = true;
try {
  const probe = `k8ts-probe-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', probe]);
  execFileSync('ip', ['netns', 'del', probe]);
} catch {
  canRun = false;
}

const backends = ['10.244.1.2', '10.244.1.3', '10.244.1.4'];
const SERVER = `const http=require('http');for(const ip of process.argv.slice(1)){http.createServer((q,r)=>r.end(ip)).listen(8080,ip)};console.log('up')`;
const CLIENT = `const http=require('http');const [host,port,n,bind]=process.argv.slice(1);const counts={};const one=(i)=>{if(i>=+n){console.log(JSON.stringify(counts));return}
const req=http.get({host,port:+port,agent:false,timeout:2000,localAddress:bind||undefined},(res)=>{let b='';res.on('data',d=>b+=d);res.on('end',()=>{counts[b]=(counts[b]||0)+1;one(i+1)})});req.on('error',e=>{counts['error:'+e.code]=(counts['error:'+e.code]||0)+1;one(i+1)});req.on('timeout',()=>req.destroy(new Error('timeout')))};one(0)`;
/** TCP 127.0.0.1:port inside the namespace → unix socket (reachable across namespaces). */
const BRIDGE = `const net=require('net');const [port,sock]=process.argv.slice(1);net.createServer((c)=>{const u=net.createConnection(sock);c.pipe(u).pipe(c);c.on('error',()=>u.destroy());u.on('error',()=>c.destroy())}).listen(+port,'127.0.0.1',()=>console.log('up'))`;
const GET = `const http=require('http');http.get(process.argv[1],(r)=>{let b='';r.on('data',d=>b+=d);r.on('end',()=>console.log(JSON.stringify({status:r.statusCode,body:b})))}).on('error',e=>console.log(JSON.stringify({status:0,body:e.message})))`;

function waitForLine(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`${what} exited (${code})`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!canRun).each(['iptables', 'nftables'] as const)('k8ts proxy process in %s mode', (mode) => {
  const ns = `k8ts-proc-${randomBytes(4).toString('hex')}`;
  const sock = join(tmpdir(), `${ns}.sock`);
  const children: ChildProcess[] = [];
  let cp: TestControlPlane | undefined;
  let bridge: Server | undefined;
  let proxyLog = '';

  const nsRun = (args: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...args], { timeout: 10000 });
  const client = (host: string, port: number, n: number, bind = ''): Record<string, number> =>
    JSON.parse(execFileSync('ip', ['netns', 'exec', ns, process.execPath, '-e', CLIENT, host, String(port), String(n), bind], { timeout: 60000 }).toString()) as Record<string, number>;
  const get = (url: string): { status: number; body: string } => JSON.parse(execFileSync('ip', ['netns', 'exec', ns, process.execPath, '-e', GET, url], { timeout: 10000 }).toString()) as { status: number; body: string };
  const lastUpdated = () => (JSON.parse(get('http://127.0.0.1:10256/healthz').body) as { lastUpdated: string }).lastUpdated;
  const start = (args: string[]) => {
    const c = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd() });
    children.push(c);
    return c;
  };
  /** Waits (bounded) for the proxy to report a sync newer than `after`. */
  async function nextSync(after: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const r = get('http://127.0.0.1:10256/healthz');
      if (r.status === 200 && (JSON.parse(r.body) as { lastUpdated: string }).lastUpdated > after) return;
      await sleep(100);
    }
    throw new Error(`no sync after ${after}; proxy log:\n${proxyLog.slice(-3000)}`);
  }

  const service = (name: string, clusterIP: string, nodePort: number, extra: Record<string, unknown> = {}) => ({
    metadata: { name, namespace: 'default' },
    spec: { type: 'NodePort', clusterIP, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort, protocol: 'TCP' }], selector: { app: name }, ...extra },
  });
  const slice = (svc: string, ips: string[], resourceVersion?: string) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-abc`, namespace: 'default', labels: { 'kubernetes.io/service-name': svc }, ...(resourceVersion ? { resourceVersion } : {}) },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true }, nodeName: 'node1' })),
  });

  beforeAll(async () => {
    execFileSync('ip', ['netns', 'add', ns]);
    nsRun(['ip', 'link', 'set', 'lo', 'up']);
    nsRun(['ip', 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1']);
    nsRun(['ip', 'link', 'set', 'd0', 'up']);
    nsRun(['ip', 'link', 'set', 'd1', 'up']);
    for (const ip of ['192.168.77.1', '192.168.77.2', ...backends]) nsRun(['ip', 'addr', 'add', `${ip}/32`, 'dev', 'd0']);
    nsRun(['ip', 'route', 'add', '10.96.0.0/16', 'dev', 'd0']);
    cp = await startTestControlPlane();
    const apiPort = new URL(cp.url).port;
    bridge = createServer((c) => {
      const u = createConnection(Number(apiPort), '127.0.0.1');
      c.pipe(u).pipe(c);
      c.on('error', () => u.destroy());
      u.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => bridge!.listen(sock, r));
    await waitForLine(start([process.execPath, '-e', BRIDGE, apiPort, sock]), 'bridge');
    await waitForLine(start([process.execPath, '-e', SERVER, ...backends]), 'backends');

    await cp.client.nodes.create({ metadata: { name: 'node1' }, status: { addresses: [{ type: 'InternalIP', address: '192.168.77.1' }] } } as never);
    await cp.client.services.create(service('web', '10.96.0.10', 30010) as never);
    await cp.client.endpointSlices.create(slice('web', backends) as never);
    await cp.client.services.create(service('sticky', '10.96.0.11', 30011, { sessionAffinity: 'ClientIP' }) as never);
    await cp.client.endpointSlices.create(slice('sticky', backends) as never);
    await cp.client.services.create(service('empty', '10.96.0.12', 30012) as never);

    const proxy = start([process.execPath, '--import', 'tsx', 'proxy/cli-entry.ts', '--kubeconfig', cp.kubeconfigPath, '--hostname-override', 'node1', '--proxy-mode', mode, '--cluster-cidr', '10.244.0.0/16', '--min-sync-period', '200ms', '--healthz-bind-address', '127.0.0.1:10256', '--metrics-bind-address', '127.0.0.1:10249']);
    proxy.stdout!.on('data', (d: Buffer) => (proxyLog += d.toString()));
    proxy.stderr!.on('data', (d: Buffer) => (proxyLog += d.toString()));
    await sleep(500);
    await nextSync(new Date(0).toISOString());
  }, 90000);

  afterAll(async () => {
    const kill = (c: ChildProcess, sig: NodeJS.Signals) => {
      if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return;
      try {
        process.kill(c.pid, sig);
      } catch {
        /* already exited */
      }
    };
    for (const c of children) kill(c, 'SIGTERM');
    await sleep(300);
    for (const c of children) kill(c, 'SIGKILL');
    bridge?.close();
    rmSync(sock, { force: true });
    await cp?.stop();
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      /* already gone */
    }
  }, 30000);

  it('logs the proxy mode (and for iptables the backend with the reason)', () => {
    if (mode === 'iptables') expect(proxyLog).toMatch(/"backend":"legacy".*"reason":"iptables-legacy-restore loads in time linear/);
    else expect(proxyLog).toContain('"mode":"nftables"');
    expect(proxyLog).toContain('"nodeIP":"192.168.77.1"');
  });
  it('ClusterIP:port reaches every backend with a rough even spread', () => {
    const counts = client('10.96.0.10', 80, 60);
    expect(Object.keys(counts).sort()).toEqual(backends);
    for (const b of backends) expect(counts[b]).toBeGreaterThan(5);
  });
  it('NodeIP:nodePort reaches every backend with a rough even spread', () => {
    const counts = client('192.168.77.1', 30010, 60);
    expect(Object.keys(counts).sort()).toEqual(backends);
    for (const b of backends) expect(counts[b]).toBeGreaterThan(5);
  });
  it('ClientIP affinity keeps one client on one backend', () => {
    const counts = client('10.96.0.11', 80, 20, '192.168.77.2');
    expect(Object.keys(counts)).toHaveLength(1);
    expect(backends).toContain(Object.keys(counts)[0]);
  });
  it('NodePorts answer on every local address (iptables) or only on the node IP (nftables: --nodeport-addresses primary)', () => {
    const counts = client('192.168.77.2', 30010, 6);
    if (mode === 'iptables') expect(Object.keys(counts).every((b) => backends.includes(b))).toBe(true);
    else expect(counts).toEqual({ 'error:ECONNREFUSED': 6 });
  });
  it('a service without endpoints refuses the connection', () => {
    expect(client('10.96.0.12', 80, 2)).toEqual({ 'error:ECONNREFUSED': 2 });
  });
  it('serves /metrics with the sync histogram', () => {
    const m = get('http://127.0.0.1:10249/metrics');
    expect(m.status).toBe(200);
    expect(m.body).toMatch(/kubeproxy_sync_proxy_rules_duration_seconds_count [1-9]/);
    expect(m.body).toMatch(/kubeproxy_sync_proxy_rules_last_timestamp_seconds [1-9]/);
  });
  it('removing an endpoint stops traffic to it within one sync', async () => {
    const before = lastUpdated();
    const current = (await cp!.client.endpointSlices.get('web-abc')) as { metadata: { resourceVersion?: string } };
    await cp!.client.endpointSlices.update(slice('web', backends.slice(0, 2), current.metadata.resourceVersion) as never);
    await nextSync(before);
    const counts = client('10.96.0.10', 80, 30);
    expect(Object.keys(counts).sort()).toEqual(backends.slice(0, 2));
  });
});
