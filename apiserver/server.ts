/**
 * `createApiServer`: the fastify 5 app serving every resource of a registry over a Storage —
 * resource routes, /version, health endpoints, /metrics — with Kubernetes `Status` bodies for
 * every failure. `app.inject()` works without a socket; `listen()` serves HTTP or HTTPS.
 */
import { componentProbes, type ComponentStatusOptions } from './componentstatus/handler.ts';
import { DEFAULT_MAX_IN_FLIGHT, installMaxInFlightLimit, type MaxInFlightLimits } from './filters/max-in-flight.ts';
import { applyPatch } from './patch/index.ts';
import type { Duplex } from 'node:stream';
import { GO_COMPATIBLE_TLS_SERVER } from './go-tls-compat.ts';
import { handlePodConnectUpgrade } from './handlers/pod-connect.ts';
import { UpgradeExchange } from './handlers/upgrade-exchange.ts';
import { UpgradeRoutes } from './handlers/upgrade-routes.ts';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { ResourceRegistry } from '../pkg/api/registry.ts';
import { ApiError, badRequest, internalError, requestEntityTooLarge } from '../pkg/errors/index.ts';
import type { Storage } from '../pkg/storage/types.ts';
import { AdmissionChain, instantiatePlugins, type AdmissionPluginSource } from './admission/chain.ts';
import { defaultAdmissionPlugins } from './admission/defaults.ts';
import type { AdmissionContext } from './admission/types.ts';
import type { ServerContext, WatchSettings } from './handlers/context.ts';
import type { KubeletTransport } from './handlers/kubelet-client.ts';
import { DEFAULT_KEY_PREFIX, storageKey } from './handlers/objects.ts';
import type { PatchEngine } from './handlers/patch-engine.ts';
import { handleResourceRequest, pathNotFound } from './handlers/resource-route.ts';
import { printerTableConverter, type TableConverter } from './handlers/table.ts';
import { ApiServerMetrics } from './metrics.ts';
import { MAX_REQUEST_BODY_BYTES } from './request/body.ts';
import { systemClock, type Clock } from './strategies/time.ts';
import { registerSystemRoutes } from './handlers/system-routes.ts';
import { createRbacEscalationPlugin } from './auth/rbac/escalation.ts';
import { storageRbacObjects } from './auth/rbac/storage-objects.ts';
import { guardUpgrade, installRequestGuard, serverAuthorizer, serverGuard, serverTokenAuthentication, serverTokenReviewer, type ServerAuthOptions } from './auth/install.ts';
import type { ServiceAccountTokenConfig } from './auth/serviceaccount-keys.ts';
import { nodeRestrictionPlugin } from './auth/node-restriction.ts';
import { createMetricsApi, type MetricsApiOptions } from './metrics-api/index.ts';
import { installAuditCompletion, installAuditStart } from './audit/install.ts';
import { AUDIT_ID_HEADER, auditIdFor } from './audit/audit-id.ts';
import type { AuditEnvironment } from './audit/request-audit.ts';
import { UNSECURED_USER } from '../pkg/auth/user.ts';
import type { AuditBackend } from './audit/log-backend.ts';
import type { AuditPolicy } from './audit/policy.ts';

export { storageKey } from './handlers/objects.ts';

/** A fastify plugin the server registers after its own routes (discovery, OpenAPI). */
export type ServerPlugin = (app: FastifyInstance, ctx: ServerContext) => void | Promise<void>;

/** What `createApiServer` is built from; only `storage` and `registry` are required. */
export interface ApiServerOptions {
  storage: Storage;
  registry: ResourceRegistry;
  /**
   * Admission plugins (or factories given the storage and key scheme), run in order. Default:
   * `defaultAdmissionPlugins` (NamespaceLifecycle, Service ClusterIP/NodePort allocation with
   * the default ranges). Pass `[]` for none.
   */
  admission?: AdmissionPluginSource[];
  logger?: Logger;
  /** Storage key prefix (default `/registry`). */
  keyPrefix?: string;
  clock?: Clock;
  /** Table conversion (default: upstream's generic Name / Created At). */
  toTable?: TableConverter;
  /** Non-apply patch engine (default: built-in merge/JSON patch). */
  applyPatch?: PatchEngine;
  watch?: Partial<WatchSettings>;
  /** Extra route plugins (discovery, OpenAPI). */
  plugins?: ServerPlugin[];
  /**
   * Authenticate and authorize requests arriving over TLS (client certificates, bearer tokens,
   * the built-in Node/RBAC policy). Plain-HTTP and injected requests stay fully privileged.
   */
  auth?: ServerAuthOptions;
  /**
   * Service-account tokens: verified (requests over TLS, TokenReview) and, with a signing key,
   * issued (`serviceaccounts/<name>/token`). Absent: none.
   */
  serviceAccountTokens?: ServiceAccountTokenConfig;
  /** How kubelets are reached (default plain HTTP); the caller owns and closes it. */
  kubelet?: KubeletTransport;
  /** Requests served at once before more get 429 (default upstream's 400 read-only / 200 mutating; 0 = no limit). */
  maxInFlight?: MaxInFlightLimits;
  /** metrics.k8s.io from the kubelets' summaries (through `kubelet`): cache age, timeout, window. */
  metricsApi?: MetricsApiOptions;
  /** Where `componentstatuses` probes the scheduler and controller-manager (etcd is probed through `storage`). */
  componentStatus?: ComponentStatusOptions;
  /**
   * Auditing (`--audit-policy-file`, `--audit-log-path`): requests the policy selects are written
   * to the backend. The caller owns the backend (flush and close it after `close()`). Absent: no
   * audit events (every response still carries its `Audit-Id`).
   */
  audit?: { policy: AuditPolicy; backend: AuditBackend };
}

