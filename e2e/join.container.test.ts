/**
 * `k8ts join` on a fresh machine: a privileged container (podman, inside a network namespace
 * this test creates, sharing that namespace) from an image holding Debian bookworm minbase, the
 * host's apt sources, Node 20 + npm and the project's `npm ci` — nothing else
 * (e2e/harness/fresh-machine-image.ts). The test copies the checkout (`git archive HEAD`) in,
 * starts a control plane (`k8ts up --runtime fake`, as e2e/join.test.ts) in a second namespace
 * joined to the first by a veth pair, and runs the exact `npx k8ts join …` command `k8ts token
 * create` printed. Join must install containerd, runc, the CNI plugins, iptables … itself with
 * apt-get, build its pause and busybox images, get its certificates through CSRs and start
 * containerd, kubelet and proxy; the node must register, become Ready and run a busybox pod
 * whose logs the API server fetches from the joined kubelet.
 *
 * The namespace's only way out is a relay to the Debian archive (e2e/harness/archive-relay.ts;
 * the container resolves the archive's host to it), as these machines reach nothing else either.
 * Downloaded .deb files are kept in the machine cache (`test-apt-archives`, bind-mounted as the
 * container's /var/cache/apt/archives) so a warm run does not fetch them again; apt-get still
 * installs every package inside the container.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debianArchive } from '../cli/up/images/apt-sources.ts';
import { imageCacheDir } from '../cli/up/images/cache.ts';
import { startArchiveRelay, type ArchiveRelay } from './harness/archive-relay.ts';
import { ensureFreshMachineTarball, FRESH_MACHINE_CHECKOUT } from './harness/fresh-machine-image.ts';
import { ALL_KUBECTL_MINORS, installedKubectls } from './harness/kubectl.ts';
import { podmanUnusableReason, startPodmanInNetns, type PodmanInNetns } from './harness/podman-in-netns.ts';
import { repoRoot } from './harness/processes.ts';
import { createUpTestbed, type UpTestbed } from './harness/up-testbed.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const run = promisify(execFile);
const unusable = podmanUnusableReason();
const minor = installedKubectls(ALL_KUBECTL_MINORS).at(-1);
const IMAGE = `localhost/k8ts-fresh-machine:${process.pid}`;
const nodeName = `fresh-${process.pid}`;
const veth = `kc${process.pid % 100000}`;
/** Packages join must install: none of them is in the image. */
const JOIN_INSTALLS = ['containerd', 'runc', 'containernetworking-plugins', 'iptables', 'conntrack', 'iproute2', 'busybox-static', 'umoci'];

let bed: UpTestbed | undefined;
let podman: PodmanInNetns | undefined;
let machine: StartedTestContainer | undefined;
let relay: ArchiveRelay | undefined;
const timings: Record<string, number> = {};

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - start;
  }
}

/** `sh -c script` inside the fresh machine, failing with its output on a non-zero exit. */
async function onMachine(script: string): Promise<string> {
  const res = await machine!.exec(['sh', '-c', script]);
  if (res.exitCode !== 0) throw new Error(`fresh machine: ${script} exited with ${res.exitCode}:\n${res.output.slice(-4000)}`);
  return res.output;
}

