/**
 * The API aggregation layer (kube-aggregator) as a server plugin: local APIServices kept for
 * every served group/version, availability of every APIService, and the proxy to aggregated
 * API servers (plain and upgrade requests); {@link createAggregation} also gives discovery the remote group versions.
 */
import type { ServerPlugin } from '../server.ts';
import type { RemoteDiscovery } from '../discovery/remote.ts';
import { rfc3339 } from '../strategies/time.ts';
import { LocalApiServiceRegistrar } from './autoregister.ts';
import type { ProxyClientCertificate } from './backend.ts';
import { Aggregator } from './controller.ts';
import { installAggregatorProxy } from './proxy.ts';
import { aggregatorUpgradeHandler } from './upgrade.ts';
import { extensionAuthenticationData, publishExtensionAuthentication, type RequestHeaderSettings } from './extension-authentication.ts';

export { Aggregator } from './controller.ts';
export type { ProxyClientCertificate } from './backend.ts';
export type { RequestHeaderSettings } from './extension-authentication.ts';

/** Settings of the aggregation layer (`--proxy-client-cert-file` / `--proxy-client-key-file`, check period). */
export interface AggregationOptions {
  proxyClient?: ProxyClientCertificate;
  /** Availability re-check period (default 30 s). */
  resyncMs?: number;
  /** Discovery check timeout (default 5 s). */
  checkTimeoutMs?: number;
  /**
   * Published in `kube-system/extension-apiserver-authentication` for aggregated servers:
   * `--client-ca-file` (PEM) and the `--requestheader-*` settings.
   */
  extensionAuthentication?: { clientCa?: string; requestHeader?: RequestHeaderSettings };
}

/** The aggregation layer of one server: its plugin and the discovery view of its remote group versions. */
export interface Aggregation {
  plugin: ServerPlugin;
  /** Available remote group versions, for discovery. */
  remotes(): RemoteDiscovery[];
  /** Set once the plugin ran (tests wait on it). */
  aggregator(): Aggregator | undefined;
  registrar(): LocalApiServiceRegistrar | undefined;
}

/** Builds the aggregation layer; `authenticated`: the server checks requests (else callers are the unsecured user). */
export function createAggregation(options: AggregationOptions & { authenticated: boolean }): Aggregation {
  let aggregator: Aggregator | undefined;
  let registrar: LocalApiServiceRegistrar | undefined;
  const plugin: ServerPlugin = async (app, ctx) => {
    const now = () => rfc3339(ctx.clock.now());
    const log = ctx.log.child({ component: 'aggregator' });
    registrar = new LocalApiServiceRegistrar({ storage: ctx.storage, registry: ctx.registry, keyPrefix: ctx.keyPrefix, log, now });
    aggregator = new Aggregator({ storage: ctx.storage, keyPrefix: ctx.keyPrefix, log, now, proxyClient: options.proxyClient, resyncMs: options.resyncMs, checkTimeoutMs: options.checkTimeoutMs, onDeleted: () => registrar?.trigger() });
    installAggregatorProxy(app, { storage: ctx.storage, keyPrefix: ctx.keyPrefix, aggregator, authenticated: options.authenticated });
    ctx.upgrades.add(aggregatorUpgradeHandler({ storage: ctx.storage, keyPrefix: ctx.keyPrefix, aggregator, log }));
    await publishExtensionAuthentication({ storage: ctx.storage, keyPrefix: ctx.keyPrefix, now: now(), data: extensionAuthenticationData(options.extensionAuthentication ?? {}), log });
    await registrar.start();
    await aggregator.start();
    const started = { registrar, aggregator };
    app.addHook('onClose', async () => {
      await started.registrar.close();
      await started.aggregator.close();
    });
  };
  return {
    plugin,
    remotes: () => (aggregator?.allRemotes() ?? []).filter((r) => r.available).map((r) => ({ group: r.group, version: r.version, resources: r.resources, ...(r.openApiV3Url ? { openApiV3Url: r.openApiV3Url } : {}) })),
    aggregator: () => aggregator,
    registrar: () => registrar,
  };
}
