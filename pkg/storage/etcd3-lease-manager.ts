/**
 * Leases for keys that expire, reused as upstream's etcd3 `leaseManager` does: a write needing
 * a TTL gets the previous lease when that lease outlives the TTL by no more than the reuse
 * duration (5 % of the TTL, at most 60 s) and has fewer than 1,000 keys; otherwise a new lease
 * of TTL + reuse duration is granted. So one lease serves a minute of events instead of one
 * grant per write, and an object lives between its TTL and TTL + 60 s.
 */

/** Grants an etcd lease of `ttlSeconds`; resolves to its ID (decimal string, as the etcd3 client gives it). */
export type LeaseGrant = (ttlSeconds: number) => Promise<string>;

export interface LeaseManagerOptions {
  grant: LeaseGrant;
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
  /** Longest reuse window in seconds (upstream 60). */
  reuseDurationSeconds?: number;
  /** Reuse window as a fraction of the TTL, capped by `reuseDurationSeconds` (upstream 0.05). */
  reuseDurationPercent?: number;
  /** Keys one lease takes before a new one is granted (upstream 1,000; 0 = no limit). */
  maxObjectCount?: number;
}

/** How leases are reused (upstream: 60 s, 5 %, 1,000). */
export interface LeaseLimits {
  reuseDurationSeconds: number;
  reuseDurationPercent: number;
  maxObjectCount: number;
}

/** The lease last granted: when it expires by our clock (measured from before the grant) and how many writes used it. */
export interface PreviousLease {
  id: string;
  expiresAt: number;
  attached: number;
}

/**
 * Whether a write at `now` needing `ttlSeconds` may use `prev`, else the TTL to grant; pure.
 * Reusable when the lease outlives the TTL (valid) by at most the reuse window (sufficient)
 * and takes this write within its object count.
 */
export function leaseDecision(
  prev: PreviousLease | undefined,
  ttlSeconds: number,
  now: number,
  limits: LeaseLimits,
): { reuse: true } | { reuse: false; grantSeconds: number } {
  const reuseSeconds = Math.min(Math.floor(limits.reuseDurationPercent * ttlSeconds), limits.reuseDurationSeconds);
  if (prev) {
    const valid = now + ttlSeconds * 1000 < prev.expiresAt;
    const sufficient = now + (ttlSeconds + reuseSeconds) * 1000 >= prev.expiresAt;
    const roomLeft = limits.maxObjectCount <= 0 || prev.attached < limits.maxObjectCount;
    if (valid && sufficient && roomLeft) return { reuse: true };
  }
  return { reuse: false, grantSeconds: ttlSeconds + reuseSeconds };
}

/** Hands out lease IDs for writes that need a TTL; grants are serialized so concurrent writes share one. */
export class LeaseManager {
  private prev: PreviousLease | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  private readonly limits: LeaseLimits;

  constructor(private readonly options: LeaseManagerOptions) {
    this.now = options.now ?? Date.now;
    this.limits = {
      reuseDurationSeconds: options.reuseDurationSeconds ?? 60,
      reuseDurationPercent: options.reuseDurationPercent ?? 0.05,
      maxObjectCount: options.maxObjectCount ?? 1000,
    };
  }

  /** A lease ID that keeps a key written now for at least `ttlSeconds`. */
  leaseFor(ttlSeconds: number): Promise<string> {
    const next = this.queue.then(() => this.pick(ttlSeconds));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Forgets the previous lease (etcd no longer has it), so the next write gets a new one. */
  forget(id: string): void {
    if (this.prev?.id === id) this.prev = undefined;
  }

  private async pick(ttlSeconds: number): Promise<string> {
    const now = this.now();
    const decision = leaseDecision(this.prev, ttlSeconds, now, this.limits);
    if (decision.reuse) {
      this.prev!.attached++;
      return this.prev!.id;
    }
    const id = await this.options.grant(decision.grantSeconds);
    this.prev = { id, expiresAt: now + decision.grantSeconds * 1000, attached: 1 };
    return id;
  }
}
