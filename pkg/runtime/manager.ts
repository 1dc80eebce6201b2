/**
 * The manager: shared informers, controllers and other runnables, probes and metrics, and
 * optional leader election — the one object a controller process builds.
 */
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import type { KubeObject } from '../api/meta.ts';
import type { Client, ResourceCoordinates } from '../client/index.ts';
import { SharedInformerFactory, type Lister, type SharedInformer } from '../informer/index.ts';
import { realClock, type Clock } from '../workqueue/index.ts';
import { EventSink, type EventRecorder } from './event-recorder.ts';
import { LeaderElector, type LeaderElectionConfig } from './leader-election.ts';
import { RuntimeMetrics } from './metrics.ts';
import { startProbeServer, type ProbeServer } from './probe-server.ts';

/**
 * Something the manager runs. `start(signal)` runs until `signal` aborts and then resolves;
 * a rejection stops the whole manager. Runnables that need leader election (the default) start
 * only once this process holds the lease and are stopped when it is lost.
 */
export interface Runnable {
  readonly name: string;
  readonly needLeaderElection?: boolean;
  start(signal: AbortSignal): Promise<void>;
}

/** Options of {@link Manager}. */
export interface ManagerOptions {
  client: Client;
  logger?: Logger;
  clock?: Clock;
  /** Elect a leader on this Lease before running leader-only runnables (default: no election). */
  leaderElection?: Omit<LeaderElectionConfig, 'identity'> & { identity?: string };
  /** Serve /healthz, /readyz and /metrics here (port 0 = any free port). */
  probeAddress?: { host: string; port: number };
  /** Informer resync period (default none). */
  resyncPeriodMs?: number;
  /** Include Node process metrics in /metrics (default false). */
  processMetrics?: boolean;
}

/** Raised by `start` when leadership was lost: the process should exit and restart clean. */
export class LeadershipLostError extends Error {
  constructor(lease: string) {
    super(`leader election lost: ${lease}`);
    this.name = 'LeadershipLostError';
  }
}

/**
 * Contract: create informers, controllers and runnables before or after `start`; `start`
 * starts the informers, waits for their caches, then (after winning the election, if
 * configured) runs controllers and runnables. It resolves after `signal` aborts and everything
 * has stopped, and rejects with {@link LeadershipLostError} if the lease is lost, or with the
 * error of a failed runnable (after stopping the rest). Listers only ever return frozen,
 * read-only objects.
 */
export class Manager {
  readonly client: Client;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: RuntimeMetrics;
  /** This candidate's identity (`<hostname>_<uuid>`). */
  readonly identity: string;
  private readonly informers: SharedInformerFactory;
  private readonly events: EventSink;
  private readonly runnables: Runnable[] = [];
  private readonly started = new Set<Runnable>();
  private running: { informers: AbortSignal; leader?: AbortSignal; track(p: Promise<void>): void } | undefined;
  private synced = false;
  private leading = false;
  private probe: ProbeServer | undefined;

  constructor(private readonly options: ManagerOptions) {
    this.client = options.client;
    this.clock = options.clock ?? realClock;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.metrics = new RuntimeMetrics({ defaultMetrics: options.processMetrics });
    this.identity = options.leaderElection?.identity ?? `${hostname()}_${randomUUID()}`;
    this.informers = new SharedInformerFactory(this.client, { clock: this.clock, logger: this.log, resyncPeriodMs: options.resyncPeriodMs });
    this.events = new EventSink({ client: this.client, clock: this.clock, log: this.log.child({ component: 'events' }), host: hostname() });
  }

  /** The shared, cluster-wide informer of a resource (started by the manager). */
  informer<T extends KubeObject = KubeObject>(coords: ResourceCoordinates): SharedInformer<T> {
    const informer = this.informers.forResource<T>(coords);
    if (this.running) this.informers.start(this.running.informers);
    return informer;
  }

