/**
 * The pod statuses this kubelet wrote, per pod UID, with the resourceVersion the API server
 * answered. Until the kubelet's watch delivers that write, its copy of the pod still carries the
 * status from before, and the next sync would send the same status again; upstream's status
 * manager likewise compares a new status with the one it cached when it last sent one.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';

type Status = Record<string, unknown>;

/**
 * Contract: `baseline` is the status a new one is compared with — the last written one while the
 * API copy the kubelet holds (at `resourceVersion`) is older than that write, else the API copy's
 * own status (and the written one is then dropped). Entries leave on `forget` (pod gone).
 */
export class WrittenStatuses {
  private readonly byUid = new Map<string, { resourceVersion: number; status: Status }>();

  /** Remembers the pod as the API server returned it from a status write. */
  remember(uid: string, written: Pod): void {
    const resourceVersion = Number(written.metadata?.resourceVersion);
    if (Number.isFinite(resourceVersion)) this.byUid.set(uid, { resourceVersion, status: (written.status ?? {}) as Status });
  }

  baseline(uid: string, apiStatus: Status | undefined, resourceVersion: string | undefined): Status | undefined {
    const written = this.byUid.get(uid);
    if (written === undefined) return apiStatus;
    if (Number(resourceVersion ?? 0) < written.resourceVersion) return written.status;
    this.byUid.delete(uid);
    return apiStatus;
  }

  forget(uid: string): void {
    this.byUid.delete(uid);
  }
}
