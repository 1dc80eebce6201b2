/**
 * A throw-away containerd inside a network namespace created for it (tests and benchmarks):
 * the namespace, a data directory, containerd with the node images, a CRI client and a CNI
 * bridge for `podCidr`. `stop()` removes sandboxes, stops containerd, unmounts what is left
 * under the directory and deletes the namespace — also when start failed half-way.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCniConflist } from '../containerd/cni.ts';
import { startContainerd, type ContainerdProcess } from '../containerd/process.ts';
import { CriClient } from '../cri/client.ts';

/** A running containerd in its own netns. */
export interface ContainerdInNetns {
  readonly netns: string;
  readonly dir: string;
  readonly containerd: ContainerdProcess;
  readonly cri: CriClient;
  /** CNI configuration directory containerd reads. */
  readonly cniConfDir: string;
  stop(): Promise<void>;
}

/** Starts it; `podCidr` (when given) is written as the CNI bridge range right away. */
export async function startContainerdInNetns(options: { name: string; podCidr?: string; busyboxAliases?: readonly string[] }): Promise<ContainerdInNetns> {
  const netns = `${options.name}-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), `${options.name}-`));
  let containerd: ContainerdProcess | undefined;
  let cri: CriClient | undefined;
  const stop = async () => {
    for (const s of (await cri?.listPodSandbox().catch(() => [])) ?? []) {
      await cri?.stopPodSandbox(s.id).catch(() => undefined);
      await cri?.removePodSandbox(s.id).catch(() => undefined);
    }
    cri?.close();
    await containerd?.stop();
    execFileSync('sh', ['-c', `for m in $(grep ' ${dir}' /proc/mounts | cut -d' ' -f2 | sort -r); do umount -l "$m" 2>/dev/null; done; true`]);
    try {
      execFileSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
    } catch {
      // never created or already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    execFileSync('ip', ['netns', 'add', netns]);
    execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
    const containerdDir = join(dir, 'containerd');
    containerd = await startContainerd({ dir: containerdDir, netns, busyboxAliases: options.busyboxAliases });
    const cniConfDir = join(containerdDir, 'cni');
    if (options.podCidr) writeFileSync(join(cniConfDir, '10-k8ts.conflist'), renderCniConflist({ podCidr: options.podCidr }));
    cri = new CriClient({ endpoint: containerd.socket, timeoutMs: 30_000 });
    return { netns, dir, containerd, cri, cniConfDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
