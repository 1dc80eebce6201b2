/**
 * The kubelet's stats collector (cadvisor's housekeeping, for what k8ts measures): each
 * {@link StatsCollector.sample} asks the runtime for every running container's usage (one CRI
 * ListContainerStats) and reads the node's CPU and memory, keeping only the latest sample per
 * container and for the node, plus the CPU rates derived from the sample before. The kubelet
 * calls it every `--housekeeping-interval` (10 s); the API reads {@link StatsCollector.view}.
 */
import type { Logger } from 'pino';
import type { ContainerMemoryUsage, ContainerRuntime } from '../runtime/types.ts';
import type { NodeUsageSource } from './node-usage.ts';
import { nextCpuState, type CpuState } from './rate.ts';
import { advanceContainers } from './samples.ts';
import { buildStatsView, type ContainerEntry, type StatsView } from './view.ts';

/** Options of {@link StatsCollector}. */
export interface StatsCollectorOptions {
  runtime: Pick<ContainerRuntime, 'containerStats'>;
  node: NodeUsageSource;
  nodeName: string;
  /** When the node booted (ms since the epoch): the node's `startTime`. */
  nodeStartMs: number;
  log: Logger;
}

/** A pod the kubelet runs, as the view names it. */
export interface RunningPodRef {
  uid: string;
  name: string;
  namespace: string;
}

/**
 * Contract: `sample()` never throws — a runtime failure is logged and remembered, and until the
 * next successful sample {@link view} answers undefined (the endpoints report the error); a node
 * figure the source could not read is left out, and a node source that fails outright leaves the
 * last node figures in place. Calls to `sample()` must not
 * overlap (the kubelet's periodic loop runs one at a time).
 */
export class StatsCollector {
  private containers = new Map<string, ContainerEntry>();
  private nodeCpu: CpuState | undefined;
  private nodeMemory: ContainerMemoryUsage | undefined;
  private failed = false;

  constructor(private readonly options: StatsCollectorOptions) {}

  /** One housekeeping pass. */
  async sample(): Promise<void> {
    const { runtime, node, log } = this.options;
    const [containers, reading] = await Promise.allSettled([runtime.containerStats(), node.read()]);
    if (reading.status === 'fulfilled') {
      const { cpu, memory } = reading.value;
      this.nodeCpu = cpu ? nextCpuState(this.nodeCpu, cpu) : undefined;
      this.nodeMemory = memory;
    } else {
      log.warn({ err: reading.reason }, 'reading node usage failed');
    }
    if (containers.status === 'fulfilled') {
      this.containers = advanceContainers(this.containers, containers.value);
      this.failed = false;
    } else {
      this.failed = true;
      log.warn({ err: containers.reason }, 'listing container stats failed');
    }
  }

  /**
   * The bytes the writable layer of the pod's running container `name` held in the last sample
   * (what the runtime reported); undefined when unknown.
   */
  writableLayerBytes(podUid: string, name: string): number | undefined {
    for (const { stats } of this.containers.values()) if (stats.podUid === podUid && stats.name === name) return stats.rootfsUsedBytes;
    return undefined;
  }

  /** How many containers are being tracked (what the collector holds in memory). */
  get trackedContainers(): number {
    return this.containers.size;
  }

  /** The current usage of the node and of `pods`; undefined when the last runtime sample failed. */
  view(pods: readonly RunningPodRef[]): StatsView | undefined {
    if (this.failed) return undefined;
    const { nodeName, nodeStartMs } = this.options;
    return buildStatsView({ nodeName, nodeStartMs, node: { cpu: this.nodeCpu, memory: this.nodeMemory }, containers: this.containers.values(), pods });
  }
}
