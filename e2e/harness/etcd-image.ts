/**
 * An etcd container image built on this machine, without any registry: Debian's `etcd` and
 * `etcdctl` (dynamically linked to libc only) plus exactly the shared libraries `ldd` names,
 * packed with umoci into an OCI archive. The archive lives in the machine's image cache
 * (`test-images/` under `/var/cache/k8ts` or `$K8TS_CACHE_DIR`), keyed by the files' paths,
 * sizes and mtimes, so it is built once per etcd/libc version (≈1 s) and reused; builders hold
 * the cache lock and rename a finished archive into place.
 *
 * Needs `etcd-server`, `etcd-client` and `umoci` (scripts/install-deps.sh).
 */
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { contentKey, imageCacheDir, withCacheLock } from '../../cli/up/images/cache.ts';
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

/** Returns the path of the cached etcd OCI archive, building it first when missing. */
export async function ensureEtcdImageArchive(): Promise<string> {
  const libs = new Set<string>();
  for (const bin of ETCD_IMAGE_BINARIES) {
    if (!existsSync(bin)) throw new Error(`${bin} missing (run scripts/install-deps.sh)`);
    const { stdout } = await run('ldd', [bin]).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    for (const lib of parseLddLibraries(stdout)) libs.add(lib);
  }
  const files = [...ETCD_IMAGE_BINARIES, ...libs];
  const key = contentKey(files.map((path) => [path, statSync(path).size, Math.trunc(statSync(path).mtimeMs)]));
  const cacheDir = join(imageCacheDir(), 'test-images');
  const archive = join(cacheDir, `etcd-${key}.oci.tar`);
  if (existsSync(archive)) return archive;
  return withCacheLock(cacheDir, `etcd-${key}`, async () => (existsSync(archive) ? archive : buildArchive(files, cacheDir, archive)));
}

async function buildArchive(files: string[], cacheDir: string, archive: string): Promise<string> {
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

