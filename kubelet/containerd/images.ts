/**
 * Builds the small images a k8ts node needs without any registry: OCI archives holding the
 * static busybox (every applet linked into /bin) with a given entrypoint — the pause image
 * (sleeps until SIGTERM) and a `busybox` image — and imports them into a containerd's `k8s.io`
 * namespace under a chosen name. Needs `umoci`, `busybox-static` and `ctr` (scripts/install-deps.sh).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What goes into one image. */
export interface BusyboxImageSpec {
  /** Tag inside the archive, e.g. `3.9`. */
  tag: string;
  entrypoint?: string[];
  cmd?: string[];
  /** Where the archive is written. */
  outputTar: string;
  busybox?: string;
}

/** The pause process: PID 1 that exits 0 on SIGTERM/SIGINT and otherwise sleeps forever. */
export const PAUSE_ENTRYPOINT = ['/bin/sh', '-c', "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"];

/** `printenv [NAME…]`: prints the named variables (or all), exit 1 when one is unset. */
const PRINTENV_SCRIPT = `#!/bin/sh
[ $# -eq 0 ] && exec env
rc=0
for name in "$@"; do
  if eval "[ \\"\\\${$name+set}\\" = set ]"; then eval "printf '%s\\n' \\"\\\$$name\\""; else rc=1; fi
done
exit $rc
`;

/** Builds an OCI archive (tar of an OCI layout) and returns its path. */
export async function buildBusyboxImage(spec: BusyboxImageSpec): Promise<string> {
  const work = await mkdtemp(join(spec.outputTar, '..', '.k8ts-image-'));
  try {
    const layout = join(work, 'oci');
    const image = `${layout}:${spec.tag}`;
    await run('umoci', ['init', '--layout', layout]);
    await run('umoci', ['new', '--image', image]);
    const bundle = join(work, 'bundle');
    await run('umoci', ['unpack', '--rootless', '--image', image, bundle]);
    const bin = join(bundle, 'rootfs', 'bin');
    await mkdir(bin, { recursive: true });
    await mkdir(join(bundle, 'rootfs', 'tmp'), { recursive: true });
    const busybox = spec.busybox ?? '/usr/bin/busybox';
    await copyFile(busybox, join(bin, 'busybox'));
    const { stdout } = await run(busybox, ['--list']);
    const applets = stdout.split('\n').filter((a) => a && a !== 'busybox');
    for (const applet of applets) await symlink('busybox', join(bin, applet)).catch(() => undefined);
    // Debian's busybox-static has no `printenv`, which tutorials use: a POSIX stand-in.
    if (!applets.includes('printenv')) await writeFile(join(bin, 'printenv'), PRINTENV_SCRIPT, { mode: 0o755 });
    await run('umoci', ['repack', '--image', image, bundle]);
    const config = ['config', '--image', image, '--config.env', 'PATH=/bin'];
    for (const e of spec.entrypoint ?? []) config.push('--config.entrypoint', e);
    for (const c of spec.cmd ?? []) config.push(`--config.cmd=${c}`);
    await run('umoci', config);
    await run('tar', ['-C', layout, '-cf', spec.outputTar, '.']);
    return spec.outputTar;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Imports an OCI archive into containerd's `k8s.io` namespace as `<baseName>:<tag>`. */
export async function importImage(options: { socket: string; archive: string; baseName: string }): Promise<void> {
  await run('ctr', ['--address', options.socket, '--namespace', 'k8s.io', 'images', 'import', '--base-name', options.baseName, options.archive]);
}
