/**
 * The kubelet's eviction manager (upstream `pkg/kubelet/eviction`): every monitoring interval
 * (10 s) it reads the machine, decides the node's pressure conditions and, when a threshold is
 * met past its grace period, evicts one pod — ranked for the starved resource — and waits for it
 * to be cleaned up (at most 30 s) before the next round. For a disk signal it first reclaims at
 * node level — every unused container and image — and evicts only if a threshold is still met.
 * Before the thresholds, each round enforces the pods' local storage limits (emptyDir
 * `sizeLimit`, `ephemeral-storage` limits): every pod over one is evicted at once, and that round
 * evicts nothing else.
 * It also answers the kubelet's admission question for new pods under pressure. The decisions are the pure functions beside it; this
 * class holds the state between rounds and does the I/O through injected functions.
 */
import type { Logger } from 'pino';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { pause } from '../../pkg/util/periodic.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import { admitPod, isCriticalPod, type AdmitResult } from './admission.ts';
import { evaluate, INITIAL_STATE, thresholdsMet, type EvictionState } from './evaluate.ts';
import { nodeReclaimFor } from './node-reclaim.ts';
import { EVICTED_REASON, evictionMessage, thresholdMetEvent } from './messages.ts';
import { rankForEviction, type UsageOf } from './rank.ts';
import type { NodeReadingsSource } from './readings.ts';
import { observe, SIGNAL_RESOURCE, type Observations, type PressureCondition } from './signals.ts';
import { isHard, thresholdKey, type Threshold } from './thresholds.ts';
import { hasLocalStorageLimit, localStorageViolation, type PodStorageUsage } from './local-storage.ts';

/** Upstream's eviction monitoring interval. */
export const DEFAULT_MONITORING_INTERVAL_MS = 10_000;
/** Upstream `immediateEvictionGracePeriodSeconds`: the grace period of a hard eviction. */
export const HARD_EVICTION_GRACE_SECONDS = 1;
const CLEANUP_TIMEOUT_MS = 30_000;
const CLEANUP_POLL_MS = 1000;

/** The eviction part of the kubelet's configuration. */
export interface EvictionConfig {
  thresholds: readonly Threshold[];
  /** How long a pressure condition stays True after its signal cleared (`evictionPressureTransitionPeriod`). */
  pressureTransitionMs: number;
  /** The grace period of a soft eviction (`evictionMaxPodGracePeriod`, default 0). */
  maxPodGracePeriodSeconds: number;
  monitoringIntervalMs?: number;
}

/** What an eviction writes besides stopping the pod. */
export interface EvictionRequest {
  graceSeconds: number;
  reason: string;
  message: string;
  /** The `DisruptionTarget` condition upstream adds for node pressure (reason `TerminationByKubelet`); none for a local storage limit. */
  condition?: { type: 'DisruptionTarget'; status: 'True'; reason: 'TerminationByKubelet'; message: string };
}

/** Options of {@link EvictionManager}. */
export interface EvictionManagerOptions {
  config: EvictionConfig;
  readings: NodeReadingsSource;
  /** Pods admitted, not terminal, not mirrors: the eviction candidates. */
  activePods(): Pod[];
  /** The latest usage per pod (the stats collector's view). */
  usage(): UsageOf;
  /** Measures the local storage of `pods` (those with a limit), by UID; unset = limits not enforced. */
  storageUsage?(pods: readonly Pod[]): Promise<ReadonlyMap<string, PodStorageUsage>>;
  /**
   * Stops the pod's containers within `graceSeconds` and writes phase Failed with the request's
   * reason, message and condition; resolves when the containers were stopped (rejects on failure).
   */
  evictPod(pod: Pod, request: EvictionRequest): Promise<void>;
  /** Whether an evicted pod's containers and volumes are gone. */
  podCleanedUp?(pod: Pod): boolean | Promise<boolean>;
  podEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /**
   * Node-level reclaim tried before evicting for a disk signal (see {@link nodeReclaimFor}):
   * `reclaim` deletes every unused container and image and never rejects. Unset = none.
   */
  nodeReclaim?: { dedicatedImageFs: boolean; reclaim(): Promise<void> };
  nodeEvent(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Counts evictions by signal (`kubelet_evictions`); unset = not counted. */
  metrics?: { evicted(signal: string): void };
  clock: Clock;
  log: Logger;
}

/**
 * Contract: `conditions()` and `admit()` answer from the last finished round (none before the
 * first); `synchronize()` rounds must not overlap (`run` calls them one at a time); at most one
 * pod is evicted per round for node pressure (any number over their storage limits), and a
 * critical pod never is.
 */
export class EvictionManager {
  private state: EvictionState = INITIAL_STATE;
  private current: PressureCondition[] = [];

  constructor(private readonly options: EvictionManagerOptions) {}

  /** The pressure conditions to report True. */
  conditions(): readonly PressureCondition[] {
    return this.current;
  }

  /** Upstream `Admit` against the current conditions. */
  admit(pod: Pod): AdmitResult {
    return admitPod(pod, this.current);
  }

