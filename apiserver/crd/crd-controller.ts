/**
 * Serves the kinds CustomResourceDefinitions define, in the API server process: lists the CRDs
 * once (before the server answers), then follows them with a storage watch. A CRD's served
 * versions are registered in the resource registry (so discovery, OpenAPI and the resource
 * routes see them at once) and its status gets `acceptedNames` and the `NamesAccepted` /
 * `Established` conditions. A CRD marked for deletion has its objects deleted first (see
 * `instance-cleanup.ts`); when it is gone its kinds stop being served and any object still stored
 * is deleted.
 *
 * Several API servers may run this against one etcd: registration is local to each, status
 * writes are idempotent. A CRD with a conversion webhook gets a converter that calls it (the
 * webhook's Service is resolved through this storage, as admission webhooks' are).
 */
import type { Logger } from 'pino';
import { customResourceDefinitionResource, type CustomResourceDefinition } from '../../pkg/api/apiextensions/v1/customresourcedefinition.ts';
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { followPrefix } from '../follow-prefix.ts';
import { storageKey, storagePrefix } from '../handlers/objects.ts';
import { postWebhookReview } from '../admission/webhook/client.ts';
import { resourceInfosForCrd } from './resource-infos.ts';
import { cleanUpInstances, needsInstanceCleanup } from './instance-cleanup.ts';
import { webhookObjectConverter, type ReviewPoster } from './conversion-webhook.ts';
import { desiredConditions, withConditions } from './status.ts';
import { updateStoredCrd } from './crd-store.ts';

export interface CrdControllerOptions {
  storage: Storage;
  registry: ResourceRegistry;
  keyPrefix: string;
  log: Pick<Logger, 'info' | 'error'>;
  /** RFC 3339 "now" for condition transitions. */
  now(): string;
  /** Sends a conversion webhook's reviews (default: HTTPS, Services resolved through this storage). */
  postReview?: ReviewPoster;
}

export class CrdController {
  /** CRD name → the resources registered for it. */
  private readonly served = new Map<string, ResourceInfo[]>();
  private readonly stop = new AbortController();
  /** CRD name → its running instance cleanup. */
  private readonly cleanups = new Map<string, Promise<void>>();
  private loop: Promise<void> | undefined;

  private readonly postReview: ReviewPoster;

  constructor(private readonly options: CrdControllerOptions) {
    const resolver = { storage: options.storage, keyFor: (info: Pick<ResourceInfo, 'group' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string) => storageKey(info, namespace, name, options.keyPrefix) };
    this.postReview = options.postReview ?? ((clientConfig, body, timeoutSeconds) => postWebhookReview(resolver, clientConfig, body, timeoutSeconds));
  }

  /** Serves every stored CRD, then follows changes until {@link close}. */
  async start(): Promise<void> {
    const { storage, keyPrefix, log } = this.options;
    const { done } = await followPrefix({
      storage,
      prefix: storagePrefix(customResourceDefinitionResource, undefined, keyPrefix),
      signal: this.stop.signal,
      log,
      handlers: {
        listed: async (items) => {
          for (const obj of items) await this.sync(obj as CustomResourceDefinition);
        },
        changed: (obj, deleted) => (deleted ? this.remove(obj as CustomResourceDefinition) : this.sync(obj as CustomResourceDefinition)),
      },
    });
    this.loop = done;
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.loop;
    await Promise.all(this.cleanups.values());
  }

  /** Whether another resource (a built-in or another CRD) already serves group/plural or group/kind. */
  private conflict(crd: CustomResourceDefinition, infos: readonly ResourceInfo[]): string | undefined {
    const mine = new Set(this.served.get(crd.metadata.name ?? '') ?? []);
    for (const info of infos) {
      for (const other of this.options.registry.all()) {
        if (mine.has(other) || other.group !== info.group) continue;
        if (other.plural === info.plural) return `"${info.plural}" is already in use`;
        if (other.kind === info.kind) return `"${info.kind}" is already in use`;
      }
    }
    return undefined;
  }

  private async sync(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata.name ?? '';
    const infos = resourceInfosForCrd(crd, (webhook) => webhookObjectConverter(webhook, this.postReview));
    const conflict = this.conflict(crd, infos);
    const previous = this.served.get(name) ?? [];
    const next = conflict ? [] : infos;
    for (const old of previous) if (!next.some((i) => i.version === old.version && i.plural === old.plural && i.group === old.group)) this.options.registry.unregister(old.group, old.version, old.plural);
    for (const info of next) this.options.registry.register(info);
    if (next.length) this.served.set(name, next);
    else this.served.delete(name);
    if (infos.length) await this.writeStatus(crd, conflict);
    if (needsInstanceCleanup(crd)) this.startCleanup(crd, next[0]);
  }

  /** Runs the CRD finalizer for `crd` unless it already runs (one per CRD name). */
  private startCleanup(crd: CustomResourceDefinition, info: ResourceInfo | undefined): void {
    const name = crd.metadata.name ?? '';
    if (this.cleanups.has(name)) return;
    const { storage, keyPrefix, log } = this.options;
    const running = cleanUpInstances(crd, info, { storage, keyPrefix, log, now: () => new Date(), signal: this.stop.signal })
      .catch((err: unknown) => log.error({ err, crd: name }, 'cannot delete the objects of a deleted CRD'))
      .finally(() => this.cleanups.delete(name));
    this.cleanups.set(name, running);
  }

  private async writeStatus(crd: CustomResourceDefinition, conflict: string | undefined): Promise<void> {
    const { storage, keyPrefix, log, now } = this.options;
    const conditions = desiredConditions(conflict);
    await updateStoredCrd(storage, crd.metadata.name ?? '', keyPrefix, (current) => withConditions(current, conditions, now())).catch((err: unknown) => log.error({ err, crd: crd.metadata.name }, 'cannot update CRD status'));
  }

  /** Stops serving the CRD's kinds and deletes their stored objects. */
  private async remove(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata.name ?? '';
    const infos = this.served.get(name) ?? resourceInfosForCrd(crd);
    this.served.delete(name);
    for (const info of infos) this.options.registry.unregister(info.group, info.version, info.plural);
    const first = infos[0];
    if (!first) return;
    const prefix = storagePrefix(first, undefined, this.options.keyPrefix);
    let deleted = 0;
    let startAfter: string | undefined;
    do {
      const page = await this.options.storage.list(prefix, { limit: 500, startAfter });
      for (const obj of page.items) {
        const key = storageKey(first, obj.metadata.namespace, obj.metadata.name ?? '', this.options.keyPrefix);
        await this.options.storage.delete(key).then(() => deleted++, () => undefined);
      }
      startAfter = page.nextKey;
    } while (startAfter);
    this.options.log.info({ crd: name, deleted }, 'CustomResourceDefinition deleted with its objects');
  }
}
