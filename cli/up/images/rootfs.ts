/**
 * The Debian root filesystem every real-program image is built from: `debootstrap
 * --variant=minbase --include=<packages> bookworm` from the archive apt uses, trimmed (apt
 * caches and lists, docs, man pages, locales, /dev) and kept as one uncompressed tarball in the
 * cache, keyed by suite and package list — built once per machine (about a minute), then reused.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { debianArchive } from './apt-sources.ts';
import { contentKey, withCacheLock } from './cache.ts';

const run = promisify(execFile);

/** What goes into the root filesystem. */
export interface RootfsSpec {
  suite: string;
  /** Debian packages installed on top of minbase. */
  packages: readonly string[];
  /** Archive URL (default: the one apt uses for `suite`). */
  mirror?: string;
}

/** The packages the catalog's images need: the real nginx, redis and Python with Flask. */
export const DEBIAN_ROOTFS: RootfsSpec = { suite: 'bookworm', packages: ['nginx-light', 'redis-server', 'python3-flask', 'python3-redis'] };

/** Paths (relative to the root) emptied after debootstrap: nothing a container uses. */
const TRIM = ['var/cache/apt', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'var/log', 'dev', 'etc/nginx/sites-enabled'];

/** The cache key of `spec` (the mirror is not part of it: every mirror serves the same packages). Pure. */
export function rootfsKey(spec: RootfsSpec): string {
  return contentKey('rootfs/v1', spec.suite, [...spec.packages].sort(), TRIM);
}

/** The path of the cached tarball for `spec`, building it first when absent. */
export async function ensureRootfs(cacheDir: string, spec: RootfsSpec = DEBIAN_ROOTFS): Promise<string> {
  const dir = join(cacheDir, 'rootfs');
  const tarball = join(dir, `debian-${spec.suite}-${rootfsKey(spec)}.tar`);
  if (existsSync(tarball)) return tarball;
  return withCacheLock(dir, 'build', async () => {
    if (existsSync(tarball)) return tarball;
    const work = join(dir, `build-${process.pid}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    try {
      const mirror = spec.mirror ?? debianArchive(spec.suite);
      await run('debootstrap', ['--variant=minbase', `--include=${spec.packages.join(',')}`, spec.suite, work, mirror], { maxBuffer: 64 << 20 }).catch((err: Error & { stdout?: string; stderr?: string }) => {
        throw new Error(`debootstrap ${spec.suite} from ${mirror} failed: ${(err.stderr || err.stdout || err.message).trim().split('\n').slice(-5).join('\n')}`);
      });
      for (const path of TRIM) await run('find', [join(work, path), '-mindepth', '1', '-delete']).catch(() => undefined);
      await run('tar', ['--numeric-owner', '--xattrs', '-C', work, '-cf', `${tarball}.tmp`, '.']);
      renameSync(`${tarball}.tmp`, tarball);
      return tarball;
    } finally {
      // A failed debootstrap may leave /proc or /sys mounted inside the tree.
      await run('sh', ['-c', `for m in $(grep ' ${work}/' /proc/mounts | cut -d' ' -f2 | sort -r); do umount -l "$m"; done; true`]);
      rmSync(work, { recursive: true, force: true });
      rmSync(`${tarball}.tmp`, { force: true });
    }
  });
}
