/**
 * The aggregator inside the API server: follows APIServices, Services and Endpoints in storage,
 * checks each APIService's availability (upstream's local and remote availability controllers:
 * Service, port, ready endpoints, then `GET /apis/<group>/<version>` on the backend) on every
 * relevant change and every `resyncMs`, writes the `Available` condition, and keeps, for the
 * proxy and discovery, the remote group versions with their last discovery document.
 *
 * Checks of one APIService never overlap (a trigger during a check runs one more after it).
 * With `--workers` each worker runs its own aggregator: each proxies with what it saw, and they
 * write the same condition, which is written only when it differs (idempotent).
 */
import type { Logger } from 'pino';
import { request } from 'undici';
import { apiServiceResource, type APIService } from '../../pkg/api/apiregistration/v1/apiservice.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { endpointsResource } from '../../pkg/api/core/v1/endpoints.ts';
import { serviceResource } from '../../pkg/api/core/v1/service.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { StorageError, type Storage } from '../../pkg/storage/types.ts';
import { storageKey, storagePrefix } from '../handlers/objects.ts';
import { discoveryCondition, nextStatus, serviceCondition, type AvailableCondition } from './availability.ts';
import { BackendAgents, resolveBackend, type ProxyClientCertificate } from './backend.ts';
import { followPrefix } from '../follow-prefix.ts';

/** Who the discovery check is, in the front-proxy headers (upstream's `system:kube-aggregator` in `system:masters`). */
const CHECK_IDENTITY = { 'x-remote-user': 'system:kube-aggregator', 'x-remote-group': 'system:masters' };

/** One remote group version as this server last checked it. */
export interface RemoteGroupVersion {
  apiService: APIService;
  group: string;
  version: string;
  available: boolean;
  /** The `resources` of the backend's APIResourceList (last successful discovery check). */
  resources: Array<Record<string, unknown>>;
  /** The backend's OpenAPI v3 document URL of this group version (`/openapi/v3/apis/<g>/<v>?hash=…`), when it serves one. */
  openApiV3Url?: string;
}

/** What {@link Aggregator} needs. */
export interface AggregatorOptions {
  storage: Storage;
  keyPrefix: string;
  log: Pick<Logger, 'info' | 'error' | 'debug'>;
  /** RFC 3339 "now" for condition transitions. */
  now(): string;
  /** Re-check period (upstream re-queues every 30 s). */
  resyncMs?: number;
  /** Discovery check timeout (upstream 5 s). */
  checkTimeoutMs?: number;
  proxyClient?: ProxyClientCertificate;
  random?: (n: number) => number;
  /** Told when an APIService is deleted (the local registrar re-creates a local one). */
  onDeleted?: (name: string) => void;
}

/**
 * Contract: `start()` resolves once the APIServices are read (the proxy knows them); checks are
 * level-based (each reads the APIService, Service and Endpoints as they are now) and one at a time
 * per APIService; `remote()` answers from the last check; statuses are written only on change.
 */
export class Aggregator {
  private readonly remotes = new Map<string, RemoteGroupVersion>();
  private readonly services = new Map<string, APIService>();
  private readonly checks = new Map<string, { running: Promise<void>; again: boolean }>();
  private readonly stop = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  readonly agents: BackendAgents;

  constructor(private readonly options: AggregatorOptions) {
    this.agents = new BackendAgents(options.proxyClient);
  }

  /** The remote group version served at `/apis/<group>/<version>`, if one is registered. */
  remote(group: string, version: string): RemoteGroupVersion | undefined {
    return this.remotes.get(`${version}.${group}`);
  }

  /** Whether any remote group version is registered (the proxy's fast path). */
  hasRemotes(): boolean {
    return this.remotes.size > 0;
  }

  /** Every registered remote group version. */
  allRemotes(): RemoteGroupVersion[] {
    return [...this.remotes.values()];
  }

