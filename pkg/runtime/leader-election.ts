/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's `leaderelection` with a
 * `LeaseLock`: acquire when the lease is free or its holder has not renewed it for
 * `leaseDurationSeconds` (measured on our clock from when we last saw the record change, so
 * clock skew between machines does not matter), renew every `retryPeriod`, and give up
 * leadership when a renew has not succeeded within `renewDeadline`. Writes use the
 * resourceVersion (optimistic concurrency), so two candidates can never both win one round.
 */
import type { Logger } from 'pino';
import type { Lease } from '../api/coordination/v1/lease.ts';
import type { Client } from '../client/index.ts';
import { isConflict, isNotFound, isAlreadyExists } from '../errors/index.ts';
import type { Clock } from '../workqueue/index.ts';
import { pause } from '../util/periodic.ts';
import { microTime } from '../util/time.ts';

/** Timings and identity (defaults as kube-controller-manager: 15 s / 10 s / 2 s). */
export interface LeaderElectionConfig {
  /** Lease namespace (default `kube-system`). */
  namespace?: string;
  /** Lease name, e.g. `kube-controller-manager`. */
  name: string;
  /** Unique per candidate, e.g. `<hostname>_<uuid>`. */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Clear the holder when leadership ends on purpose, so a successor need not wait (default true). */
  releaseOnCancel?: boolean;
}

/** What the elector calls; `onStartedLeading`'s signal aborts when leadership is lost or cancelled. */
export interface LeaderCallbacks {
  onStartedLeading(signal: AbortSignal): void;
  onStoppedLeading(): void;
  onNewLeader?(identity: string): void;
}

/** The observed record and when (our clock) it last changed. */
export interface Observation {
  holder: string;
  renewTime: string;
  leaseDurationSeconds: number;
  observedAt: number;
}

export { microTime };

/**
 * Pure decision of one acquire-or-renew round: `null` when someone else validly holds the
 * lease, else the lease spec to write.
 */
export function nextLeaseSpec(current: Lease['spec'] | undefined, observation: Observation | undefined, input: { identity: string; now: number; leaseDurationSeconds: number }): NonNullable<Lease['spec']> | null {
  const spec = current ?? {};
  const holder = spec.holderIdentity ?? '';
  const iHold = holder === input.identity;
  if (holder && !iHold && observation && observation.observedAt + observation.leaseDurationSeconds * 1000 > input.now) return null;
  const now = microTime(input.now);
  return {
    holderIdentity: input.identity,
    leaseDurationSeconds: input.leaseDurationSeconds,
    acquireTime: iHold ? (spec.acquireTime ?? now) : now,
    renewTime: now,
    leaseTransitions: iHold || !current ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
  };
}

/** Runs one candidate. */
export class LeaderElector {
  private observation: Observation | undefined;
  private readonly namespace: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;

  constructor(private readonly deps: { client: Client; clock: Clock; log: Logger; config: LeaderElectionConfig }) {
    const c = deps.config;
    this.namespace = c.namespace ?? 'kube-system';
    this.leaseDurationMs = c.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = c.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = c.retryPeriodMs ?? 2_000;
  }

  /** The identity last seen holding the lease. */
  get observedLeader(): string | undefined {
    return this.observation?.holder;
  }

  /**
   * Campaigns until `signal` aborts: waits to acquire, leads (renewing) until a renew fails for
   * `renewDeadline`, then calls `onStoppedLeading` and returns (it does not campaign again —
   * a process that lost leadership should exit, as kube-controller-manager does).
   */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    const acquired = await this.acquire(signal, callbacks);
    if (!acquired) return;
    const leading = new AbortController();
    const onAbort = () => leading.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    callbacks.onStartedLeading(leading.signal);
    try {
      await this.renewLoop(leading.signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
      leading.abort(new Error('leadership lost'));
      if (signal.aborted && this.deps.config.releaseOnCancel !== false) await this.release();
      callbacks.onStoppedLeading();
    }
  }

  private async acquire(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<boolean> {
    let lastLeader: string | undefined;
    while (!signal.aborted) {
      const ok = await this.tryAcquireOrRenew();
      const leader = this.observation?.holder;
      if (leader && leader !== lastLeader) {
        lastLeader = leader;
        callbacks.onNewLeader?.(leader);
      }
      if (ok) {
        this.deps.log.info({ lease: this.leaseRef(), identity: this.deps.config.identity }, 'successfully acquired lease');
        return true;
      }
      await pause(this.deps.clock, this.jittered(this.retryPeriodMs), signal);
    }
    return false;
  }

  private async renewLoop(signal: AbortSignal): Promise<void> {
    const { clock, log } = this.deps;
    let lastRenew = clock.now();
    while (!signal.aborted) {
      if (!(await pause(clock, this.retryPeriodMs, signal))) return;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = clock.now();
        continue;
      }
      if (clock.now() - lastRenew >= this.renewDeadlineMs || (this.observation && this.observation.holder !== this.deps.config.identity)) {
        log.error({ lease: this.leaseRef() }, 'failed to renew lease; leadership lost');
        return;
      }
    }
  }

  /** One round; true when we hold the lease afterwards. Errors count as "not now". */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, clock, config, log } = this.deps;
    const leases = client.leases.inNamespace(this.namespace);
    const now = clock.now();
    const leaseDurationSeconds = Math.round(this.leaseDurationMs / 1000);
    try {
      let current: Lease | undefined;
      try {
        current = await leases.get(config.name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      if (current) this.observe(current, now);
      const spec = nextLeaseSpec(current?.spec, this.observation, { identity: config.identity, now, leaseDurationSeconds });
      if (!spec) return false;
      const written = current
        ? await leases.update({ ...current, spec })
        : await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: config.name, namespace: this.namespace }, spec });
      this.observe(written, now);
      return true;
    } catch (err) {
      if (!isConflict(err) && !isAlreadyExists(err)) log.warn({ err, lease: this.leaseRef() }, 'error acquiring or renewing lease');
      return false;
    }
  }

  private observe(lease: Lease, now: number): void {
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const renewTime = spec.renewTime ?? '';
    if (!this.observation || this.observation.holder !== holder || this.observation.renewTime !== renewTime) {
      this.observation = { holder, renewTime, leaseDurationSeconds: spec.leaseDurationSeconds ?? Math.round(this.leaseDurationMs / 1000), observedAt: now };
    }
  }

  private async release(): Promise<void> {
    const { client, clock, config, log } = this.deps;
    const leases = client.leases.inNamespace(this.namespace);
    try {
      const current = await leases.get(config.name);
      if (current.spec?.holderIdentity !== config.identity) return;
      const now = microTime(clock.now());
      await leases.update({ ...current, spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now } });
      log.info({ lease: this.leaseRef() }, 'released lease');
    } catch (err) {
      log.warn({ err, lease: this.leaseRef() }, 'failed to release lease');
    }
  }

  private jittered(ms: number): number {
    return ms * (1 + Math.random() * 1.2);
  }

  private leaseRef(): string {
    return `${this.namespace}/${this.deps.config.name}`;
  }
}
