/**
 * `k8ts up` / `status` / `down` as a user runs them, inside a network namespace this test
 * creates (the cluster's bridge and rules stay there): a single-node cluster with a real
 * containerd comes up, kubectl sees the node Ready and runs a pod with logs and exec, and
 * cluster DNS resolves Service names from the pod; `up` again changes nothing; `down` stops
 * every process and removes the bridge. With `--nodes 2`: pods reach each other across nodes,
 * and the scheduler places the redis-nodeselector tutorial and honours taints.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../cli/up/processes.ts';
import { readState } from '../cli/up/state.ts';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectlPath } from './harness/kubectl.ts';
import { repoRoot } from './harness/processes.ts';
import { fixturesDir } from './harness/fixtures.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const run = promisify(execFile);
const netns = `k8ts-up-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'k8ts-up-'));
const minor = installedKubectls(ALL_KUBECTL_MINORS).at(-1) as string;
const inNetns = (cmd: string, args: string[]) => run('nsenter', [`--net=/var/run/netns/${netns}`, cmd, ...args], { cwd: repoRoot, timeout: 180_000, env: { ...process.env, HOME: dir } });
const k8ts = (...args: string[]) => inNetns(process.execPath, [join(repoRoot, 'bin/k8ts.mjs'), ...args, '--dir', join(dir, 'cluster')]);
const kubectl = (...args: string[]) => inNetns(kubectlPath(minor), ['--kubeconfig', join(dir, 'cluster', 'admin.kubeconfig'), ...args]);

beforeAll(() => {
  execFileSync('ip', ['netns', 'add', netns]);
  execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
});

afterAll(async () => {
  await k8ts('down').catch(() => undefined);
  for (const c of readState(join(dir, 'cluster'))?.components ?? []) if (isAlive(c.pid)) process.kill(c.pid, 'SIGKILL');
  execFileSync('sh', ['-c', `for m in $(grep ' ${dir}' /proc/mounts | cut -d' ' -f2 | sort -r); do umount -l "$m" 2>/dev/null; done; true`]);
  try {
    execFileSync('ip', ['netns', 'del', netns]);
  } catch {
    // already gone
  }
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe.skipIf(!minor)('k8ts up, status, down', () => {
  it('brings up a Ready single-node cluster and prints the KUBECONFIG line', async () => {
    const { stdout } = await k8ts('up', '--skip-install');
    expect(stdout).toMatch(/• etcd… done \(\d+\.\d s\)/);
    expect(stdout).toMatch(/• node \S+ Ready… done/);
    expect(stdout).toContain(`export KUBECONFIG=${join(dir, 'cluster', 'admin.kubeconfig')}`);
    const nodes = (await kubectl('get', 'nodes')).stdout;
    expect(nodes).toMatch(/^\S+\s+Ready\s+<none>\s+\S+\s+v1\.33\.0-k8ts$/m);
  }, 200_000);

  it('runs a pod with logs and exec through the secured API server', async () => {
    const node = (await kubectl('get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    await kubectl('run', 'hello', '--image=busybox', '--restart=Never', `--overrides={"spec":{"nodeName":"${node}"}}`, '--', 'sh', '-c', 'echo hi from $(hostname); sleep 3600');
    await kubectl('wait', '--for=condition=Ready', 'pod/hello', '--timeout=60s');
    expect((await kubectl('get', 'pod', 'hello', '-o', 'wide')).stdout).toMatch(/hello\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.0\.\d+/);
    expect((await kubectl('logs', 'hello')).stdout).toBe('hi from hello\n');
    expect((await kubectl('exec', 'hello', '--', 'sh', '-c', 'echo exec ok')).stdout).toBe('exec ok\n');
  }, 120_000);

  it('cluster DNS answers Service names from pods (FQDN and through the search path)', async () => {
    expect((await kubectl('get', 'svc', '-n', 'kube-system', 'kube-dns')).stdout).toMatch(/kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP/);
    expect((await kubectl('exec', 'hello', '--', 'cat', '/etc/resolv.conf')).stdout).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
    expect((await kubectl('exec', 'hello', '--', 'nslookup', 'kubernetes.default.svc.cluster.local')).stdout).toMatch(/Name:\s+kubernetes\.default\.svc\.cluster\.local\nAddress: 10\.96\.0\.1\n/);
    // ping resolves through libc and the search path before sending (the ClusterIP itself does not answer ICMP).
    const ping = await kubectl('exec', 'hello', '--', 'ping', '-c1', '-W1', 'kubernetes.default').catch((err: { stdout: string }) => err);
    expect(ping.stdout).toContain('PING kubernetes.default (10.96.0.1)');
  }, 60_000);

  it('runs the example Website operator against the cluster', async () => {
    const operator = spawn('nsenter', [`--net=/var/run/netns/${netns}`, process.execPath, '--conditions=source', '--import', 'tsx', join(repoRoot, 'examples/website-operator/main.ts'), '--kubeconfig', join(dir, 'cluster', 'admin.kubeconfig'), '--install-crd', '--log-level', 'warn'], { cwd: repoRoot, stdio: 'ignore', env: { ...process.env, HOME: dir } });
    try {
      await waitFor('websites served', async () => (await kubectl('get', 'crd', 'websites.example.k8ts.dev').then(() => true, () => false)), { timeoutMs: 60_000, intervalMs: 500 });
      await inNetns(kubectlPath(minor), ['--kubeconfig', join(dir, 'cluster', 'admin.kubeconfig'), 'create', '-f', join(repoRoot, 'examples/website-operator/website-sample.yaml')]);
      const url = await waitFor('Website status', async () => (await kubectl('get', 'website', 'blog', '-o', 'jsonpath={.status.url}')).stdout || undefined, { timeoutMs: 60_000, intervalMs: 500 });
      expect(url).toBe('http://blog.default.svc.cluster.local:80');
      expect((await kubectl('get', 'deployment', 'blog', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}')).stdout).toBe('Website');
      expect((await kubectl('get', 'service', 'blog', '-o', 'jsonpath={.spec.ports[0].port}')).stdout).toBe('80');
    } finally {
      operator.kill('SIGTERM');
    }
  }, 120_000);

  it('status lists running components; up again is a no-op', async () => {
    expect((await k8ts('status')).stdout).toMatch(/^apiserver\s+\d+\s+running\s+/m);
    expect((await k8ts('up', '--skip-install')).stdout).toMatch(/^cluster already running \(\d+ components\)$/m);
  }, 60_000);

  it('down stops every process and removes the bridge', async () => {
    const pids = (readState(join(dir, 'cluster'))?.components ?? []).map((c) => c.pid);
    expect(pids.length).toBeGreaterThanOrEqual(5);
    const { stdout } = await k8ts('down');
    expect(stdout).toContain('removed bridge k8ts0');
    expect(pids.filter(isAlive)).toEqual([]);
    expect(execFileSync('ip', ['netns', 'exec', netns, 'ip', '-o', 'link']).toString()).not.toContain('k8ts0');
  }, 120_000);
});

describe.skipIf(!minor)('k8ts up --nodes 2', () => {
  const multi = join(dir, 'multi');
  const k8tsMulti = (...args: string[]) => inNetns(process.execPath, [join(repoRoot, 'bin/k8ts.mjs'), ...args, '--dir', multi]);
  const kubectlMulti = (...args: string[]) => inNetns(kubectlPath(minor), ['--kubeconfig', join(multi, 'admin.kubeconfig'), ...args]);

  afterAll(async () => {
    await k8tsMulti('down').catch(() => undefined);
    for (const c of readState(multi)?.components ?? []) if (isAlive(c.pid)) process.kill(c.pid, 'SIGKILL');
    for (const ns of readState(multi)?.network.netns ?? []) execFileSync('sh', ['-c', `ip netns del ${ns} 2>/dev/null; true`]);
  }, 120_000);

  it('runs each node in its own namespace; pods on different nodes reach each other by pod IP; the scheduler honours nodeSelector and taints', async () => {
    await k8tsMulti('up', '--skip-install', '--nodes', '2');
    const nodes = (await kubectlMulti('get', 'nodes', '-o', 'wide')).stdout;
    expect(nodes).toMatch(/^k8ts-node-1\s+Ready\s+<none>\s+\S+\s+v1\.33\.0-k8ts\s+10\.250\.0\.11\s/m);
    expect(nodes).toMatch(/^k8ts-node-2\s+Ready\s+<none>\s+\S+\s+v1\.33\.0-k8ts\s+10\.250\.0\.12\s/m);
    for (const i of [1, 2]) {
      await kubectlMulti('run', `web${i}`, '--image=busybox', '--restart=Never', `--overrides={"spec":{"nodeName":"k8ts-node-${i}"}}`, '--', 'sh', '-c', 'mkdir /w; hostname > /w/index.html; exec httpd -f -p 8080 -h /w');
    }
    await kubectlMulti('wait', '--for=condition=Ready', 'pod/web1', 'pod/web2', '--timeout=60s');
    const ip2 = (await kubectlMulti('get', 'pod', 'web2', '-o', 'jsonpath={.status.podIP}')).stdout;
    expect(ip2).toMatch(/^10\.244\.2\.\d+$/);
    expect((await kubectlMulti('exec', 'web1', '--', 'wget', '-q', '-O', '-', `http://${ip2}:8080/`)).stdout).toBe('web2\n');

    // The redis-nodeselector tutorial through the scheduler: Pending with the upstream message
    // until a node is labelled storage=ssd, then placed there (the image itself is not needed).
    await kubectlMulti('apply', '-f', join(fixturesDir, 'redis-nodeselector.yaml'));
    const pending = await waitFor('redis Pending with FailedScheduling', async () => {
      const events = (await kubectlMulti('get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}')).stdout;
      return events.includes("didn't match Pod's node affinity/selector") && events;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(pending).toContain("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.");
    await kubectlMulti('label', 'node', 'k8ts-node-2', 'storage=ssd');
    const placed = await waitFor('redis placed', async () => (await kubectlMulti('get', 'pods', '-l', 'name=redis', '-o', 'jsonpath={.items[*].spec.nodeName}')).stdout || undefined, { timeoutMs: 60_000, intervalMs: 500 });
    expect(placed).toBe('k8ts-node-2');

    // A NoSchedule taint keeps new pods off node 2; without it they may go there again.
    await kubectlMulti('taint', 'nodes', 'k8ts-node-2', 'dedicated=special:NoSchedule');
    await kubectlMulti('create', 'deployment', 'spread', '--image=busybox', '--replicas=3', '--', 'sleep', '3600');
    const spread = await waitFor('spread pods scheduled', async () => {
      const nodes = (await kubectlMulti('get', 'pods', '-l', 'app=spread', '-o', 'jsonpath={.items[*].spec.nodeName}')).stdout.split(/\s+/).filter(Boolean);
      return nodes.length === 3 && nodes;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(new Set(spread)).toEqual(new Set(['k8ts-node-1']));
    await kubectlMulti('taint', 'nodes', 'k8ts-node-2', 'dedicated=special:NoSchedule-');
    const down = (await k8tsMulti('down')).stdout;
    expect(down).toContain('removed netns k8ts-node-1');
    expect(down).toContain('removed bridge k8ts-br0');
  }, 240_000);
});