  /** One round; returns the pods evicted. */
  async synchronize(): Promise<Pod[]> {
    const { config, log, clock } = this.options;
    if (config.thresholds.length === 0 && !this.options.storageUsage) return [];
    const observations: Observations = config.thresholds.length > 0 ? observe(await this.options.readings.read()) : {};
    const round = evaluate({ thresholds: config.thresholds, observations, state: this.state, nowMs: clock.now(), pressureTransitionMs: config.pressureTransitionMs });
    if (round.conditions.join() !== this.current.join()) log.info({ conditions: round.conditions }, 'node pressure conditions changed');
    this.state = round.state;
    this.current = round.conditions;
    const overLimits = await this.evictForLocalStorage();
    if (overLimits.length > 0) return overLimits;
    const threshold = round.act[0];
    if (!threshold) return [];
    const resource = SIGNAL_RESOURCE[threshold.signal];
    log.info({ resource, signal: threshold.signal }, 'attempting to reclaim');
    const event = thresholdMetEvent(resource);
    this.options.nodeEvent('Warning', event.reason, event.message);
    if (await this.reclaimNodeLevel(threshold)) {
      log.info({ resource }, 'able to reduce resource pressure without evicting pods');
      return [];
    }
    log.info({ resource }, 'must evict pod(s) to reclaim');
    const pods = this.options.activePods();
    if (pods.length === 0) {
      log.error({ resource }, 'eviction thresholds have been met, but no pods are active to evict');
      return [];
    }
    const usage = this.options.usage();
    for (const pod of rankForEviction(pods, resource, usage)) {
      const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (isCriticalPod(pod)) {
        log.error({ pod: podKey }, 'cannot evict a critical pod');
        continue;
      }
      const message = evictionMessage({ resource, pod, usage: usage(pod), thresholds: round.act, observations });
      this.options.podEvent(pod, 'Warning', EVICTED_REASON, message);
      const graceSeconds = isHard(threshold) ? HARD_EVICTION_GRACE_SECONDS : config.maxPodGracePeriodSeconds;
      try {
        await this.options.evictPod(pod, { graceSeconds, reason: EVICTED_REASON, message, condition: { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message } });
        this.options.metrics?.evicted(threshold.signal);
        log.info({ pod: podKey, resource }, 'pod is evicted successfully');
      } catch (err) {
        log.error({ err, pod: podKey }, 'pod failed to evict');
      }
      return [pod];
    }
    log.info({ resource }, 'unable to evict any pods from the node');
    return [];
  }

  /**
   * Upstream `localStorageEviction`: every active pod over one of its local storage limits is
   * evicted (immediately, no DisruptionTarget condition); critical pods never are.
   */
  private async evictForLocalStorage(): Promise<Pod[]> {
    const { storageUsage, log } = this.options;
    if (!storageUsage) return [];
    const limited = this.options.activePods().filter(hasLocalStorageLimit);
    if (limited.length === 0) return [];
    const usage = await storageUsage(limited);
    const evicted: Pod[] = [];
    for (const pod of limited) {
      const measured = usage.get(pod.metadata.uid as string);
      const violation = measured && localStorageViolation(pod, measured);
      if (!violation) continue;
      const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (isCriticalPod(pod)) {
        log.error({ pod: podKey }, 'cannot evict a critical pod');
        continue;
      }
      this.options.podEvent(pod, 'Warning', EVICTED_REASON, violation.message);
      try {
        await this.options.evictPod(pod, { graceSeconds: 0, reason: EVICTED_REASON, message: violation.message });
        this.options.metrics?.evicted(violation.signal);
        log.info({ pod: podKey, signal: violation.signal }, 'pod is evicted successfully');
        evicted.push(pod);
      } catch (err) {
        log.error({ err, pod: podKey }, 'pod failed to evict');
      }
    }
    return evicted;
  }

  /**
   * Upstream `reclaimNodeLevelResources`: runs the signal's node-level reclaim, reads the machine
   * again and answers whether every threshold (with its minimum reclaim, ignoring grace periods)
   * is now clear. False when the signal has no node-level reclaim.
   */
  private async reclaimNodeLevel(threshold: Threshold): Promise<boolean> {
    const { nodeReclaim, config, log } = this.options;
    if (!nodeReclaim || nodeReclaimFor(threshold.signal, nodeReclaim.dedicatedImageFs) === 'none') return false;
    await nodeReclaim.reclaim();
    const observations = observe(await this.options.readings.read());
    const still = thresholdsMet(config.thresholds, observations, true);
    log.debug({ thresholds: still.map(thresholdKey) }, 'thresholds after resource reclaim - ignoring grace period');
    return still.length === 0;
  }

  /** Rounds every monitoring interval until `signal` aborts; after an eviction, waits for the pod's cleanup instead. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock, log, config } = this.options;
    while (!signal.aborted) {
      let evicted: Pod[] = [];
      try {
        evicted = await this.synchronize();
      } catch (err) {
        log.error({ err }, 'eviction manager failed to synchronize');
      }
      if (evicted.length > 0 && this.options.podCleanedUp) {
        if (!(await this.waitForCleanup(evicted, signal))) return;
      } else if (!(await pause(clock, config.monitoringIntervalMs ?? DEFAULT_MONITORING_INTERVAL_MS, signal))) {
        return;
      }
    }
  }

  /** Waits until every pod in `pods` is cleaned up (at most 30 s); false when `signal` aborted meanwhile. */
  private async waitForCleanup(pods: readonly Pod[], signal: AbortSignal): Promise<boolean> {
    const { clock, log } = this.options;
    const deadline = clock.now() + CLEANUP_TIMEOUT_MS;
    while (clock.now() < deadline) {
      if (!(await pause(clock, CLEANUP_POLL_MS, signal))) return false;
      const cleaned = await Promise.all(pods.map(async (pod) => (await this.options.podCleanedUp?.(pod)) ?? true));
      if (cleaned.every(Boolean)) return true;
    }
    log.info({ pods: pods.map((pod) => `${pod.metadata.namespace}/${pod.metadata.name}`) }, 'timed out waiting for pods to be cleaned up');
    return true;
  }
}
