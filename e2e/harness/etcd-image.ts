/**
 * An etcd container image built on this machine, without any registry: Debian's `etcd` and
 * `etcdctl` (dynamically linked to libc only) plus exactly the shared libraries `ldd` names,
 * packed with umoci into an OCI archive. The archive is cached under
 * `$K8TS_CACHE_DIR/images` (default `~/.cache/k8ts/images`), keyed by the files' paths, sizes
 * and mtimes, so it is built once per etcd/libc version (≈1 s) and reused; concurrent builders
 * each write a private temporary file and rename it into place.
 *
 * Needs `etcd-server`, `etcd-client` and `umoci` (scripts/install-deps.sh).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { PodmanInNetns } from './podman-in-netns.ts';

const run = promisify(execFile);

/** The binaries the image holds. */
export const ETCD_IMAGE_BINARIES = ['/usr/bin/etcd', '/usr/bin/etcdctl'];

/** The absolute library paths in `ldd` output (`libc.so.6 => /lib/… (0x…)`, `/lib64/ld-… (0x…)`); pure. */
export function parseLddLibraries(lddOutput: string): string[] {
  const libs = new Set<string>();
  for (const line of lddOutput.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (m) libs.add(m[1]!);
  }
  return [...libs].sort();
}

/** Cache key of a file set: sha256 over path, size and mtime of each; pure given the stats. */
export function fileSetKey(files: Array<{ path: string; size: number; mtimeMs: number }>): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) h.update(`${f.path}\0${f.size}\0${Math.trunc(f.mtimeMs)}\n`);
  return h.digest('hex').slice(0, 16);
}

/** Where cached images live. */
export function imageCacheDir(): string {
  return join(process.env.K8TS_CACHE_DIR ?? join(homedir(), '.cache', 'k8ts'), 'images');
}

/** Returns the path of the cached etcd OCI archive, building it first when missing. */
export async function ensureEtcdImageArchive(): Promise<string> {
  const libs = new Set<string>();
  for (const bin of ETCD_IMAGE_BINARIES) {
    if (!existsSync(bin)) throw new Error(`${bin} missing (run scripts/install-deps.sh)`);
    const { stdout } = await run('ldd', [bin]).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    for (const lib of parseLddLibraries(stdout)) libs.add(lib);
  }
  const files = [...ETCD_IMAGE_BINARIES, ...libs];
  const key = fileSetKey(files.map((path) => ({ path, ...pickStat(path) })));
  const cacheDir = imageCacheDir();
  const archive = join(cacheDir, `etcd-${key}.oci.tar`);
  if (existsSync(archive)) return archive;
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(join(cacheDir, '.etcd-build-'));
  try {
    const rootfs = join(work, 'rootfs');
    for (const file of files) {
      await mkdir(join(rootfs, dirname(file)), { recursive: true });
      await copyFile(file, join(rootfs, file)); // copyFile follows symlinks: the real library lands under the linked name
    }
    for (const d of ['tmp', 'var/lib/etcd']) await mkdir(join(rootfs, d), { recursive: true });
    const layout = join(work, 'oci');
    const image = `${layout}:etcd`;
    await run('umoci', ['init', '--layout', layout]);
    await run('umoci', ['new', '--image', image]);
    await run('umoci', ['insert', '--rootless', '--image', image, rootfs, '/']);
    await run('umoci', ['config', '--image', image, '--config.entrypoint', '/usr/bin/etcd', '--config.workingdir', '/', '--config.env', 'PATH=/usr/bin']);
    const tmpTar = join(work, 'image.tar');
    await run('tar', ['-C', layout, '-cf', tmpTar, '.']);
    await rename(tmpTar, archive);
    return archive;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Loads the (cached) etcd image into `podman` under `name` (e.g. `localhost/k8ts-etcd:test`). */
export async function loadEtcdImage(podman: PodmanInNetns, name: string): Promise<void> {
  const archive = await ensureEtcdImageArchive();
  const out = await podman.remote(['load', '-q', '-i', archive], 120_000);
  const loaded = /Loaded image(?:\(s\))?:\s*(\S+)/.exec(out)?.[1];
  if (!loaded) throw new Error(`podman load printed no image name: ${out}`);
  await podman.remote(['tag', loaded, name]);
}

function pickStat(path: string): { size: number; mtimeMs: number } {
  const s = statSync(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}
