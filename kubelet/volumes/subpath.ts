/**
 * Safe subPaths (upstream's fix for CVE-2017-1002101): a `subPath` inside a volume the pod can
 * write to may have been turned into a symlink by the pod itself (`ln -s / /vol/x`); bind-mounting
 * `<volume>/x` would then give the container the node's root. Each component of the subPath is
 * resolved here and must stay inside the volume; missing directories are created inside it;
 * the resolved path is what goes to the runtime. A pod that could still swap a component
 * between this check and the runtime's mount (upstream closes that race by mounting through a
 * file descriptor) is the remaining gap.
 */
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Mount } from '../cri/types.ts';
import { VolumeError } from './content.ts';

/** Raised when a subPath leaves its volume or cannot be prepared (upstream's text, which names no host path). */
export class SubPathError extends Error {}

/** `sub` below `root`, every symlink on the way resolved and checked; missing directories created. */
export async function resolveSubPath(root: string, sub: string): Promise<string> {
  const base = await realpath(root);
  const inside = (path: string) => path === base || path.startsWith(base + sep);
  let current = base;
  for (const part of sub.split('/').filter((p) => p !== '' && p !== '.')) {
    if (part === '..') throw new Error(`subPath ${sub} has a '..' element`);
    const next = join(current, part);
    const info = await lstat(next).catch(() => undefined);
    if (!info) await mkdir(next, { mode: 0o755 });
    current = info?.isSymbolicLink() ? await realpath(next) : next;
    if (!inside(current)) throw new Error(`subPath ${sub} leaves its volume`);
  }
  return current;
}

/**
 * The container's mounts with each subPath mount's host path resolved by {@link resolveSubPath}
 * (`mounts` as containerMounts made them, one per volumeMount, in order). Throws SubPathError.
 */
export async function resolveSubPathMounts(container: Container, volumeDirs: ReadonlyMap<string, string>, mounts: readonly Mount[]): Promise<Mount[]> {
  return Promise.all(
    (container.volumeMounts ?? []).map(async (vm, i) => {
      const mount = mounts[i]!;
      const root = volumeDirs.get(vm.name);
      if (!root || (!vm.subPath && !vm.subPathExpr)) return mount;
      try {
        return { ...mount, hostPath: await resolveSubPath(root, mount.hostPath.slice(root.length + 1)) };
      } catch {
        throw new SubPathError(`failed to prepare subPath for volumeMount "${vm.name}" of container "${container.name}"`);
      }
    }),
  );
}

