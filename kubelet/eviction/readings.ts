/**
 * The machine readings behind the eviction signals — the thin I/O edge of eviction: the node's
 * memory working set and capacity from the stats' node usage source (root memory cgroup,
 * `/proc/meminfo`), `statfs` of the kubelet's root directory (nodefs) and of the image
 * filesystem's directory when it is known to differ (imagefs), and the task limit and count
 * from `/proc/sys/kernel/{pid_max,threads-max}` and `/proc/loadavg`. Each part is left out when
 * it cannot be read, so its signals go unobserved rather than wrong.
 */
import { readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeUsageSource } from '../stats/node-usage.ts';
import { parseLoadavgTasks, type FsReading, type NodeReadings } from './signals.ts';

/** Where the eviction manager's readings come from (a fake in tests). */
export interface NodeReadingsSource {
  /** One fresh reading; never rejects (unreadable parts are absent). */
  read(): Promise<NodeReadings>;
}

/** Options of {@link machineReadings}. */
export interface MachineReadingsOptions {
  now: () => number;
  /** The node's memory (the stats collector's source). */
  nodeUsage: NodeUsageSource;
  /** The kubelet's root directory: nodefs. */
  rootDir: string;
  /** A directory on the image filesystem (containerd's root) if it may differ from nodefs. */
  imageFsDir?: string;
  procDir?: string;
}

/** `statfs` of a directory's filesystem; undefined when it cannot be read. */
export async function fsReading(path: string): Promise<FsReading | undefined> {
  try {
    const s = await statfs(path);
    return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize, inodes: s.files, inodesFree: s.ffree };
  } catch {
    return undefined;
  }
}

async function pidReading(procDir: string): Promise<NodeReadings['pids']> {
  const text = (path: string) => readFile(join(procDir, path), 'utf8').catch(() => undefined);
  const [pidMax, threadsMax, loadavg] = await Promise.all([text('sys/kernel/pid_max'), text('sys/kernel/threads-max'), text('loadavg')]);
  const limits = [pidMax, threadsMax].filter((t): t is string => t !== undefined && /^\d+\s*$/.test(t)).map(Number);
  const running = loadavg === undefined ? undefined : parseLoadavgTasks(loadavg);
  if (limits.length === 0 || running === undefined) return undefined;
  return { max: Math.min(...limits), running };
}

/** Reads the real machine. */
export function machineReadings(options: MachineReadingsOptions): NodeReadingsSource {
  const proc = options.procDir ?? '/proc';
  return {
    async read() {
      const [usage, nodeFs, imageFs, pids] = await Promise.all([
        options.nodeUsage.read().catch(() => ({ memory: undefined })),
        fsReading(options.rootDir),
        options.imageFsDir ? fsReading(options.imageFsDir) : Promise.resolve(undefined),
        pidReading(proc),
      ]);
      const m = usage.memory;
      const memory = m?.workingSetBytes !== undefined && m.availableBytes !== undefined ? { workingSetBytes: m.workingSetBytes, capacityBytes: m.availableBytes + m.workingSetBytes } : undefined;
      return {
        atMs: options.now(),
        ...(memory ? { memory } : {}),
        ...(nodeFs ? { nodeFs } : {}),
        ...(imageFs ? { imageFs } : {}),
        ...(pids ? { pids } : {}),
      };
    },
  };
}