/** Where and how `ApiServer.listen` serves (plain HTTP unless `tls` is given). */
export interface ListenOptions {
  host: string;
  port: number;
  /** Serve HTTPS with these options (cert, key, ca, requestCert …). */
  tls?: HttpsServerOptions;
}

/** A running (or ready-to-run) API server. */
export interface ApiServer {
  app: FastifyInstance;
  context: ServerContext;
  metrics: ApiServerMetrics;
  /** Starts serving; resolves to the bound URL. */
  listen(options: ListenOptions): Promise<string>;
  /** Stops accepting, ends open watches, closes the app (not the storage). */
  close(): Promise<void>;
}

/** Upstream's default watch timeout: uniformly random in [30 min, 60 min). */
export function randomWatchTimeoutSeconds(): number {
  return Math.floor(1800 * (1 + Math.random()));
}

function toApiError(err: FastifyError | Error): { apiError: ApiError; unexpected: boolean } {
  if (err instanceof ApiError) return { apiError: err, unexpected: false };
  const fe = err as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) return { apiError: requestEntityTooLarge(), unexpected: false };
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { apiError: new ApiError({ code: 415, reason: 'UnsupportedMediaType', message: fe.message }), unexpected: false };
  }
  if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) return { apiError: badRequest(fe.message), unexpected: false };
  return { apiError: internalError(err), unexpected: true };
}

/**
 * Accept queue length asked of the kernel, which caps it at `net.core.somaxconn` — as Go's
 * listener (and so the upstream API server) does. Node's default of 511 overflows when a thousand
 * kubelets connect at once (their connects then time out and retry).
 */
const LISTEN_BACKLOG = 65_535;

/**
 * How long an idle client connection stays open (upstream's IdleTimeout, 90 s). Node's default of
 * 5 s closed a kubelet's connection between two heartbeats 10 s apart, so every heartbeat paid a
 * new connection (and with TLS a handshake); clients follow the `Keep-Alive: timeout` this sends.
 */
const IDLE_CONNECTION_TIMEOUT_MS = 90_000;

/**
 * Builds the server (routes registered, plugins instantiated) without listening: `app.inject()`
 * works at once. Storage is not closed by `close()`; the caller owns it.
 */
