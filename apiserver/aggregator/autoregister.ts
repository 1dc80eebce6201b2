/**
 * Upstream's autoregister controller: keeps one local APIService per group/version the registry
 * serves (CRDs come and go), writing straight to storage. Syncs are coalesced: a registry change
 * while a sync runs schedules one more. Several API servers (`--workers`) may run it against one
 * store: creates that find the object already there and updates that change nothing are no-ops.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { apiServiceResource, type APIService } from '../../pkg/api/apiregistration/v1/apiservice.ts';
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import { StorageError, type Storage } from '../../pkg/storage/types.ts';
import { storageKey, storagePrefix } from '../handlers/objects.ts';
import { localApiService, planLocalSync, servedGroupVersions } from './local-apiservices.ts';
import { createIfAbsent } from '../../pkg/storage/create-if-absent.ts';

/** What {@link LocalApiServiceRegistrar} needs. */
export interface AutoregisterOptions {
  storage: Storage;
  registry: ResourceRegistry;
  keyPrefix: string;
  log: Pick<Logger, 'info' | 'error'>;
  /** RFC 3339 "now" for creationTimestamp. */
  now(): string;
}

/** Contract: `start()` resolves after the first full sync; later syncs are level-based and never overlap. */
export class LocalApiServiceRegistrar {
  private running: Promise<void> | undefined;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  private synced = false;

  constructor(private readonly options: AutoregisterOptions) {}

  /** Syncs once (awaited), then on every registry change until {@link close}. */
  async start(): Promise<void> {
    await this.sync();
    this.unsubscribe = this.options.registry.onChange(() => this.trigger());
  }

  /** Waits for a running sync and stops following the registry. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    await this.idle();
  }

  /** Resolves when no sync is running or scheduled (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Schedules a sync (coalesced with a running one), e.g. after an APIService was deleted. */
  trigger(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sync()
      .catch((err) => this.options.log.error({ err }, 'local APIService sync failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  private key(name: string): string {
    return storageKey(apiServiceResource, undefined, name, this.options.keyPrefix);
  }

  private async sync(): Promise<void> {
    const { storage, registry } = this.options;
    const desired = servedGroupVersions(registry.all()).map(localApiService);
    const stored = (await storage.list(storagePrefix(apiServiceResource, undefined, this.options.keyPrefix))).items as APIService[];
    const plan = planLocalSync(desired, stored, { startup: !this.synced });
    for (const svc of plan.create) {
      const obj = { ...svc, metadata: { ...svc.metadata, uid: randomUUID(), creationTimestamp: this.options.now() } };
      await createIfAbsent(storage, this.key(svc.metadata.name ?? ''), obj);
    }
    for (const svc of plan.update) {
      await storage.guaranteedUpdate(this.key(svc.metadata.name ?? ''), (current) => {
        if (!current) throw new StorageError('NotFound', svc.metadata.name ?? '');
        return { ...current, metadata: { ...current.metadata, labels: { ...current.metadata.labels, ...svc.metadata.labels } }, spec: svc.spec } as APIService;
      }).catch((err) => {
        if (!(err instanceof StorageError && err.code === 'NotFound')) throw err;
      });
    }
    for (const name of plan.delete) {
      await storage.delete(this.key(name)).catch((err) => {
        if (!(err instanceof StorageError && err.code === 'NotFound')) throw err;
      });
    }
    this.synced = true;
    if (plan.create.length || plan.update.length || plan.delete.length) {
      this.options.log.info({ created: plan.create.length, updated: plan.update.length, deleted: plan.delete.length }, 'local APIServices synced');
    }
  }
}
