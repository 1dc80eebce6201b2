/**
 * The catalog's images for real: built into the machine cache (reused), pushed to a
 * `docker-registry` and pulled through the CRI of a containerd whose config mirrors docker.io to
 * it — registry, containerd and pods all in a network namespace this test creates. nginx serves
 * "Welcome to nginx!" and, with a default.conf mounted over the image's (as the tutorial's
 * ConfigMap does), proxies to flaskapp, which counts visits in redis; redis answers PING; whoami
 * and http-echo answer as their originals; the sandboxes run the project's static pause.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCniConflist } from '../../../kubelet/containerd/cni.ts';
import { importImage } from '../../../kubelet/containerd/images.ts';
import { PAUSE_IMAGE, startContainerd, type ContainerdProcess } from '../../../kubelet/containerd/process.ts';
import { CriClient } from '../../../kubelet/cri/client.ts';
import type { ContainerConfig, PodSandboxConfig } from '../../../kubelet/cri/types.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { buildImages, type BuiltImages } from './build.ts';
import { imageCacheDir } from './cache.ts';
import { prepareRegistry, pushImages, registryMirrors, waitForRegistry } from './registry.ts';

const run = promisify(execFile);
const netns = `k8ts-images-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'k8ts-images-'));
const REGISTRY = '127.0.0.1:5000';
let registry: ChildProcess | undefined;
let containerd: ContainerdProcess | undefined;
let cri: CriClient;
let built: BuiltImages;
const timings: Record<string, number> = {};

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings[what] = Date.now() - t0;
  }
}

beforeAll(async () => {
  built = await timed('build (cached after the first run)', () => buildImages({ cacheDir: imageCacheDir(), progress: (line) => process.stdout.write(`built ${line}\n`) }));
  execFileSync('ip', ['netns', 'add', netns]);
  execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  const storageDir = join(dir, 'registry');
  const command = prepareRegistry(dir, { storageDir, address: REGISTRY });
  const log = openSync(join(dir, 'registry.log'), 'a');
  registry = spawn('nsenter', [`--net=/var/run/netns/${netns}`, ...command], { stdio: ['ignore', log, log] });
  closeSync(log);
  await waitForRegistry(REGISTRY, { netns, isRunning: () => registry?.exitCode === null });
  await timed('push', () => pushImages({ images: built.images, address: REGISTRY, storageDir, netns }));
  containerd = await timed('containerd', () => startContainerd({ dir: join(dir, 'containerd'), netns, busybox: false, mirrors: registryMirrors(REGISTRY) }));
  writeFileSync(join(dir, 'containerd', 'cni', '10-k8ts.conflist'), renderCniConflist({ podCidr: '10.244.17.0/24' }));
  await importImage({ socket: containerd.socket, archive: built.pauseArchive, baseName: 'k8ts.local/pause' });
  cri = new CriClient({ endpoint: containerd.socket, timeoutMs: 60_000 });
}, 20 * 60_000);

afterAll(async () => {
  for (const s of (await cri?.listPodSandbox().catch(() => [])) ?? []) {
    await cri.stopPodSandbox(s.id).catch(() => undefined);
    await cri.removePodSandbox(s.id).catch(() => undefined);
  }
  cri?.close();
  await containerd?.stop();
  registry?.kill('SIGTERM');
  execFileSync('sh', ['-c', `for m in $(grep ' ${dir}' /proc/mounts | cut -d' ' -f2 | sort -r); do umount -l "$m" 2>/dev/null; done; true`]);
  try {
    execFileSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
  } catch {
    // never created
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`image test timings (ms): ${JSON.stringify(timings)}\n`);
}, 60_000);

/** Runs a sandbox named `name` with `containers` (images pulled through the CRI); returns its IP. */
async function runPod(name: string, containers: Array<Omit<ContainerConfig, 'metadata' | 'logPath'> & { name: string }>): Promise<string> {
  const sandboxConfig: PodSandboxConfig = {
    metadata: { name, uid: `uid-${name}`, namespace: 'default', attempt: 0 },
    hostname: name,
    logDirectory: join(dir, 'logs', name),
    labels: { 'io.kubernetes.pod.name': name },
    linux: {},
  };
  const sandbox = await cri.runPodSandbox(sandboxConfig);
  for (const { name: cname, ...config } of containers) {
    await timed(`pull ${config.image.image}`, () => cri.pullImage(config.image.image, sandboxConfig));
    const id = await cri.createContainer(sandbox, { metadata: { name: cname, attempt: 0 }, logPath: `${cname}.log`, ...config }, sandboxConfig);
    await cri.startContainer(id);
  }
  return (await cri.podSandboxStatus(sandbox)).network?.ip as string;
}