export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  // Without authentication every request is allowed (the guard is not installed); reviews and CEL `authorizer` checks ask the same authorizer.
  const authorizer = serverAuthorizer(options.auth ?? { authorizationModes: ['AlwaysAllow'] }, options.storage, keyPrefix);
  const admissionContext: AdmissionContext = {
    storage: options.storage,
    keyFor: (info, namespace, name) => storageKey(info, namespace, name, keyPrefix),
    registry: options.registry,
    authorizer,
  };
  const plugins = instantiatePlugins(options.admission ?? [(ctx) => defaultAdmissionPlugins(ctx, { logger })], admissionContext);
  if (options.auth) plugins.unshift(nodeRestrictionPlugin(admissionContext));
  if (options.auth) plugins.push(createRbacEscalationPlugin(authorizer, storageRbacObjects(options.storage, keyPrefix)));
  const authentication = serverTokenAuthentication(options.auth, options.serviceAccountTokens, options.storage, keyPrefix);
  const guard = options.auth ? serverGuard(authentication, authorizer) : undefined;
  const ctx: ServerContext = {
    storage: options.storage,
    registry: options.registry,
    admission: new AdmissionChain(plugins, (err, plugin) => logger.error({ err, plugin }, 'admission callback failed')),
    keyPrefix,
    clock: options.clock ?? systemClock,
    log: logger,
    toTable: options.toTable ?? printerTableConverter,
    applyPatch: options.applyPatch ?? applyPatch,
    watch: {
      bookmarkIntervalMs: options.watch?.bookmarkIntervalMs ?? 60_000,
      defaultTimeoutSeconds: options.watch?.defaultTimeoutSeconds ?? randomWatchTimeoutSeconds,
    },
    kubelet: options.kubelet,
    authorizer,
    serviceAccountTokens: options.serviceAccountTokens,
    reviewToken: serverTokenReviewer(authentication),
    metricsApi: createMetricsApi({ ...options.metricsApi, transport: options.kubelet }),
    componentProbes: componentProbes(options.storage, options.componentStatus),
    upgrades: new UpgradeRoutes(),
  };
  ctx.upgrades.add((exchange, head) => handlePodConnectUpgrade(ctx, exchange, head));
  const metrics = new ApiServerMetrics();
  const auditEnv: AuditEnvironment | undefined = options.audit && { ...options.audit, now: () => performance.timeOrigin + performance.now() };
  /**
   * exec/attach/portforward (and upgrades to aggregated API servers) arrive as HTTP upgrades, which
   * Fastify does not route: authenticated and authorized here, then handed to `ctx.upgrades`.
   * Idle connections stay open {@link IDLE_CONNECTION_TIMEOUT_MS}.
   */
  const withUpgrades = <S extends Server | ReturnType<typeof createHttpServer>>(server: S): S => {
    server.keepAliveTimeout = IDLE_CONNECTION_TIMEOUT_MS;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const exchange = new UpgradeExchange({ req, socket, audit: auditEnv, log: logger });
      const authorizedUpgrade = async () => {
        const user = guard ? await guardUpgrade(guard, exchange) : UNSECURED_USER;
        // A refused upgrade has been answered (401/403): it counts as handled.
        if (!user) return true;
        // Leveled now if no guard saw it (as installAuditCompletion does for routed requests).
        exchange.audit?.begin(UNSECURED_USER);
        return ctx.upgrades.serve(exchange, head, user);
      };
      authorizedUpgrade()
        .then((handled) => {
          if (!handled) exchange.fail(pathNotFound());
        })
        .catch((err) => {
          logger.error({ err, url: req.url, auditID: exchange.auditID }, 'upgrade failed');
          exchange.panicked(err);
        });
    });
    return server;
  };
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const app = Fastify({
    loggerInstance: logger,
    // The request id is the audit ID (upstream's WithAuditInit: on every request, policy or not), logged as `auditID`.
    genReqId: (req) => auditIdFor(req.headers['audit-id']),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'auditID' }),
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    forceCloseConnections: true,
    // Malformed URLs and similar framework-level failures still answer with a Status.
    frameworkErrors: (err, request, reply) => {
      const status = badRequest(err.message).toStatus();
      // Before any hook: the Audit-Id is answered here.
      void (reply as unknown as import('fastify').FastifyReply).code(400).header('content-type', 'application/json').header(AUDIT_ID_HEADER, request.id).send(Buffer.from(JSON.stringify(status)));
    },
    serverFactory: (h) => {
      handler = h;
      return withUpgrades(createHttpServer(h));
    },
  }) as unknown as FastifyInstance;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_REQUEST_BODY_BYTES }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { apiError, unexpected } = toApiError(err);
    if (unexpected) {
      request.log.error({ err, method: request.method, url: request.url }, 'request failed');
      // A bug, where upstream's handler would panic: audited as the Panic stage, not ResponseComplete.
      request.k8sAudit?.panicked({ error: err, requestContentType: request.headers['content-type'], requestBody: request.body });
    }
    if (reply.sent || reply.raw.headersSent) return;
    void reply.code(apiError.code).header('content-type', 'application/json').send(Buffer.from(JSON.stringify(apiError.toStatus())));
  });
  app.setNotFoundHandler((_request, reply) => {
    const status = pathNotFound().toStatus();
    void reply.code(404).header('content-type', 'application/json').send(Buffer.from(JSON.stringify(status)));
  });
  // A callback hook (no promise per request); the debug line is only built when debug is on.
  app.addHook('onResponse', (request, reply, done) => {
    const labels = request.k8sLabels ?? { verb: request.method, group: '', version: '', resource: '', subresource: '', scope: '' };
    // Spelled out, not `{ ...labels, component, code }`: Node 20's V8 adds keys to a spread copy on a slow path (≈ 1.5 µs per key).
    const { verb, group, version, resource, subresource, scope } = labels;
    metrics.observe({ verb, group, version, resource, subresource, scope, component: 'apiserver', code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (logger.isLevelEnabled?.('debug') !== false) {
      request.log.debug({ method: request.method, url: request.url, code: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request done');
    }
    done();
  });

  installAuditStart(app, auditEnv);
  if (guard) installRequestGuard(app, guard);
  if (options.audit) installAuditCompletion(app);
  installMaxInFlightLimit(app, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, (kind, count) => metrics.setInflight(kind, count));
  registerSystemRoutes(app, { storage: options.storage, metrics });
  app.all('/api/*', (request, reply) => handleResourceRequest(ctx, request, reply));
  app.all('/apis/*', (request, reply) => handleResourceRequest(ctx, request, reply));
  for (const plugin of options.plugins ?? []) await plugin(app, ctx);

  let tlsServer: Server | undefined;
  return {
    app,
    context: ctx,
    metrics,
    async listen({ host, port, tls }) {
      if (!tls) return app.listen({ host, port, backlog: LISTEN_BACKLOG });
      await app.ready();
      const server = withUpgrades(createHttpsServer({ ...GO_COMPATIBLE_TLS_SERVER, ...tls }, handler));
      tlsServer = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, LISTEN_BACKLOG, () => resolve());
      });
      const addr = server.address() as AddressInfo;
      return `https://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
    },
    async close() {
      if (tlsServer) {
        const server = tlsServer;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await app.close();
    },
  };
}
