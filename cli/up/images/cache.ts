/**
 * The machine-wide image cache (`/var/cache/k8ts`, or `$K8TS_CACHE_DIR`): the Debian root
 * filesystem tarball and the OCI layouts built from it live here, reused by every cluster and
 * test on the machine. Builders hold {@link withCacheLock} so two processes never build the same
 * thing at once; a lock left by a dead process is taken over.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../processes.ts';

/** The cache directory: `explicit`, else `$K8TS_CACHE_DIR`, else `/var/cache/k8ts`. */
export function imageCacheDir(explicit?: string): string {
  return explicit ?? process.env.K8TS_CACHE_DIR ?? '/var/cache/k8ts';
}

/** A short, stable content key (12 hex digits of sha256 over the JSON of `parts`). Pure. */
export function contentKey(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);
}

/**
 * Runs `fn` holding the lock `<dir>/<name>.lock` (a directory holding the owner's PID). Waits
 * up to `timeoutMs` (default 15 min: a first root-filesystem build) for another holder.
 */
export async function withCacheLock<T>(dir: string, name: string, fn: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // being created or removed right now
      }
      if (owner && !isAlive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (held by pid ${owner || '?'})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
