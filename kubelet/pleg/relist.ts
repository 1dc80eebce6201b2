/**
 * The PLEG's change detection (upstream `GenericPLEG.Relist`, without its event objects: the
 * kubelet only needs to know which pods to wake).
 */
import type { RuntimePod } from '../runtime/types.ts';

/**
 * A pod's sandbox and container IDs with their states: equal fingerprints mean nothing changed.
 * Sorted by ID: the runtime lists them in no stable order (containerd's come from a map), and a
 * new order is no change (upstream compares states per container ID).
 */
export function runtimeFingerprint(pod: RuntimePod): string {
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return JSON.stringify([[...pod.sandboxes].sort(byId).map((s) => [s.id, s.state]), [...pod.containers].sort(byId).map((c) => [c.id, c.state])]);
}

/**
 * Remembers the last relist. Contract: {@link next} returns the UIDs of pods in `pods` whose
 * runtime state differs from the previous call's (new pods included; the first call reports
 * every pod) and, apart, those that were in the runtime then and are gone now.
 */
export class RelistTracker {
  private fingerprints = new Map<string, string>();

  next(pods: readonly RuntimePod[]): { changed: string[]; gone: string[] } {
    const next = new Map<string, string>();
    const changed: string[] = [];
    for (const p of pods) {
      const fingerprint = runtimeFingerprint(p);
      next.set(p.uid, fingerprint);
      if (this.fingerprints.get(p.uid) !== fingerprint) changed.push(p.uid);
    }
    const gone = [...this.fingerprints.keys()].filter((uid) => !next.has(uid));
    this.fingerprints = next;
    return { changed, gone };
  }
}
