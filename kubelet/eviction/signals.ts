/**
 * Eviction signals (upstream `pkg/kubelet/eviction/api`): the names, which node condition each
 * one drives and which resource it reclaims, and how an observation of a signal — what is
 * available out of what capacity, at what time — is computed from the raw readings of the
 * machine. Pure.
 */

/** Every signal upstream's kubelet accepts in `--eviction-hard` / `--eviction-soft`. */
export const SIGNALS = [
  'memory.available',
  'allocatableMemory.available',
  'nodefs.available',
  'nodefs.inodesFree',
  'imagefs.available',
  'imagefs.inodesFree',
  'containerfs.available',
  'containerfs.inodesFree',
  'pid.available',
] as const;

export type Signal = (typeof SIGNALS)[number];

/** The node conditions eviction reports, in the order k8ts lists them. */
export const PRESSURE_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;
export type PressureCondition = (typeof PRESSURE_CONDITIONS)[number];

/** The resource a signal's eviction reclaims: the word in the eviction message. */
export type ReclaimResource = 'memory' | 'ephemeral-storage' | 'inodes' | 'pids';

/** Upstream `signalToNodeCondition`. */
export const SIGNAL_CONDITION: Readonly<Record<Signal, PressureCondition>> = {
  'memory.available': 'MemoryPressure',
  'allocatableMemory.available': 'MemoryPressure',
  'nodefs.available': 'DiskPressure',
  'nodefs.inodesFree': 'DiskPressure',
  'imagefs.available': 'DiskPressure',
  'imagefs.inodesFree': 'DiskPressure',
  'containerfs.available': 'DiskPressure',
  'containerfs.inodesFree': 'DiskPressure',
  'pid.available': 'PIDPressure',
};

/** Upstream `signalToResource`. */
export const SIGNAL_RESOURCE: Readonly<Record<Signal, ReclaimResource>> = {
  'memory.available': 'memory',
  'allocatableMemory.available': 'memory',
  'nodefs.available': 'ephemeral-storage',
  'nodefs.inodesFree': 'inodes',
  'imagefs.available': 'ephemeral-storage',
  'imagefs.inodesFree': 'inodes',
  'containerfs.available': 'ephemeral-storage',
  'containerfs.inodesFree': 'inodes',
  'pid.available': 'pids',
};

export function isSignal(name: string): name is Signal {
  return (SIGNALS as readonly string[]).includes(name);
}

/** Counts and byte sizes are printed BinarySI or DecimalSI as upstream builds their quantities. */
export type ObservationUnit = 'bytes' | 'count';

/** One signal as observed: `available` out of `capacity` (bytes or a count), read at `atMs`. */
export interface Observation {
  available: number;
  capacity: number;
  atMs: number;
  unit: ObservationUnit;
}

export type Observations = Partial<Record<Signal, Observation>>;

/** `statfs` of a filesystem, in bytes and inodes. */
export interface FsReading {
  capacityBytes: number;
  availableBytes: number;
  inodes: number;
  inodesFree: number;
}

/**
 * Raw readings of the machine at one moment; each part absent when it could not be read.
 * `memory` is the node's root cgroup working set (usage − inactive_file) and the machine's
 * memory (MemTotal), as cadvisor reports the root container; `imageFs` absent means images live
 * on the node filesystem (upstream then reports the same figures for both).
 */
export interface NodeReadings {
  atMs: number;
  memory?: { workingSetBytes: number; capacityBytes: number };
  nodeFs?: FsReading;
  imageFs?: FsReading;
  /** `min(kernel.pid_max, kernel.threads-max)` and the tasks that exist (`/proc/loadavg`). */
  pids?: { max: number; running: number };
}

/** Upstream `makeSignalObservations` for what k8ts reads. Pure. */
export function observe(readings: NodeReadings): Observations {
  const { atMs } = readings;
  const out: Observations = {};
  if (readings.memory) {
    const available = Math.max(0, readings.memory.capacityBytes - readings.memory.workingSetBytes);
    // Upstream's capacity is available + working set, i.e. the machine's memory unless the working set exceeds it.
    out['memory.available'] = { available, capacity: available + readings.memory.workingSetBytes, atMs, unit: 'bytes' };
  }
  const fs = (prefix: 'nodefs' | 'imagefs', r: FsReading | undefined) => {
    if (!r) return;
    out[`${prefix}.available`] = { available: r.availableBytes, capacity: r.capacityBytes, atMs, unit: 'bytes' };
    out[`${prefix}.inodesFree`] = { available: r.inodesFree, capacity: r.inodes, atMs, unit: 'count' };
  };
  fs('nodefs', readings.nodeFs);
  fs('imagefs', readings.imageFs ?? readings.nodeFs);
  if (readings.pids) out['pid.available'] = { available: readings.pids.max - readings.pids.running, capacity: readings.pids.max, atMs, unit: 'count' };
  return out;
}

/** `/proc/loadavg`'s fourth field `running/total` → total tasks; undefined when malformed. */
export function parseLoadavgTasks(text: string): number | undefined {
  const fields = text.trim().split(/\s+/);
  if (fields.length < 5) return undefined;
  const parts = fields[3].split('/');
  if (parts.length !== 2 || !/^\d+$/.test(parts[1])) return undefined;
  return Number(parts[1]);
}
