/**
 * Reads what the local-storage limits are checked against (upstream reads the same figures from
 * its stats summary): each pod's emptyDirs on the node's disk, its running containers' writable
 * layers as the stats collector last sampled them from the runtime (containerd refreshes them
 * about every 10 s), and each container's log directory. Only the pods given are measured: the
 * ones with a limit.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { diskUsageBytes } from '../stats/disk-usage.ts';
import type { PodStorageUsage } from './local-storage.ts';

/** Where a pod's storage is. */
export interface PodStorageSources {
  /** The bytes the writable layer of the pod's running container holds; undefined when unknown. */
  writableLayerBytes(uid: string, container: string): number | undefined;
  /** The host directory of the pod's emptyDir volume `volume`. */
  emptyDirPath(uid: string, volume: string): string;
  /** The directory the container's log files are written to. */
  containerLogDir(pod: Pod, container: string): string;
}

/** The storage usage of each pod in `pods`, by UID. */
export async function measurePodStorage(pods: readonly Pod[], sources: PodStorageSources): Promise<Map<string, PodStorageUsage>> {
  const out = new Map<string, PodStorageUsage>();
  for (const pod of pods) {
    const uid = pod.metadata.uid as string;
    const volumes = new Map<string, number>();
    for (const v of pod.spec?.volumes ?? []) {
      if (!v.emptyDir) continue;
      const used = await diskUsageBytes(sources.emptyDirPath(uid, v.name));
      if (used !== undefined) volumes.set(v.name, used);
    }
    const containers = new Map<string, { rootfsBytes?: number; logsBytes?: number }>();
    for (const c of pod.spec?.containers ?? []) {
      const name = c.name ?? '';
      const rootfsBytes = sources.writableLayerBytes(uid, name);
      const logsBytes = await diskUsageBytes(sources.containerLogDir(pod, name));
      containers.set(name, { ...(rootfsBytes !== undefined ? { rootfsBytes } : {}), ...(logsBytes !== undefined ? { logsBytes } : {}) });
    }
    out.set(uid, { volumes, containers });
  }
  return out;
}
