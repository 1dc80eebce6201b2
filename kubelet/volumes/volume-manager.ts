/**
 * Sets pod volumes up on disk under `<root>/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>`
 * and tears them down. File volumes are written atomically as upstream's AtomicWriter does:
 * a timestamped directory, a `..data` symlink swapped by rename, and one symlink per top-level
 * entry — so ConfigMap/Secret updates appear all at once in running containers.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, lstat, mkdir, readdir, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { VolumeError, type VolumePlan } from './content.ts';
import { localPathError } from './claims.ts';

const run = promisify(execFile);

const PLUGIN_DIR: Record<string, string> = { emptyDir: 'kubernetes.io~empty-dir', configmap: 'kubernetes.io~configmap', secret: 'kubernetes.io~secret', 'downward-api': 'kubernetes.io~downward-api', projected: 'kubernetes.io~projected' };

/** Host-path type checks (upstream `hostPathTypeChecker`), creating `*OrCreate` paths. */
export async function checkHostPath(volume: string, path: string, type: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  const fail = (what: string) => {
    throw new VolumeError(volume, `hostPath type check failed: ${path} is not a ${what}`);
  };
  switch (type) {
    case '':
      return;
    case 'DirectoryOrCreate':
      if (!info) await mkdir(path, { recursive: true, mode: 0o755 });
      else if (!info.isDirectory()) fail('directory');
      return;
    case 'Directory':
      if (!info?.isDirectory()) fail('directory');
      return;
    case 'FileOrCreate':
      if (!info) {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, '', { mode: 0o644 });
      } else if (!info.isFile()) fail('file');
      return;
    case 'File':
      if (!info?.isFile()) fail('file');
      return;
    case 'Socket':
      if (!info?.isSocket()) fail('socket');
      return;
    case 'CharDevice':
      if (!info?.isCharacterDevice()) fail('character device');
      return;
    case 'BlockDevice':
      if (!info?.isBlockDevice()) fail('block device');
      return;
    default:
      throw new VolumeError(volume, `hostPath type check failed: unknown type ${type}`);
  }
}

async function isMountPoint(path: string): Promise<boolean> {
  try {
    const [self, parent] = await Promise.all([stat(path), stat(dirname(path))]);
    return self.dev !== parent.dev;
  } catch {
    return false;
  }
}

/** Writes `files` into `dir` atomically (see the module comment). */
export async function writeAtomically(dir: string, files: ReadonlyArray<{ path: string; content: Buffer; mode: number }>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const stamp = `..${new Date().toISOString().replace(/[-:.TZ]/g, '_')}${Math.random().toString(36).slice(2, 8)}`;
  const staging = join(dir, stamp);
  await mkdir(staging);
  for (const f of files) {
    const target = join(staging, f.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content);
    await chmod(target, f.mode);
  }
  const previous = await readlink(join(dir, '..data')).catch(() => undefined);
  const tmpLink = join(dir, '..data_tmp');
  await rm(tmpLink, { force: true });
  await symlink(stamp, tmpLink);
  await rename(tmpLink, join(dir, '..data'));
  const top = new Set(files.map((f) => f.path.split('/')[0]));
  for (const name of top) {
    const link = join(dir, name);
    const existing = await lstat(link).catch(() => undefined);
    if (!existing) await symlink(join('..data', name), link);
  }
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('..')) continue;
    if (!top.has(entry)) await rm(join(dir, entry), { force: true, recursive: true });
  }
  if (previous && previous !== stamp) await rm(join(dir, previous), { recursive: true, force: true });
}

/**
 * Upstream SetVolumeOwnership: everything under `dir` (symlinks left alone) goes to group `gid`;
 * files gain `access` (0660 read-write, 0440 read-only), directories also the group's execute bit
 * and setgid, so what the pod creates there inherits the group.
 */
export async function setVolumeOwnership(dir: string, gid: number, access: number): Promise<void> {
  const walk = async (path: string): Promise<void> => {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return;
    await chown(path, info.uid, gid);
    const extra = info.isDirectory() ? access | 0o110 | 0o2000 : access;
    await chmod(path, (info.mode & 0o7777) | extra);
    if (info.isDirectory()) for (const entry of await readdir(path)) await walk(join(path, entry));
  };
  await walk(dir);
}

/** Per-pod volume directories on one node. */
export class VolumeManager {
  constructor(private readonly rootDir: string) {}

  podDir(uid: string): string {
    return join(this.rootDir, 'pods', uid);
  }

  /** The host directory of the pod's emptyDir volume `name`. */
  emptyDirPath(uid: string, name: string): string {
    return join(this.podDir(uid), 'volumes', PLUGIN_DIR.emptyDir!, name);
  }

  /**
   * Sets up every planned volume; returns volume name → host path. An emptyDir is world-writable
   * (0777 whatever the umask, as upstream). With the pod's `fsGroup`, emptyDirs and file volumes
   * belong to that group (upstream SetVolumeOwnership): directories setgid, and group-writable
   * (emptyDir) or group-readable (the read-only file volumes).
   */
  async setUp(uid: string, plans: readonly VolumePlan[], fsGroup?: number): Promise<Map<string, string>> {
    const dirs = new Map<string, string>();
    for (const plan of plans) {
      if (plan.kind === 'hostPath') {
        await checkHostPath(plan.label ?? plan.name, plan.path, plan.type);
        dirs.set(plan.name, plan.path);
        continue;
      }
      if (plan.kind === 'local') {
        const info = await stat(plan.path).catch(() => undefined);
        if (!info) throw localPathError(plan.label, plan.path, 'missing');
        if (!info.isDirectory()) throw localPathError(plan.label, plan.path, 'not-directory');
        dirs.set(plan.name, plan.path);
        continue;
      }
      if (plan.kind === 'unsupported') throw new VolumeError(plan.label ?? plan.name, `volume type ${plan.plugin} is not supported by this kubelet`);
      const dir = plan.kind === 'emptyDir' ? this.emptyDirPath(uid, plan.name) : join(this.podDir(uid), 'volumes', PLUGIN_DIR[plan.plugin], plan.name);
      if (plan.kind === 'emptyDir') {
        // Set up once: later syncs leave the directory (and what the pod wrote in it) alone.
        let fresh = !(await stat(dir).catch(() => undefined));
        await mkdir(dir, { recursive: true });
        if (plan.memory && !(await isMountPoint(dir))) {
          await run('mount', ['-t', 'tmpfs', 'tmpfs', dir]);
          fresh = true;
        }
        if (fresh) {
          await chmod(dir, 0o777);
          if (fsGroup !== undefined) await setVolumeOwnership(dir, fsGroup, 0o660);
        }
      } else {
        await writeAtomically(dir, plan.files);
        if (fsGroup !== undefined) await setVolumeOwnership(dir, fsGroup, 0o440);
      }
      dirs.set(plan.name, dir);
    }
    return dirs;
  }

  /** Unmounts tmpfs volumes and removes the pod's directory. */
  async tearDown(uid: string): Promise<void> {
    const base = join(this.podDir(uid), 'volumes');
    for (const plugin of await readdir(base).catch(() => [] as string[])) {
      for (const name of await readdir(join(base, plugin)).catch(() => [] as string[])) {
        const dir = join(base, plugin, name);
        if (await isMountPoint(dir)) await run('umount', [dir]).catch(() => undefined);
      }
    }
    await rm(this.podDir(uid), { recursive: true, force: true });
  }
}
