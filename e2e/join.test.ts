/**
 * `k8ts token create` + `k8ts join` across two "machines": the control plane (`k8ts up` with a
 * fake-runtime node) in one network namespace, the joining node in a second one, connected by a
 * veth pair and nothing else (no shared files: the joiner only gets the printed command). The
 * joined node bootstraps its certificates through CSRs, registers, becomes Ready and runs a pod
 * whose logs the API server fetches over the kubelet's CSR-issued serving certificate. A wrong CA
 * hash and a wrong token secret are refused with kubeadm's messages.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../cli/up/processes.ts';
import { readState } from '../cli/up/state.ts';
import { ALL_KUBECTL_MINORS, installedKubectls } from './harness/kubectl.ts';
import { repoRoot } from './harness/processes.ts';
import { createUpTestbed, type UpTestbed } from './harness/up-testbed.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const run = promisify(execFile);
const minor = installedKubectls(ALL_KUBECTL_MINORS).at(-1) as string;
const machine = `k8ts-joinm-${process.pid}`;
const nodeName = `joined-${process.pid}`;
const veth = `kj${process.pid % 100000}`;
const machineDir = mkdtempSync(join(tmpdir(), 'k8ts-join-machine-'));
let bed: UpTestbed;

/** `k8ts <args>` inside the joining machine's namespace; resolves with the exit code too. */
function onMachine(args: string[], timeoutMs = 240_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return run('nsenter', [`--net=/var/run/netns/${machine}`, process.execPath, join(repoRoot, 'bin/k8ts.mjs'), ...args], { cwd: repoRoot, timeout: timeoutMs, env: { ...process.env, HOME: machineDir } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  );
}

beforeAll(() => {
  bed = createUpTestbed('join');
  execFileSync('ip', ['netns', 'add', machine]);
  execFileSync('ip', ['netns', 'exec', machine, 'ip', 'link', 'set', 'lo', 'up']);
  execFileSync('ip', ['link', 'add', `${veth}a`, 'netns', bed.netns, 'type', 'veth', 'peer', 'name', `${veth}b`, 'netns', machine]);
  execFileSync('ip', ['netns', 'exec', bed.netns, 'ip', 'addr', 'add', '10.77.0.1/24', 'dev', `${veth}a`]);
  execFileSync('ip', ['netns', 'exec', bed.netns, 'ip', 'link', 'set', `${veth}a`, 'up']);
  execFileSync('ip', ['netns', 'exec', machine, 'ip', 'addr', 'add', '10.77.0.2/24', 'dev', `${veth}b`]);
  execFileSync('ip', ['netns', 'exec', machine, 'ip', 'link', 'set', `${veth}b`, 'up']);
});

afterAll(async () => {
  const nodeDir = join(machineDir, 'node');
  await onMachine(['down', '--dir', nodeDir]);
  for (const c of readState(nodeDir)?.components ?? []) if (isAlive(c.pid)) process.kill(c.pid, 'SIGKILL');
  execFileSync('sh', ['-c', `for m in $(grep ' ${machineDir}' /proc/mounts | cut -d' ' -f2 | sort -r); do umount -l "$m" 2>/dev/null; done; true`]);
  execFileSync('sh', ['-c', `ip netns del ${machine} 2>/dev/null; true`]);
  await bed?.destroy();
  rmSync(machineDir, { recursive: true, force: true });
}, 180_000);

describe.skipIf(!minor)('k8ts token create + k8ts join from another machine', () => {
  let joinArgs: string[] = [];

  it('token create prints the join command for the control plane address', async () => {
    const up = await bed.k8ts('up', '--skip-install', '--runtime', 'fake');
    expect(up.stdout).toContain('export KUBECONFIG=');
    const { stdout } = await bed.k8ts('token', 'create', '--ttl', '1h');
    const m = /^npx k8ts join --server (https:\/\/10\.77\.0\.1:6443) --token ([a-z0-9]{6}\.[a-z0-9]{16}) --discovery-token-ca-cert-hash (sha256:[0-9a-f]{64})$/m.exec(stdout);
    expect(m, stdout).not.toBeNull();
    joinArgs = ['--server', m![1], '--token', m![2], '--discovery-token-ca-cert-hash', m![3]];
    const list = (await bed.k8ts('token', 'list')).stdout;
    expect(list).toMatch(new RegExp(`^${m![2].replace('.', '\\.')}\\s+(59m|1h)\\S*\\s+\\S+Z\\s+authentication,signing\\s+<none>\\s+system:bootstrappers:kubeadm:default-node-token$`, 'm'));
  }, 300_000);

  it('refuses a CA hash that is not pinned and a token whose secret is wrong', async () => {
    const wrongHash = [...joinArgs];
    wrongHash[5] = `sha256:${'0'.repeat(64)}`;
    const a = await onMachine(['join', ...wrongHash, '--dir', join(machineDir, 'bad-hash'), '--node-name', 'bad', '--skip-install'], 60_000);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/k8ts join: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "sha256:[0-9a-f]{64}" are pinned/);
    const wrongSecret = [...joinArgs];
    wrongSecret[3] = `${joinArgs[3].slice(0, 7)}${'x'.repeat(16)}`;
    const b = await onMachine(['join', ...wrongSecret, '--dir', join(machineDir, 'bad-token'), '--node-name', 'bad', '--skip-install'], 60_000);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain("k8ts join: failed to verify JWS signature of received cluster-info object, can't trust this API Server");
    const unknown = [...joinArgs];
    unknown[3] = 'zzzzzz.0123456789abcdef';
    const c = await onMachine(['join', ...unknown, '--dir', join(machineDir, 'unknown-token'), '--node-name', 'bad', '--skip-install', '--discovery-timeout', '2s'], 60_000);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('there is no JWS signed token in the cluster-info ConfigMap. This token id "zzzzzz" is invalid for this cluster, or it has expired.');
  }, 200_000);

  it('joins: certificates through CSRs, the node registers and becomes Ready, a pod runs on it', async () => {
    const joined = await onMachine(['join', ...joinArgs, '--dir', join(machineDir, 'node'), '--node-name', nodeName, '--skip-install']);
    expect(joined.code, `${joined.stdout}\n${joined.stderr}`).toBe(0);
    expect(joined.stdout).toMatch(/• kubelet client certificate \(bootstrap token\)… done/);
    const kubectl = bed.kubectl(minor);
    const csrs = await kubectl.ok(['get', 'csr']);
    expect(csrs).toMatch(/^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION$/m);
    expect(csrs).toMatch(/^node-csr-\S+\s+\S+\s+kubernetes\.io\/kube-apiserver-client-kubelet\s+system:bootstrap:[a-z0-9]{6}\s+<none>\s+Approved,Issued$/m);
    expect(csrs).toMatch(new RegExp(`^node-csr-\\S+\\s+\\S+\\s+kubernetes\\.io/kubelet-serving\\s+system:node:${nodeName}\\s+<none>\\s+Approved,Issued$`, 'm'));
    await waitFor(`node ${nodeName} Ready`, async () => /\sReady\s/.test((await kubectl.run(['get', 'node', nodeName])).stdout), { timeoutMs: 90_000, intervalMs: 1000 });
    expect(await kubectl.ok(['get', 'node', nodeName, '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}'])).toBe('10.77.0.2');
    await kubectl.ok(['run', 'on-joined', '--image=busybox', '--restart=Never', `--overrides={"spec":{"nodeName":"${nodeName}"}}`, '--', 'sh', '-c', 'echo hello from the joined node; sleep 3600']);
    await kubectl.ok(['wait', '--for=condition=Ready', 'pod/on-joined', '--timeout=90s'], { timeoutMs: 100_000 });
    expect(await kubectl.ok(['get', 'pod', 'on-joined', '-o', 'wide'])).toMatch(new RegExp(`on-joined\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.244\\.2\\.\\d+\\s+${nodeName}`));
    // The API server reaches the joined kubelet over TLS and verifies its CSR-issued serving certificate;
    // the kubelet takes the API server's client certificate and asks the API server (Webhook) whether it may.
    expect(await kubectl.ok(['logs', 'on-joined'])).toBe('hello from the joined node\n');
  }, 400_000);

  it('down on the joined machine stops what join started', async () => {
    const nodeDir = join(machineDir, 'node');
    const pids = readState(nodeDir)?.components.map((c) => c.pid) ?? [];
    expect(pids.length).toBe(3);
    const res = await onMachine(['down', '--dir', nodeDir], 120_000);
    expect(res.code, res.stderr).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 150_000);
});