  /** Subscribe to changes of the remote set or their discovery; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the APIServices (awaited), then follows them and their Services and Endpoints. */
  async start(): Promise<void> {
    const { storage, keyPrefix, log } = this.options;
    const signal = this.stop.signal;
    const onService = (obj: KubeObject) => {
      for (const svc of this.services.values()) {
        const ref = svc.spec?.service;
        if (ref && ref.namespace === obj.metadata.namespace && ref.name === obj.metadata.name) this.trigger(svc.metadata.name ?? '');
      }
    };
    const apiServices = await followPrefix({
      storage, prefix: storagePrefix(apiServiceResource, undefined, keyPrefix), signal, log,
      handlers: {
        listed: (items) => {
          const names = new Set(items.map((i) => i.metadata.name ?? ''));
          for (const name of this.services.keys()) if (!names.has(name)) this.forget(name);
          for (const item of items) this.observe(item as APIService);
        },
        changed: (obj, deleted) => {
          if (!deleted) return this.observe(obj as APIService);
          this.forget(obj.metadata.name ?? '');
          this.options.onDeleted?.(obj.metadata.name ?? '');
        },
      },
    });
    const services = await followPrefix({ storage, prefix: storagePrefix(serviceResource, undefined, keyPrefix), signal, log, handlers: { listed: () => undefined, changed: onService } });
    const endpoints = await followPrefix({ storage, prefix: storagePrefix(endpointsResource, undefined, keyPrefix), signal, log, handlers: { listed: () => undefined, changed: onService } });
    this.loops.push(apiServices.done, services.done, endpoints.done);
    // Remote ones are re-checked periodically; local ones only change with their object.
    this.timer = setInterval(() => {
      for (const [name, svc] of this.services) if (svc.spec?.service) this.trigger(name);
    }, this.options.resyncMs ?? 30_000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.stop.abort();
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.loops);
    await this.idle();
    await this.agents.close();
  }

  /** Resolves when no check is running (tests). */
  async idle(): Promise<void> {
    while (this.checks.size) await Promise.all([...this.checks.values()].map((c) => c.running));
  }

  /** A new or changed APIService: checked again unless only its status changed. */
  private observe(svc: APIService): void {
    const name = svc.metadata.name ?? '';
    const before = this.services.get(name);
    this.services.set(name, svc);
    const remote = this.remotes.get(name);
    if (remote) remote.apiService = svc;
    // A new remote one is known (unavailable, so 503) before its first check; a local one is not proxied.
    if (svc.spec?.service && !remote) this.remotes.set(name, { apiService: svc, group: svc.spec.group ?? '', version: svc.spec.version ?? '', available: false, resources: [] });
    if (!svc.spec?.service && remote && this.remotes.delete(name)) this.emit();
    const specChanged = !before || JSON.stringify(before.spec) !== JSON.stringify(svc.spec);
    const noCondition = !(svc.status?.conditions ?? []).some((c) => c.type === 'Available');
    if (specChanged || noCondition) this.trigger(name);
  }

