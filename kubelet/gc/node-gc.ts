/**
 * The kubelet's garbage collection (upstream `Kubelet.StartGarbageCollection`): the container
 * collector every minute — a failure is a `ContainerGCFailed` warning on the Node — and the
 * image collector every 5 minutes — a failure is logged, a second one in a row is also an
 * `ImageGCFailed` warning on the Node. With `--image-gc-high-threshold 100` and no maximum age the
 * image collector only keeps its records (first seen, last used) up to date, as upstream's
 * stubbed loop beside its image manager's detection. {@link NodeGarbageCollection.reclaim} is the
 * eviction manager's node-level reclaim: every unused container, then every unused image.
 */
import type { Logger } from 'pino';
import { runEvery } from '../../pkg/util/periodic.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import type { ContainerGcPolicy, GcPodState } from './container-gc.ts';
import { ContainerGarbageCollector } from './container-gc-manager.ts';
import { CONTAINER_GC_PERIOD_MS, IMAGE_GC_PERIOD_MS, imageGcEnabled, type ImageGcPolicy } from './image-gc-policy.ts';
import { ImageGarbageCollector } from './image-gc-manager.ts';

/** The garbage collection part of the kubelet's configuration. */
export interface GcConfig {
  containerPolicy: ContainerGcPolicy;
  imagePolicy: ImageGcPolicy;
  /** How often containers are collected (default 1 min, upstream's `ContainerGCPeriod`). */
  containerPeriodMs?: number;
  /** How often images are collected (default 5 min, upstream's `ImageGCPeriod`). */
  imagePeriodMs?: number;
}

/** Options of {@link NodeGarbageCollection}. */
export interface NodeGcOptions {
  config: GcConfig;
  runtime: ContainerRuntime;
  logRoot: string;
  podState(uid: string): GcPodState;
  allSourcesReady(): boolean;
  imageFs(): Promise<{ capacityBytes: number; availableBytes: number } | undefined>;
  nodeEvent(type: 'Normal' | 'Warning', reason: string, message: string): void;
  clock: Clock;
  log: Logger;
}

/** Contract: `run` loops until its signal aborts and never rejects; `reclaim` never rejects (failures are logged). */
export class NodeGarbageCollection {
  readonly containers: ContainerGarbageCollector;
  readonly images: ImageGarbageCollector;

  constructor(private readonly options: NodeGcOptions) {
    const { config, runtime, clock, log } = options;
    this.containers = new ContainerGarbageCollector({ runtime, policy: config.containerPolicy, logRoot: options.logRoot, podState: options.podState, allSourcesReady: options.allSourcesReady, clock, log: log.child({ gc: 'containers' }) });
    this.images = new ImageGarbageCollector({ runtime, policy: config.imagePolicy, imageFs: options.imageFs, nodeEvent: options.nodeEvent, clock, log: log.child({ gc: 'images' }) });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { config, clock, log, nodeEvent } = this.options;
    const every = (name: string, intervalMs: number, fn: () => Promise<void>) => runEvery({ name, intervalMs, clock, signal, log }, fn);
    const imagesOn = imageGcEnabled(config.imagePolicy);
    if (!imagesOn) log.info('image garbage collection is disabled (--image-gc-high-threshold 100, no --image-maximum-gc-age)');
    let imageGcFailed = false;
    await Promise.all([
      every('container gc', config.containerPeriodMs ?? CONTAINER_GC_PERIOD_MS, async () => {
        try {
          await this.containers.collect();
        } catch (err) {
          log.error({ err }, 'container garbage collection failed');
          nodeEvent('Warning', 'ContainerGCFailed', (err as Error).message);
        }
      }),
      every('image gc', config.imagePeriodMs ?? IMAGE_GC_PERIOD_MS, async () => {
        if (!imagesOn) return void (await this.images.detect().catch((err: unknown) => log.info({ err }, 'failed to monitor images')));
        try {
          await this.images.garbageCollect();
          imageGcFailed = false;
        } catch (err) {
          if (imageGcFailed) {
            log.error({ err }, 'image garbage collection failed multiple times in a row');
            nodeEvent('Warning', 'ImageGCFailed', (err as Error).message);
          } else {
            log.error({ err }, 'image garbage collection failed once');
          }
          imageGcFailed = true;
        }
      }),
    ]);
  }

  /** Node-level reclaim (upstream `DeleteAllUnusedContainers` then `DeleteUnusedImages`). */
  async reclaim(): Promise<void> {
    const { log } = this.options;
    await this.containers.collect(true).catch((err: unknown) => log.info({ err }, 'unexpected error when attempting to reduce resource pressure'));
    await this.images.deleteUnusedImages().catch((err: unknown) => log.info({ err }, 'unexpected error when attempting to reduce resource pressure'));
  }
}
