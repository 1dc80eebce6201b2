/**
 * A container's volumeMounts → CRI mounts (upstream `makeMounts`): the volume's host directory,
 * or a path below it for `subPath` / `subPathExpr` (expanded with the container's env). Pure.
 */
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Mount } from '../cri/types.ts';
import { expandVars } from '../pods/env.ts';
import { VolumeError } from './content.ts';

/**
 * Mounts for `container`; `volumeDirs` maps volume name → host path; volumes in `readOnly` are
 * mounted read-only whatever the volumeMount says (upstream: the mount's or the mounter's readOnly).
 */
export function containerMounts(container: Container, volumeDirs: ReadonlyMap<string, string>, env: ReadonlyArray<{ key: string; value: string }>, readOnly: ReadonlySet<string> = new Set()): Mount[] {
  const vars = new Map(env.map((e) => [e.key, e.value]));
  return (container.volumeMounts ?? []).map((vm) => {
    const dir = volumeDirs.get(vm.name);
    if (dir === undefined) throw new VolumeError(vm.name, `volume "${vm.name}" is not set up`);
    let sub = vm.subPath ?? '';
    if (vm.subPathExpr) sub = expandVars(vm.subPathExpr, (n) => vars.get(n));
    if (sub && (sub.startsWith('/') || sub.split('/').includes('..'))) throw new VolumeError(vm.name, `subPath "${sub}" must be a relative path without ".."`);
    return {
      containerPath: vm.mountPath,
      hostPath: sub ? `${dir}/${sub}` : dir,
      readonly: (vm.readOnly ?? false) || readOnly.has(vm.name),
      propagation: vm.mountPropagation === 'Bidirectional' ? 'PROPAGATION_BIDIRECTIONAL' : vm.mountPropagation === 'HostToContainer' ? 'PROPAGATION_HOST_TO_CONTAINER' : 'PROPAGATION_PRIVATE',
    };
  });
}
