/**
 * Local storage limits (upstream's `localStorageEviction`, LocalStorageCapacityIsolation): a pod
 * is evicted when an emptyDir holds more than its `sizeLimit`, when the pod's local storage (its
 * containers' writable layers and logs, and its disk-backed emptyDirs) exceeds the sum of its
 * containers' `ephemeral-storage` limits, or when one container's writable layer and logs exceed
 * its own limit — checked in that order, with upstream's messages. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { canonicalQuantity, compareQuantity } from '../../pkg/api/quantity.ts';
import { podLimits } from '../../pkg/quota/pod-usage.ts';

const EPHEMERAL_STORAGE = 'ephemeral-storage';

/** What a pod's local storage holds, in bytes; a figure that could not be read is absent. */
export interface PodStorageUsage {
  /** By volume name: the emptyDirs measured. */
  volumes: ReadonlyMap<string, number>;
  /** By container name: the writable layer (`rootfsBytes`) and the log files (`logsBytes`). */
  containers: ReadonlyMap<string, { rootfsBytes?: number; logsBytes?: number }>;
}

/** Which limit a pod exceeded: the `kubelet_evictions` signal and the eviction message. */
export interface LocalStorageViolation {
  signal: 'emptydirfs.limit' | 'ephemeralpodfs.limit' | 'ephemeralcontainerfs.limit';
  message: string;
}

/** Whether the pod has a limit this check enforces (so that only such pods are measured). */
export function hasLocalStorageLimit(pod: Pod): boolean {
  const spec = pod.spec;
  if (spec?.volumes?.some((v) => v.emptyDir?.sizeLimit !== undefined && compareQuantity(v.emptyDir.sizeLimit, 0) > 0)) return true;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].some((c) => c.resources?.limits?.[EPHEMERAL_STORAGE] !== undefined);
}

/** The first limit the pod exceeds, in upstream's order; undefined when none. */
export function localStorageViolation(pod: Pod, usage: PodStorageUsage): LocalStorageViolation | undefined {
  for (const volume of pod.spec?.volumes ?? []) {
    const limit = volume.emptyDir?.sizeLimit;
    const used = usage.volumes.get(volume.name);
    if (limit === undefined || used === undefined || compareQuantity(limit, 0) <= 0) continue;
    if (compareQuantity(used, limit) > 0) {
      return { signal: 'emptydirfs.limit', message: `Usage of EmptyDir volume ${JSON.stringify(volume.name)} exceeds the limit ${JSON.stringify(canonicalQuantity(limit))}. ` };
    }
  }
  const podLimit = podLimits(pod)[EPHEMERAL_STORAGE];
  if (podLimit !== undefined && compareQuantity(podStorageBytes(pod, usage), podLimit) > 0) {
    return { signal: 'ephemeralpodfs.limit', message: `Pod ephemeral local storage usage exceeds the total limit of containers ${podLimit}. ` };
  }
  for (const container of pod.spec?.containers ?? []) {
    const limit = container.resources?.limits?.[EPHEMERAL_STORAGE];
    if (limit === undefined || compareQuantity(limit, 0) === 0) continue;
    const used = usage.containers.get(container.name ?? '');
    if (compareQuantity((used?.rootfsBytes ?? 0) + (used?.logsBytes ?? 0), limit) > 0) {
      return { signal: 'ephemeralcontainerfs.limit', message: `Container ${container.name} exceeded its local ephemeral storage limit ${JSON.stringify(canonicalQuantity(limit))}. ` };
    }
  }
  return undefined;
}

/** The pod's local storage: every container's writable layer and logs, and its disk-backed emptyDirs. */
function podStorageBytes(pod: Pod, usage: PodStorageUsage): number {
  let total = 0;
  for (const c of usage.containers.values()) total += (c.rootfsBytes ?? 0) + (c.logsBytes ?? 0);
  for (const volume of pod.spec?.volumes ?? []) {
    if (volume.emptyDir && volume.emptyDir.medium !== 'Memory') total += usage.volumes.get(volume.name) ?? 0;
  }
  return total;
}