  /** The lister of a resource's shared informer. */
  lister<T extends KubeObject = KubeObject>(coords: ResourceCoordinates): Lister<T> {
    return this.informer<T>(coords).lister();
  }

  /** An Event recorder whose events name `component` as their source. */
  eventRecorder(component: string): EventRecorder {
    return this.events.recorder(component);
  }

  /** Adds a runnable (a {@link Controller} is one); started at once if the manager already runs. */
  add(runnable: Runnable): void {
    this.runnables.push(runnable);
    this.startEligible();
  }

  /** True once caches synced and (with election) this process leads. */
  ready(): boolean {
    return this.synced && (!this.options.leaderElection || this.leading);
  }

  /** Whether this process currently holds the lease (always true without election once started). */
  isLeader(): boolean {
    return this.leading;
  }

  /** The probe server's URL once started. */
  probeUrl(): string | undefined {
    return this.probe?.url;
  }

  /** Runs everything until `signal` aborts (see the class contract). */
  async start(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('manager already started');
    const stopAll = new AbortController();
    // Every informer, controller and runnable listens on it: many listeners are expected.
    setMaxListeners(0, stopAll.signal);
    const onAbort = () => stopAll.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const tasks = new Set<Promise<void>>();
    let failure: unknown;
    const track = (p: Promise<void>) => {
      const t = p.catch((err) => {
        if (!stopAll.signal.aborted) {
          failure ??= err;
          this.log.error({ err }, 'runnable failed; stopping the manager');
          stopAll.abort(err);
        }
      });
      tasks.add(t);
      void t.finally(() => tasks.delete(t));
    };
    this.running = { informers: stopAll.signal, track };
    try {
      if (this.options.probeAddress) this.probe = await startProbeServer(this.options.probeAddress, { ready: () => this.ready(), registry: this.metrics.registry });
      this.informers.start(stopAll.signal);
      this.startEligible();
      this.synced = await this.informers.waitForCacheSync(stopAll.signal);
      if (this.synced) await this.lead(stopAll, track);
      await new Promise<void>((resolve) => (stopAll.signal.aborted ? resolve() : stopAll.signal.addEventListener('abort', () => resolve(), { once: true })));
      while (tasks.size) await Promise.all([...tasks]);
      await this.events.flush();
    } finally {
      signal.removeEventListener('abort', onAbort);
      stopAll.abort();
      await this.informers.shutdown();
      await this.probe?.close();
      this.probe = undefined;
    }
    if (failure) throw failure;
  }

  private async lead(stopAll: AbortController, track: (p: Promise<void>) => void): Promise<void> {
    const election = this.options.leaderElection;
    if (!election) {
      this.leading = true;
      this.running!.leader = stopAll.signal;
      this.startEligible();
      return;
    }
    const lease = `${election.namespace ?? 'kube-system'}/${election.name}`;
    const elector = new LeaderElector({ client: this.client, clock: this.clock, log: this.log.child({ component: 'leader-election' }), config: { ...election, identity: this.identity } });
    track(
      elector.run(stopAll.signal, {
        onStartedLeading: (leaderSignal) => {
          this.leading = true;
          this.metrics.setLeader(election.name, true);
          this.running!.leader = leaderSignal;
          this.startEligible();
        },
        onStoppedLeading: () => {
          this.leading = false;
          this.metrics.setLeader(election.name, false);
          if (!stopAll.signal.aborted) throw new LeadershipLostError(lease);
        },
        onNewLeader: (identity) => this.log.info({ lease, leader: identity }, 'new leader observed'),
      }),
    );
  }

  private startEligible(): void {
    const running = this.running;
    if (!running) return;
    for (const r of this.runnables) {
      if (this.started.has(r)) continue;
      const needsLeader = r.needLeaderElection !== false;
      const signal = needsLeader ? running.leader : running.informers;
      if (!signal || (needsLeader && !this.synced)) continue;
      this.started.add(r);
      running.track(r.start(signal));
    }
  }
}
