/**
 * Disk usage of a directory tree, as upstream's `fs.DiskUsage` (`du`): the blocks every file,
 * directory and link below `path` occupies (512-byte units, so sparse files count what they
 * hold), each inode once however many hard links name it, without following symlinks or leaving
 * the file system `path` is on. A tree changing meanwhile is measured as found; undefined when
 * `path` does not exist.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function diskUsageBytes(path: string): Promise<number | undefined> {
  const root = await lstat(path, { bigint: true }).catch(() => undefined);
  if (!root) return undefined;
  const seen = new Set<bigint>();
  let blocks = 0n;
  const walk = async (dir: string): Promise<void> => {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const entry = join(dir, name);
      const info = await lstat(entry, { bigint: true }).catch(() => undefined);
      if (!info || info.dev !== root.dev) continue;
      if (info.nlink > 1n) {
        if (seen.has(info.ino)) continue;
        seen.add(info.ino);
      }
      blocks += info.blocks;
      if (info.isDirectory()) await walk(entry);
    }
  };
  blocks += root.blocks;
  if (root.isDirectory()) await walk(path);
  return Number(blocks * 512n);
}
