/**
 * Pods whose job-tracking finalizer the controller removed but the cache has not shown without it
 * yet (upstream uidTrackingExpectations): such pods are already counted in the Job status and
 * must not be counted again from a stale cache.
 */
export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  /** UIDs expected to lose the finalizer for the Job `key` (a copy). */
  expected(key: string): ReadonlySet<string> {
    return new Set(this.byJob.get(key) ?? []);
  }

  expect(key: string, uids: readonly string[]): void {
    const set = this.byJob.get(key) ?? new Set<string>();
    for (const uid of uids) set.add(uid);
    this.byJob.set(key, set);
  }

  /** The cache showed the pod without the finalizer (or deleted), or the removal failed. */
  observed(key: string, uid: string): void {
    const set = this.byJob.get(key);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.byJob.delete(key);
  }

  delete(key: string): void {
    this.byJob.delete(key);
  }
}
