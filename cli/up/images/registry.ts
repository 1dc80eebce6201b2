/**
 * The local image registry of a cluster: Debian's `docker-registry serve CONFIG` (distribution
 * 2.8, plain HTTP) storing where it is told (`k8ts up`: the machine cache, shared by clusters), the built images pushed into it with
 * `skopeo copy` under the names manifests use (`docker.io/library/nginx:latest` →
 * `library/nginx:latest`), and the containerd mirrors that send docker.io, k8s.gcr.io,
 * registry.k8s.io and quay.io pulls to it. Pushes already made to the same storage are recorded
 * and skipped.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BuiltImage } from './build.ts';
import { withCacheLock } from './cache.ts';
import { MIRRORED_REGISTRIES, recipeReferences } from './catalog.ts';

const run = promisify(execFile);

/** The registry's settings. */
export interface RegistryOptions {
  /** Where blobs and manifests are stored. */
  storageDir: string;
  /** `host:port` it listens on. */
  address: string;
}

/** The distribution config file (YAML; JSON strings are valid YAML scalars). Pure. */
export function renderRegistryConfig(options: RegistryOptions): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(options.storageDir)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${q(options.address)}`,
    '',
  ].join('\n');
}

/** Writes the config into `dir` and returns the command that serves it. */
export function prepareRegistry(dir: string, options: RegistryOptions): string[] {
  mkdirSync(options.storageDir, { recursive: true });
  const config = join(dir, 'registry.yml');
  writeFileSync(config, renderRegistryConfig(options));
  return ['docker-registry', 'serve', config];
}

/** Containerd mirrors sending every registry the catalog names to `http://<address>`. Pure. */
export function registryMirrors(address: string): Record<string, string[]> {
  return Object.fromEntries(MIRRORED_REGISTRIES.map((host) => [host, [`http://${address}`]]));
}

/** Whether `GET http://<address>/v2/` answers 200 — from inside `netns` (busybox wget) when given. */
async function registryAnswers(address: string, netns?: string): Promise<boolean> {
  if (!netns) return fetch(`http://${address}/v2/`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
  return run('nsenter', [`--net=/var/run/netns/${netns}`, 'busybox', 'wget', '-q', '-O', '/dev/null', `http://${address}/v2/`], { timeout: 2000 }).then(() => true, () => false);
}

/** Resolves once the registry answers, or rejects after `timeoutMs` or when `isRunning` says it exited. */
export async function waitForRegistry(address: string, options: { timeoutMs?: number; netns?: string; isRunning?: () => boolean } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await registryAnswers(address, options.netns)) return;
    if (options.isRunning && !options.isRunning()) throw new Error(`the registry on ${address} exited`);
    if (Date.now() > deadline) throw new Error(`the registry on ${address} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One push: the skopeo source and the registry-relative destination (`library/nginx:latest`). */
export interface PushPlanEntry {
  source: string;
  destination: string;
  key: string;
}

/** What to push for `images` (one entry per reference; the mirrors strip the registry host). Pure. */
export function planPushes(images: readonly BuiltImage[]): PushPlanEntry[] {
  const seen = new Set<string>();
  const plan: PushPlanEntry[] = [];
  for (const image of images) {
    for (const ref of recipeReferences(image.recipe)) {
      const destination = `${ref.path}:${ref.tag ?? 'latest'}`;
      if (seen.has(destination)) continue;
      seen.add(destination);
      plan.push({ source: image.source, destination, key: image.key });
    }
  }
  return plan;
}

/**
 * `plan` in groups by source, each in plan order. A group is pushed one entry after another:
 * distribution 2.8 can lose a blob's repository link when two pushes of the same blobs into one
 * repository (`busybox:latest` and `busybox:1.28`) run at once, and then rejects the manifest
 * with `blob unknown to registry`. Pure.
 */
export function groupPushesBySource(plan: readonly PushPlanEntry[]): PushPlanEntry[][] {
  const groups = new Map<string, PushPlanEntry[]>();
  for (const p of plan) {
    const group = groups.get(p.source);
    if (group) group.push(p);
    else groups.set(p.source, [p]);
  }
  return [...groups.values()];
}

/**
 * Pushes `images` to the registry at `address` whose storage is `storageDir`, skipping what the
 * record `<storageDir>/k8ts-pushed.json` says is already there with the same build key. Runs
 * `concurrency` skopeo processes at once, each pushing one {@link groupPushesBySource} group in
 * order (inside `netns` when given). Returns how many pushes ran.
 */
export async function pushImages(options: { images: readonly BuiltImage[]; address: string; storageDir: string; concurrency?: number; netns?: string }): Promise<number> {
  // Several clusters may share one storage (the machine cache): one pusher at a time, and a
  // later one finds everything recorded.
  return withCacheLock(options.storageDir, 'k8ts-push', async () => {
    const recordPath = join(options.storageDir, 'k8ts-pushed.json');
    const record: Record<string, string> = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, 'utf8')) as Record<string, string>) : {};
    const todo = planPushes(options.images).filter((p) => record[p.destination] !== p.key);
    const queue = groupPushesBySource(todo);
    const push = async (p: PushPlanEntry) => {
      const args = ['copy', '--quiet', '--dest-tls-verify=false', p.source, `docker://${options.address}/${p.destination}`];
      const [cmd, argv] = options.netns ? ['nsenter', [`--net=/var/run/netns/${options.netns}`, 'skopeo', ...args]] : ['skopeo', args];
      await run(cmd, argv, { maxBuffer: 16 << 20 }).catch((err: Error & { stderr?: string }) => {
        throw new Error(`skopeo ${args.join(' ')}: ${err.stderr?.trim() || err.message}`);
      });
      record[p.destination] = p.key;
    };
    const pushGroup = async (group: PushPlanEntry[]) => {
      for (const p of group) await push(p);
    };
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) await pushGroup(group);
    };
    try {
      // The first image alone uploads the shared Debian layer once; later pushes find it there.
      const first = queue.shift();
      if (first) await pushGroup(first);
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 3) }, worker));
    } finally {
      writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
    }
    return todo.length;
  });
}