  private forget(name: string): void {
    this.services.delete(name);
    this.agents.drop(name);
    if (this.remotes.delete(name)) this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  /** Schedules a check of one APIService (coalesced while one runs). */
  trigger(name: string): void {
    const current = this.checks.get(name);
    if (current) {
      current.again = true;
      return;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = this.check(name)
      .catch((err) => this.options.log.error({ err, apiService: name }, 'APIService availability check failed'))
      .finally(() => {
        this.checks.delete(name);
        if (entry.again && !this.stop.signal.aborted) this.trigger(name);
      });
    this.checks.set(name, entry);
  }

  private async read(kind: 'service' | 'endpoints', namespace: string, name: string): Promise<{ obj?: KubeObject; error?: string }> {
    const info = kind === 'service' ? serviceResource : endpointsResource;
    try {
      return { obj: await this.options.storage.get(storageKey(info, namespace, name, this.options.keyPrefix)) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }

  private async check(name: string): Promise<void> {
    const svc = this.services.get(name);
    if (!svc) return;
    const ref = svc.spec?.service;
    if (!ref) {
      if (this.remotes.delete(name)) this.emit();
      await this.writeCondition(svc, serviceCondition(svc, {})!);
      return;
    }
    const service = await this.read('service', ref.namespace ?? '', ref.name ?? '');
    const endpoints = await this.read('endpoints', ref.namespace ?? '', ref.name ?? '');
    let condition = serviceCondition(svc, { service: service.obj, serviceError: service.error, endpoints: endpoints.obj, endpointsError: endpoints.error });
    let resources: Array<Record<string, unknown>> | undefined;
    let openApiV3Url: string | undefined;
    if (!condition) {
      const outcome = await this.discover(svc, service.obj, endpoints.obj);
      condition = outcome.condition;
      resources = outcome.resources;
      openApiV3Url = outcome.openApiV3Url;
    }
    const previous = this.remotes.get(name);
    const available = condition.status === 'True';
    const next = { apiService: svc, group: svc.spec?.group ?? '', version: svc.spec?.version ?? '', available, resources: resources ?? previous?.resources ?? [], openApiV3Url: resources ? openApiV3Url : previous?.openApiV3Url };
    this.remotes.set(name, next);
    if (!previous || previous.available !== available || JSON.stringify([next.resources, next.openApiV3Url]) !== JSON.stringify([previous.resources, previous.openApiV3Url])) this.emit();
    await this.writeCondition(svc, condition);
  }

  /** `GET /apis/<group>/<version>` on one backend endpoint: the condition and the resources it lists. */
  private async discover(svc: APIService, service: KubeObject | undefined, endpoints: KubeObject | undefined): Promise<{ condition: AvailableCondition; resources?: Array<Record<string, unknown>>; openApiV3Url?: string }> {
    const path = `/apis/${svc.spec?.group ?? ''}/${svc.spec?.version ?? ''}`;
    let origin: string;
    try {
      origin = resolveBackend(svc, service, endpoints, this.options.random ?? ((n) => Math.floor(Math.random() * n)));
    } catch (err) {
      const message = err instanceof ApiError ? err.message : (err as Error).message;
      return { condition: discoveryCondition({ url: `https://${svc.spec?.service?.name}.${svc.spec?.service?.namespace}.svc:${svc.spec?.service?.port ?? 443}${path}`, ok: false, error: message }) };
    }
    const url = `${origin}${path}`;
    const timeout = this.options.checkTimeoutMs ?? 5000;
    try {
      const res = await request(url, { dispatcher: this.agents.agentFor(svc), headers: CHECK_IDENTITY, headersTimeout: timeout, bodyTimeout: timeout, signal: AbortSignal.timeout(timeout) });
      const text = await res.body.text();
      if (res.statusCode < 200 || res.statusCode >= 300) return { condition: discoveryCondition({ url, ok: false, error: `bad status from ${url}: ${res.statusCode}` }) };
      const parsed = JSON.parse(text) as { resources?: unknown };
      const resources = Array.isArray(parsed.resources) ? (parsed.resources as Array<Record<string, unknown>>) : [];
      return { condition: discoveryCondition({ url, ok: true }), resources, openApiV3Url: await this.openApiV3Url(svc, origin, timeout) };
    } catch (err) {
      const cause = (err as { cause?: Error }).cause;
      return { condition: discoveryCondition({ url, ok: false, error: `Get "${url}": ${cause?.message ?? (err as Error).message}` }) };
    }
  }

  /** The backend's `/openapi/v3` entry for the group version (absent when it serves none; not an availability failure). */
  private async openApiV3Url(svc: APIService, origin: string, timeout: number): Promise<string | undefined> {
    try {
      const res = await request(`${origin}/openapi/v3`, { dispatcher: this.agents.agentFor(svc), headers: CHECK_IDENTITY, headersTimeout: timeout, bodyTimeout: timeout, signal: AbortSignal.timeout(timeout) });
      const text = await res.body.text();
      if (res.statusCode !== 200) return undefined;
      const url = (JSON.parse(text) as { paths?: Record<string, { serverRelativeURL?: unknown }> }).paths?.[`apis/${svc.spec?.group ?? ''}/${svc.spec?.version ?? ''}`]?.serverRelativeURL;
      return typeof url === 'string' && url.startsWith(`/openapi/v3/apis/${svc.spec?.group ?? ''}/${svc.spec?.version ?? ''}`) ? url : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeCondition(svc: APIService, condition: AvailableCondition): Promise<void> {
    const name = svc.metadata.name ?? '';
    const key = storageKey(apiServiceResource, undefined, name, this.options.keyPrefix);
    try {
      await this.options.storage.guaranteedUpdate(key, (current) => {
        if (!current) throw new StorageError('NotFound', key);
        const status = nextStatus(current as APIService, condition, this.options.now());
        return status ? ({ ...current, status } as KubeObject) : current;
      });
    } catch (err) {
      if (!(err instanceof StorageError && err.code === 'NotFound')) throw err;
    }
  }
}
