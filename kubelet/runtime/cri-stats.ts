/**
 * CRI ListContainerStats answers joined with ListContainers and ListPodSandbox into
 * {@link RuntimeContainerStats}: only running containers that carry a pod UID label, each with
 * its pod, creation time and sandbox creation time. The runtime's own `usage_nano_cores` is not
 * used (the collector derives rates itself). Pure.
 */
import type { Container, ContainerStats, PodSandbox, UInt64Value } from '../cri/types.ts';
import { LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, type ContainerMemoryUsage, type RuntimeContainerStats } from './types.ts';

/** CRI nanoseconds (decimal string) → milliseconds with microsecond fraction; 0 for none. */
export function criNsToMs(ns: string | undefined): number {
  if (!ns || ns === '0') return 0;
  return Number(BigInt(ns) / 1000n) / 1000;
}

const num = (v: UInt64Value | undefined): number | undefined => (v ? Number(v.value) : undefined);

function memoryOf(stats: ContainerStats): ContainerMemoryUsage | undefined {
  const m = stats.memory;
  if (!m || !m.workingSetBytes) return undefined;
  const fields = {
    workingSetBytes: num(m.workingSetBytes),
    // containerd answers 0 for a container without a memory limit; upstream omits it then.
    availableBytes: num(m.availableBytes) || undefined,
    usageBytes: num(m.usageBytes),
    rssBytes: num(m.rssBytes),
    pageFaults: num(m.pageFaults),
    majorPageFaults: num(m.majorPageFaults),
  };
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { atMs: criNsToMs(m.timestamp), ...present };
}

/** The join; stats of containers that are not running or not a pod's are left out. */
export function joinContainerStats(stats: readonly ContainerStats[], containers: readonly Container[], sandboxes: readonly PodSandbox[]): RuntimeContainerStats[] {
  const running = new Map(containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => [c.id, c]));
  const sandboxCreated = new Map(sandboxes.map((s) => [s.id, criNsToMs(s.createdAt)]));
  const out: RuntimeContainerStats[] = [];
  for (const s of stats) {
    const c = s.attributes && running.get(s.attributes.id);
    const podUid = c?.labels[LABEL_POD_UID];
    if (!c || !podUid) continue;
    const usage = num(s.cpu?.usageCoreNanoSeconds);
    const memory = memoryOf(s);
    out.push({
      id: c.id,
      name: c.labels[LABEL_CONTAINER_NAME] ?? c.metadata.name,
      ...(c.image?.image ? { image: c.image.image } : {}),
      podUid,
      podName: c.labels[LABEL_POD_NAME] ?? '',
      podNamespace: c.labels[LABEL_POD_NAMESPACE] ?? '',
      createdAtMs: criNsToMs(c.createdAt),
      sandboxCreatedAtMs: sandboxCreated.get(c.podSandboxId) ?? 0,
      ...(s.cpu && usage !== undefined ? { cpu: { atMs: criNsToMs(s.cpu.timestamp), usageCoreNanoSeconds: usage } } : {}),
      ...(memory ? { memory } : {}),
      ...(s.writableLayer?.usedBytes ? { rootfsUsedBytes: Number(s.writableLayer.usedBytes.value) } : {}),
    });
  }
  return out;
}