/** The checkout as `git archive HEAD` (a tar stream), as a fresh clone would have it. */
function checkoutArchive(): NodeJS.ReadableStream {
  const git = spawn('git', ['archive', '--format=tar', 'HEAD'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  return git.stdout;
}

beforeAll(async () => {
  if (unusable || !minor) return;
  bed = createUpTestbed('joinc');
  podman = await timed('podman service', () => startPodmanInNetns({ topic: 'joincm' }));
  // The fresh machine's network is the podman namespace (the container uses its "host" network).
  await run('ip', ['link', 'add', `${veth}a`, 'netns', bed.netns, 'type', 'veth', 'peer', 'name', `${veth}b`, 'netns', podman.netns]);
  await run('ip', ['-n', bed.netns, 'addr', 'add', '10.77.0.1/24', 'dev', `${veth}a`]);
  await run('ip', ['-n', bed.netns, 'link', 'set', `${veth}a`, 'up']);
  await run('ip', ['-n', podman.netns, 'addr', 'add', '10.77.0.2/24', 'dev', `${veth}b`]);
  await run('ip', ['-n', podman.netns, 'link', 'set', `${veth}b`, 'up']);
  // The namespace has no way out but this relay to the Debian archive (the host's sources name it).
  relay = await startArchiveRelay(podman, debianArchive('bookworm'));
  const archiveHost = relay.archiveHost;
  const tarball = await timed('fresh machine image (cached tarball)', () => ensureFreshMachineTarball());
  await timed('podman import', () => podman!.remote(['import', tarball, IMAGE], 300_000));
  const aptArchives = join(imageCacheDir(), 'test-apt-archives');
  mkdirSync(join(aptArchives, 'partial'), { recursive: true });
  Object.assign(process.env, podman.testcontainersEnv);
  machine = await timed('container start', () =>
    new GenericContainer(IMAGE)
      .withName(`k8ts-joinc-machine-${process.pid}`)
      .withPrivilegedMode()
      .withNetworkMode('host')
      .withExtraHosts([{ host: archiveHost, ipAddress: '127.0.0.1' }])
      .withBindMounts([{ source: aptArchives, target: '/var/cache/apt/archives', mode: 'rw' }])
      .withCommand(['sleep', 'infinity'])
      .withStartupTimeout(120_000)
      .start(),
  );
  await timed('checkout copied in', async () => {
    await machine!.copyArchiveToContainer(checkoutArchive() as never, FRESH_MACHINE_CHECKOUT);
  });
}, 900_000);

afterAll(async () => {
  // Removing the container kills containerd, kubelet, proxy and the pods' runc containers inside
  // it; the CNI bridge, iptables rules and veth live in the namespaces deleted below.
  await podman?.remote(['rm', '-f', '-t', '0', `k8ts-joinc-machine-${process.pid}`], 60_000).catch(() => undefined);
  await podman?.remote(['rmi', '-f', IMAGE], 60_000).catch(() => undefined);
  await podman?.stop();
  await relay?.stop();
  await bed?.destroy();
  console.log(`join.container timings (ms): ${JSON.stringify(timings)}`);
}, 300_000);

describe.skipIf(Boolean(unusable) || !minor)(`k8ts join on a fresh machine (container)${unusable ? ` — ${unusable}` : ''}`, () => {
  let joinCommand = '';

  it('the fresh machine has Node 20 and the checkout, and none of the node packages', async () => {
    expect(await onMachine('node --version')).toMatch(/^v20\./);
    expect(await onMachine(`test -f ${FRESH_MACHINE_CHECKOUT}/bin/k8ts.mjs && test -d ${FRESH_MACHINE_CHECKOUT}/node_modules/tsx && echo ok`)).toBe('ok\n');
    const installed = await onMachine(`for p in ${JOIN_INSTALLS.join(' ')}; do dpkg-query -W -f='\${Status}\\n' $p 2>/dev/null | grep -q 'install ok installed' && echo $p; done; true`);
    expect(installed.trim()).toBe('');
    expect(await onMachine('command -v containerd runc iptables || echo none')).toBe('none\n');
  }, 60_000);

  it('token create on the control plane prints the join command', async () => {
    const up = await timed('k8ts up (fake runtime)', () => bed!.k8ts('up', '--skip-install', '--runtime', 'fake'));
    expect(up.stdout).toContain('export KUBECONFIG=');
    const { stdout } = await bed!.k8ts('token', 'create', '--ttl', '1h');
    const m = /^npx k8ts join --server https:\/\/10\.77\.0\.1:6443 --token [a-z0-9]{6}\.[a-z0-9]{16} --discovery-token-ca-cert-hash sha256:[0-9a-f]{64}$/m.exec(stdout);
    expect(m, stdout).not.toBeNull();
    joinCommand = m![0];
  }, 300_000);

  it('the printed command joins: packages from the Debian archive, certificates, containerd, kubelet', async () => {
    expect(joinCommand).not.toBe('');
    const res = await timed('k8ts join', () => machine!.exec(['sh', '-c', `cd ${FRESH_MACHINE_CHECKOUT} && timeout 600 ${joinCommand} --node-name ${nodeName} 2>&1`]));
    console.log(`k8ts join on the fresh machine:\n${res.output.split('\n').filter((l) => l.startsWith('• ')).join('\n')}`);
    expect(res.exitCode, res.output.slice(-6000)).toBe(0);
    expect(res.output).toMatch(/• Debian packages… done/);
    expect(res.output).toMatch(/• kubelet client certificate \(bootstrap token\)… done/);
    expect(res.output).toMatch(/• kubelet serving certificate \(node identity\)… done/);
    expect(res.output).toContain(`This node has joined the cluster; on the control plane, "kubectl get nodes" shows ${nodeName}.`);
    const installed = await onMachine(`for p in ${JOIN_INSTALLS.join(' ')}; do dpkg-query -W -f='\${Status}\\n' $p 2>/dev/null | grep -q 'install ok installed' && echo $p; done; true`);
    expect(installed.trim().split('\n')).toEqual(JOIN_INSTALLS);
    // minbase has no procps: processes are read from /proc.
    // -q: a match counts even when a process listed by the glob is gone before grep reads it.
    expect(await onMachine('grep -qsx containerd /proc/[0-9]*/comm && echo running')).toBe('running\n');
  }, 700_000);

  it('the node registers, becomes Ready and runs a busybox pod whose logs the API server fetches', async () => {
    const kubectl = bed!.kubectl(minor!);
    await timed('node Ready', () => waitFor(`node ${nodeName} Ready`, async () => /\sReady\s/.test((await kubectl.run(['get', 'node', nodeName])).stdout), { timeoutMs: 120_000, intervalMs: 1000 }));
    expect(await kubectl.ok(['get', 'node', nodeName, '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}'])).toBe('10.77.0.2');
    await kubectl.ok(['run', 'on-fresh', '--image=busybox', '--restart=Never', `--overrides={"spec":{"nodeName":"${nodeName}"}}`, '--', 'sh', '-c', 'echo hello from the fresh machine; sleep 3600']);
    await timed('pod Ready', () => kubectl.ok(['wait', '--for=condition=Ready', 'pod/on-fresh', '--timeout=120s'], { timeoutMs: 130_000 }));
    expect(await kubectl.ok(['get', 'pod', 'on-fresh', '-o', 'wide'])).toMatch(new RegExp(`on-fresh\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.244\\.2\\.\\d+\\s+${nodeName}`));
    expect(await kubectl.ok(['logs', 'on-fresh'])).toBe('hello from the fresh machine\n');
    // The pod really runs under runc inside the fresh machine.
    expect(await onMachine(`for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' 2>/dev/null < $f; echo; done | grep -c '^sleep 3600'`)).toBe('1\n');
  }, 300_000);
});