/** An HTTP GET from inside the namespace (busybox wget), retried until it answers. */
function get(url: string): Promise<string> {
  return waitFor(`GET ${url}`, async () => (await run('nsenter', [`--net=/var/run/netns/${netns}`, 'busybox', 'wget', '-q', '-O', '-', url], { timeout: 3000 })).stdout, { timeoutMs: 30_000, intervalMs: 300, retryErrors: true });
}

describe('images from the local registry', () => {
  it('runs nginx as the official image does: the welcome page on port 80, access log on stdout', async () => {
    const ip = await runPod('web', [{ name: 'nginx', image: { image: 'docker.io/library/nginx:latest' } }]);
    expect(ip).toMatch(/^10\.244\.17\.\d+$/);
    expect(await get(`http://${ip}/`)).toContain('<title>Welcome to nginx!</title>');
    await waitFor('access log line', () => readFileSync(join(dir, 'logs', 'web', 'nginx.log'), 'utf8').match(/ stdout F .*"GET \/ HTTP\/1\.1" 200/), { timeoutMs: 10_000, intervalMs: 200 });
    const pause = (await cri.listPodSandbox()).length;
    expect(pause).toBeGreaterThan(0);
    expect((await cri.imageStatus(PAUSE_IMAGE))?.repoTags).toContain(PAUSE_IMAGE);
  });

  it('runs redis (answers PING), the flaskapp counting visits in it, whoami and http-echo; nginx with a mounted default.conf proxies to flaskapp', async () => {
    const apps = await runPod('apps', [
      { name: 'redis', image: { image: 'docker.io/library/redis:4-alpine3.8' } },
      { name: 'flaskapp', image: { image: 'docker.io/library/flaskapp:0.0.2' }, envs: [{ key: 'REDIS_HOST', value: Buffer.from('127.0.0.1') }] },
      { name: 'whoami', image: { image: 'docker.io/jwilder/whoami:latest' } },
      { name: 'echo', image: { image: 'docker.io/hashicorp/http-echo:latest' }, args: ['-text=hello from echo'] },
    ]);
    const ping = await waitFor('redis PING', async () => (await run('nsenter', [`--net=/var/run/netns/${netns}`, 'sh', '-c', `printf 'PING\\r\\n' | busybox nc -w 2 ${apps} 6379`])).stdout.toString(), { timeoutMs: 30_000, intervalMs: 300, retryErrors: true });
    expect(ping).toBe('+PONG\r\n');
    expect(await get(`http://${apps}:8000/`)).toBe("I'm apps\n");
    expect(await get(`http://${apps}:5678/`)).toBe('hello from echo\n');
    const first = await get(`http://${apps}:5000/`);
    expect(first).toMatch(/^Hello from apps! I have been seen (\d+) times\.\n$/);

    const conf = join(dir, 'default.conf');
    writeFileSync(conf, `upstream flaskapp {\n    server ${apps}:5000;\n}\nserver {\n    listen 80;\n    server_name localhost;\n    root /usr/share/nginx/html;\n    location / {\n        proxy_pass http://flaskapp;\n        proxy_set_header Host $host;\n    }\n}\n`);
    const proxy = await runPod('proxy', [{ name: 'nginx', image: { image: 'docker.io/library/nginx:1.15.8-alpine' }, mounts: [{ containerPath: '/etc/nginx/conf.d/default.conf', hostPath: conf, readonly: true }] }]);
    const n = Number(/seen (\d+) times/.exec(first)?.[1]);
    expect(await get(`http://${proxy}/`)).toBe(`Hello from apps! I have been seen ${n + 1} times.\n`);
    expect(await get(`http://${proxy}/`)).toBe(`Hello from apps! I have been seen ${n + 2} times.\n`);
  });

  it('pulls busybox under the Kubernetes registry names and runs it', async () => {
    await cri.pullImage('k8s.gcr.io/busybox:latest');
    await cri.pullImage('registry.k8s.io/busybox:latest');
    expect((await cri.imageStatus('k8s.gcr.io/busybox:latest'))?.id).toBe((await cri.imageStatus('registry.k8s.io/busybox:latest'))?.id);
    const ip = await runPod('shell', [{ name: 'sh', image: { image: 'k8s.gcr.io/busybox:latest' }, command: ['httpd', '-f', '-p', '8080', '-h', '/etc'] }]);
    expect((await get(`http://${ip}:8080/hostname`)).trim()).toBe('shell');
  });
});
