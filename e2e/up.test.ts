/**
 * `k8ts up` / `status` / `down` as a user runs them, inside a network namespace this test
 * creates (the cluster's bridge and rules stay there): a single-node cluster with a real
 * containerd comes up, kubectl sees the node Ready and runs a pod with logs and exec (the
 * kubelet API asks the API server who may reach it), cluster DNS resolves Service names from the pod; `up` again changes nothing; `down` stops
 * every process and removes the bridge. Multi-node clusters: e2e/journeys.test.ts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../cli/up/processes.ts';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectlPath } from './harness/kubectl.ts';
import { repoRoot } from './harness/processes.ts';
import { createUpTestbed, type UpTestbed } from './harness/up-testbed.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { canonicalQuantity } from '../pkg/api/quantity.ts';

const minor = installedKubectls(ALL_KUBECTL_MINORS).at(-1) as string;
let tb: UpTestbed;
const k8ts = (...args: string[]) => tb.k8ts(...args);
const kubectl = (...args: string[]) => tb.exec(kubectlPath(minor), ['--kubeconfig', tb.kubeconfig, ...args]);

beforeAll(() => {
  tb = createUpTestbed('up');
});

afterAll(() => tb?.destroy(), 120_000);

describe.skipIf(!minor)('k8ts up, status, down', () => {
  it('brings up a Ready single-node cluster and prints the KUBECONFIG line', async () => {
    const { stdout } = await k8ts('up', '--skip-install');
    expect(stdout).toMatch(/• etcd… done \(\d+\.\d s\)/);
    expect(stdout).toMatch(/• node \S+ Ready… done/);
    expect(stdout).toContain(`export KUBECONFIG=${tb.kubeconfig}`);
    const nodes = (await kubectl('get', 'nodes')).stdout;
    expect(nodes).toMatch(/^\S+\s+Ready\s+<none>\s+\S+\s+v1\.33\.0\+k8ts$/m);
    // up's nodes evict on memory only (as kind's): no disk threshold is held back from allocatable.
    const node = JSON.parse((await kubectl('get', 'nodes', '-o', 'jsonpath={.items[0].status}')).stdout);
    expect(canonicalQuantity(node.allocatable['ephemeral-storage'])).toBe(canonicalQuantity(node.capacity['ephemeral-storage']));
    expect(node.conditions.find((c: { type: string }) => c.type === 'DiskPressure')).toMatchObject({ status: 'False', reason: 'KubeletHasNoDiskPressure' });
    // kubectl describe node lists the kubelet's and the proxy's start, as on a kubeadm node.
    const started = await waitFor('the Starting events', async () => {
      const events = (await kubectl('get', 'events', '--field-selector', 'involvedObject.kind=Node,reason=Starting', '-o', 'jsonpath={range .items[*]}{.source.component}={.message}{"\\n"}{end}')).stdout;
      return events.includes('kube-proxy=') && events;
    });
    expect(started.split('\n')).toEqual(expect.arrayContaining(['kubelet=Starting kubelet.', 'kube-proxy=']));
  }, 200_000);

  it('runs a pod with logs and exec through the secured API server', async () => {
    const node = (await kubectl('get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    await kubectl('run', 'hello', '--image=busybox', `--overrides={"spec":{"nodeName":"${node}"}}`, '--', 'sh', '-c', 'echo hi from $(hostname); sleep 3600');
    await kubectl('wait', '--for=condition=Ready', 'pod/hello', '--timeout=60s');
    expect((await kubectl('get', 'pod', 'hello', '-o', 'wide')).stdout).toMatch(/hello\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.0\.\d+/);
    expect((await kubectl('logs', 'hello')).stdout).toBe('hi from hello\n');
    expect((await kubectl('exec', 'hello', '--', 'sh', '-c', 'echo exec ok')).stdout).toBe('exec ok\n');
  }, 120_000);

  it('the kubelet API serves only callers the API server allows: 401 without a certificate, 403 for the scheduler', async () => {
    const ip = (await kubectl('get', 'nodes', '-o', 'jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}')).stdout;
    const pki = join(tb.dir, 'pki');
    const as = (id?: string) => (id ? ['--cert', join(pki, `${id}.crt`), '--key', join(pki, `${id}.key`)] : []);
    const get = async (id?: string) => (await tb.exec('curl', ['-sS', '--cacert', join(pki, 'ca.crt'), ...as(id), `https://${ip}:10250/pods`])).stdout;
    expect(await get()).toBe('Unauthorized');
    expect(await get('scheduler')).toBe('Forbidden (user=system:kube-scheduler, verb=get, resource=nodes, subresource=proxy)');
    expect(JSON.parse(await get('apiserver-kubelet-client'))).toMatchObject({ kind: 'PodList', items: [{ metadata: { name: 'hello' } }] });
  }, 60_000);

  it('tells aggregated API servers to trust its front proxy, as kubeadm sets it up', async () => {
    const data = JSON.parse((await kubectl('get', 'configmap', '-n', 'kube-system', 'extension-apiserver-authentication', '-o', 'jsonpath={.data}')).stdout) as Record<string, string>;
    expect(data['requestheader-client-ca-file']).toBe(readFileSync(join(tb.dir, 'pki', 'front-proxy-ca.crt'), 'utf8'));
    expect(data).toMatchObject({ 'requestheader-allowed-names': '["front-proxy-client"]', 'requestheader-username-headers': '["X-Remote-User"]', 'requestheader-group-headers': '["X-Remote-Group"]', 'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]' });
  }, 60_000);

  it('cluster DNS answers Service names from pods (FQDN and through the search path)', async () => {
    expect((await kubectl('get', 'svc', '-n', 'kube-system', 'kube-dns')).stdout).toMatch(/kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP/);
    // kubectl lists the kube-system Services labelled kubernetes.io/cluster-service, as on a kubeadm cluster.
    expect((await kubectl('cluster-info')).stdout).toMatch(/^CoreDNS is running at https:\/\/\S+\/api\/v1\/namespaces\/kube-system\/services\/kube-dns:dns\/proxy$/m);
    expect((await kubectl('exec', 'hello', '--', 'cat', '/etc/resolv.conf')).stdout).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
    expect((await kubectl('exec', 'hello', '--', 'nslookup', 'kubernetes.default.svc.cluster.local')).stdout).toMatch(/Name:\s+kubernetes\.default\.svc\.cluster\.local\nAddress: 10\.96\.0\.1\n/);
    // Reverse lookups of a ClusterIP name its Service, as CoreDNS's kubernetes plugin answers them.
    expect((await kubectl('exec', 'hello', '--', 'nslookup', '10.96.0.1')).stdout).toContain('1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local');
    // ping resolves through libc and the search path before sending (the ClusterIP itself does not answer ICMP).
    const ping = await kubectl('exec', 'hello', '--', 'ping', '-c1', '-W1', 'kubernetes.default').catch((err: { stdout: string }) => err);
    expect(ping.stdout).toContain('PING kubernetes.default (10.96.0.1)');
    // The DNS process counts what it answered, under CoreDNS's metric names, and reports healthy.
    expect((await tb.exec('curl', ['-sS', 'http://127.0.0.1:9153/metrics'])).stdout).toMatch(/^coredns_dns_requests_total\{[^}]*proto="udp"[^}]*type="A"\} [1-9]/m);
    expect((await tb.exec('curl', ['-sS', 'http://127.0.0.1:9153/healthz'])).stdout).toBe('ok');
    // The metrics port through the Service, as Prometheus scrapes CoreDNS on a kubeadm cluster.
    expect((await kubectl('exec', 'hello', '--', 'wget', '-qO-', 'http://kube-dns.kube-system:9153/metrics')).stdout).toMatch(/^coredns_dns_requests_total\{/m);
  }, 60_000);

  it("a pod's busybox wget (its own TLS, no signature_algorithms) reaches the API server through the kubernetes Service", async () => {
    const version = await kubectl('exec', 'hello', '--', 'wget', '-qO-', '--no-check-certificate', 'https://kubernetes.default.svc/version');
    expect(JSON.parse(version.stdout)).toMatchObject({ major: '1', minor: '33' });
  }, 30_000);

  it('runs the example Website operator against the cluster', async () => {
    const operator = spawn('nsenter', [`--net=/var/run/netns/${tb.netns}`, process.execPath, '--conditions=source', '--import', 'tsx', join(repoRoot, 'examples/website-operator/main.ts'), '--kubeconfig', tb.kubeconfig, '--install-crd', '--log-level', 'warn'], { cwd: repoRoot, stdio: 'ignore', env: { ...process.env, HOME: tb.dir } });
    try {
      await waitFor('websites served', async () => (await kubectl('get', 'crd', 'websites.example.k8ts.dev').then(() => true, () => false)), { timeoutMs: 60_000, intervalMs: 500 });
      await kubectl('create', '-f', join(repoRoot, 'examples/website-operator/website-sample.yaml'));
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

  it('up restarts a killed API server and returns once kubectl can use it', async () => {
    const apiserver = tb.state()?.components.find((c) => c.name === 'apiserver');
    expect(apiserver).toBeDefined();
    process.kill(apiserver!.pid, 'SIGKILL');
    await waitFor('the API server to die', () => !isAlive(apiserver!.pid), { timeoutMs: 10_000 });
    expect((await k8ts('up', '--skip-install')).stdout).toMatch(/^restarted apiserver \(pid \d+\)$/m);
    expect((await kubectl('get', 'namespace', 'default', '-o', 'name')).stdout.trim()).toBe('namespace/default');
  }, 60_000);

  it('down stops every process and removes the bridge', async () => {
    // A pod that completed before the cluster stops, and a `Never` pod still running then (both checked again once it is back).
    await kubectl('run', 'done', '--image=busybox', '--restart=Never', '--', 'true');
    await kubectl('run', 'once', '--image=busybox', '--restart=Never', '--', 'sleep', '3600');
    await waitFor('pod done Succeeded', async () => (await kubectl('get', 'pod', 'done', '-o', 'jsonpath={.status.phase}')).stdout === 'Succeeded', { timeoutMs: 60_000 });
    await kubectl('wait', '--for=condition=Ready', 'pod/once', '--timeout=60s');
    const pids = (tb.state()?.components ?? []).map((c) => c.pid);
    expect(pids.length).toBeGreaterThanOrEqual(5);
    const leaseHolders = (tb.state()?.components ?? []).filter((c) => c.name === 'controller-manager' || c.name === 'scheduler');
    expect(leaseHolders).toHaveLength(2);
    const { stdout } = await k8ts('down');
    expect(stdout).toContain('removed bridge k8ts0');
    expect(pids.filter(isAlive)).toEqual([]);
    // They stopped while the API server still ran, so they released their leader leases: the
    // next up's controller-manager and scheduler lead at once instead of after a lease duration.
    for (const c of leaseHolders) {
      const log = readFileSync(c.logFile, 'utf8');
      expect(log.slice(log.lastIndexOf('"msg":"shutting down"')), c.name).toContain('"msg":"released lease"');
    }
    expect(execFileSync('ip', ['netns', 'exec', tb.netns, 'ip', '-o', 'link']).toString()).not.toContain('k8ts0');
  }, 120_000);

  it('up after down brings the same cluster back from its etcd data', async () => {
    const { stdout } = await k8ts('up', '--skip-install');
    expect(stdout).toMatch(/• node \S+ Ready… done/);
    expect((await kubectl('get', 'svc', '-n', 'kube-system', 'kube-dns', '-o', 'jsonpath={.spec.clusterIP}')).stdout).toBe('10.96.0.10');
    expect((await kubectl('get', 'configmap', '-n', 'kube-public', 'cluster-info', '-o', 'name')).stdout.trim()).toBe('configmap/cluster-info');
    // The completed pod's containers went with the runtime's state; once the kubelet has seen
    // that (its sandbox is gone), the pod still shows Completed, as upstream's kubelet keeps it.
    await waitFor('the kubelet to see pod done without its sandbox', async () => (await kubectl('get', 'pod', 'done', '-o', 'jsonpath={.status.conditions[?(@.type=="PodReadyToStartContainers")].status}')).stdout === 'False', { timeoutMs: 60_000 });
    expect((await kubectl('get', 'pod', 'done', '--no-headers')).stdout).toMatch(/^done\s+0\/1\s+Completed\s+0\s/);
    // A pod that was running starts again, its restarts counted on from its container's log
    // files (upstream's kubelet after a reboot) rather than from 0.
    await waitFor('pod hello running again', async () => /^hello\s+1\/1\s+Running\s+1\s/.test((await kubectl('get', 'pod', 'hello', '--no-headers')).stdout), {
      timeoutMs: 60_000,
      explain: async () => (await kubectl('get', 'pod', 'hello', '-o', 'yaml')).stdout,
    });
    // Its first attempt went with the runtime too; `logs --previous` reads the log file it left,
    // and its last state is upstream's for a container that could not be found.
    expect((await kubectl('logs', 'hello', '--previous')).stdout).toBe('hi from hello\n');
    expect(JSON.parse((await kubectl('get', 'pod', 'hello', '-o', 'jsonpath={.status.containerStatuses[0].lastState}')).stdout)).toEqual({
      terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was deleted.  The container used to be Running' },
    });
    // A `Never` pod that was running is not started again: it failed, as upstream's kubelet decides.
    await waitFor('pod once Failed', async () => (await kubectl('get', 'pod', 'once', '-o', 'jsonpath={.status.phase}')).stdout === 'Failed', {
      timeoutMs: 60_000,
      explain: async () => (await kubectl('get', 'pod', 'once', '-o', 'yaml')).stdout,
    });
    expect((await kubectl('get', 'pod', 'once', '--no-headers')).stdout).toMatch(/^once\s+0\/1\s+ContainerStatusUnknown\s+1\s/);
  }, 200_000);
});
