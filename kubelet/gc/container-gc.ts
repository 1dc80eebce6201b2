/**
 * Which dead containers, dead sandboxes and pod log directories the kubelet's container garbage
 * collector removes (upstream `pkg/kubelet/kuberuntime/kuberuntime_gc.go`). Pure: the runtime's
 * state, the policy and what the kubelet knows of each pod in, the removals out; the I/O loop
 * ({@link ../gc/container-gc-manager.ts}) executes them.
 *
 * - Containers: every non-running container created more than `minAgeMs` ago is grouped by
 *   (pod UID, container name), an "evict unit". A pod whose content may go (deleted, or with
 *   `evictNonDeletedPods` terminated for good) loses all of them — only once all pod sources are
 *   ready. Every other unit keeps its newest `maxPerPodContainer` (default 1, so `kubectl logs
 *   --previous` still finds the last one); then, if more than `maxContainers` remain, each unit
 *   is cut to `max(1, maxContainers / units)` and the oldest overall go. Negative = no limit.
 * - Sandboxes: a sandbox not ready and holding no container (after the removals above) goes if
 *   it is not the pod's newest sandbox, or if its pod's content may go (once all pod sources
 *   are ready, so a pod not yet read is never mistaken for a deleted one).
 * - Log directories `<namespace>_<name>_<uid>`: removed when their pod's content may go, only
 *   once all pod sources are ready.
 */

/** Upstream `ContainerGCPolicy`. */
export interface ContainerGcPolicy {
  /** A dead container younger than this is kept (`--minimum-container-ttl-duration`, default 0). */
  minAgeMs: number;
  /** Dead containers kept per (pod, container name) (`--maximum-dead-containers-per-container`, default 1; < 0 = all). */
  maxPerPodContainer: number;
  /** Dead containers kept on the node (`--maximum-dead-containers`, default -1 = no limit). */
  maxContainers: number;
}

/** Upstream's defaults: `MinAge 0`, `MaxPerPodContainer 1`, `MaxContainers -1`. */
export const DEFAULT_CONTAINER_GC_POLICY: ContainerGcPolicy = { minAgeMs: 0, maxPerPodContainer: 1, maxContainers: -1 };

/** One container as the collector sees it. */
export interface GcContainer {
  id: string;
  podUid: string;
  name: string;
  sandboxId: string;
  state: 'created' | 'running' | 'exited' | 'unknown';
  createdAtMs: number;
}

/** One sandbox as the collector sees it. */
export interface GcSandbox {
  id: string;
  podUid: string;
  ready: boolean;
  createdAtMs: number;
}

/**
 * What the kubelet knows of a pod (upstream pod workers): `active` (exists and may still run),
 * `terminated` (exists, finished for good: `ShouldPodRuntimeBeRemoved`), `removable` (deleted
 * or evicted and stopped, or unknown: `ShouldPodContentBeRemoved`).
 */
export type GcPodState = 'active' | 'terminated' | 'removable';

/** Inputs of {@link planContainerGc}. */
export interface ContainerGcInput {
  containers: readonly GcContainer[];
  sandboxes: readonly GcSandbox[];
  /** Names of the directories under the pod log root. */
  logDirs: readonly string[];
  policy: ContainerGcPolicy;
  nowMs: number;
  podState(uid: string): GcPodState;
  /** Whether every pod source (API, static manifests) has been read once. */
  allSourcesReady: boolean;
  /** Also remove everything of pods that are terminated but not deleted (node-level reclaim). */
  evictNonDeletedPods: boolean;
}

/** The removals, in the order they are to be done. */
export interface ContainerGcPlan {
  /** Containers to remove; `unknown` ones must be stopped first. */
  containers: Array<{ id: string; unknown: boolean }>;
  sandboxes: string[];
  logDirs: string[];
}

const newestFirst = <T extends { createdAtMs: number }>(a: T, b: T) => b.createdAtMs - a.createdAtMs;

/** Upstream `parsePodUIDFromLogsDirectory`: the last `_`-separated part. */
export function podUidOfLogDir(name: string): string {
  const parts = name.split('_');
  return parts[parts.length - 1];
}

export function planContainerGc(input: ContainerGcInput): ContainerGcPlan {
  const { policy, nowMs } = input;
  const wipe = (uid: string) => {
    const state = input.podState(uid);
    return state === 'removable' || (input.evictNonDeletedPods && state === 'terminated');
  };
  const removed: GcContainer[] = [];
  const units = new Map<string, GcContainer[]>();
  for (const c of input.containers) {
    if (c.state === 'running' || c.createdAtMs > nowMs - policy.minAgeMs) continue;
    const key = `${c.podUid}/${c.name}`;
    units.set(key, [...(units.get(key) ?? []), c]);
  }
  if (input.allSourcesReady) {
    for (const [key, unit] of units) {
      if (!wipe(unit[0].podUid)) continue;
      removed.push(...unit);
      units.delete(key);
    }
  }
  const keepPerUnit = (keep: number) => {
    for (const [key, unit] of units) {
      const sorted = [...unit].sort(newestFirst);
      removed.push(...sorted.slice(keep).reverse());
      units.set(key, sorted.slice(0, keep));
    }
  };
  if (policy.maxPerPodContainer >= 0) keepPerUnit(policy.maxPerPodContainer);
  const count = () => [...units.values()].reduce((n, u) => n + u.length, 0);
  if (policy.maxContainers >= 0 && count() > policy.maxContainers) {
    keepPerUnit(Math.max(1, Math.floor(policy.maxContainers / units.size)));
    const left = [...units.values()].flat().sort(newestFirst);
    if (left.length > policy.maxContainers) removed.push(...left.slice(policy.maxContainers).reverse());
  }
  const gone = new Set(removed.map((c) => c.id));
  return {
    containers: removed.map((c) => ({ id: c.id, unknown: c.state === 'unknown' })),
    sandboxes: evictableSandboxes(input, input.containers.filter((c) => !gone.has(c.id)), wipe),
    logDirs: input.allSourcesReady ? input.logDirs.filter((d) => input.podState(podUidOfLogDir(d)) === 'removable') : [],
  };
}

/** Upstream `evictSandboxes`: not ready, no containers left, and the pod gone or a newer sandbox present. */
function evictableSandboxes(input: ContainerGcInput, remaining: readonly GcContainer[], wipe: (uid: string) => boolean): string[] {
  const inUse = new Set(remaining.map((c) => c.sandboxId));
  const byPod = new Map<string, GcSandbox[]>();
  for (const s of input.sandboxes) byPod.set(s.podUid, [...(byPod.get(s.podUid) ?? []), s]);
  const out: string[] = [];
  for (const [uid, sandboxes] of byPod) {
    const sorted = [...sandboxes].sort(newestFirst);
    const candidates = input.allSourcesReady && wipe(uid) ? sorted : sorted.slice(1);
    for (const s of candidates.reverse()) if (!s.ready && !inUse.has(s.id)) out.push(s.id);
  }
  return out;
}
