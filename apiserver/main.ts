/**
 * `k8ts apiserver [flags]`: parses and validates the flags (zod), opens the storage, builds the
 * built-in registry and serves until SIGINT/SIGTERM.
 */
import { isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { parseFlags, parseOrExit, shutdownSignal, UsageError } from '../pkg/util/process.ts';
import type { ResourceRegistry } from '../pkg/api/registry.ts';
import { z } from 'zod';
import { createBuiltinRegistry } from '../pkg/api/builtin.ts';
import { DEFAULT_ETCD_COMPACTION_INTERVAL_MS, Etcd3Storage, MemoryStorage, createEtcd3Storage, startEtcdCompactor } from '../pkg/storage/index.ts';
import { realClock } from '../pkg/workqueue/index.ts';
import type { Storage } from '../pkg/storage/types.ts';
import type { KeyTtl } from '../pkg/storage/key-ttl.ts';
import { parseDuration } from '../pkg/util/duration.ts';
import { assembleApiServer } from './assemble.ts';
import { openAudit } from './audit/flags.ts';
import { loadAdmissionPluginConfigs } from './admission/config/plugin-configs.ts';
import type { AggregationOptions } from './aggregator/index.ts';
import type { RequestHeaderSettings } from '../pkg/auth/request-header.ts';
import type { ApiServer } from './server.ts';
import { createWatchCachedStorage } from './handlers/watch-cache.ts';
import { parseAuthorizationModes, readTokenFile } from './auth/flags.ts';
import { readServiceAccountTokenConfig } from './auth/serviceaccount-keys.ts';
import { jwksUriFlagProblem } from './auth/openid-metadata.ts';
import { kubeletTransport, type KubeletTransport } from './handlers/kubelet-client.ts';
import { isApiServerWorker, leaveWorkers, runWorkers, workerShutdownSignal } from './workers.ts';

/** The command-line flags (node:util parseArgs spec). */
export const FLAG_SPEC = {
  'etcd-servers': { type: 'string' },
  'etcd-prefix': { type: 'string' },
  'scheduler-healthz-url': { type: 'string' },
  'controller-manager-healthz-url': { type: 'string' },
  storage: { type: 'string' },
  port: { type: 'string' },
  'secure-port': { type: 'string' },
  'bind-address': { type: 'string' },
  'advertise-address': { type: 'string' },
  'insecure-http': { type: 'boolean' },
  'service-cluster-ip-range': { type: 'string' },
  'service-node-port-range': { type: 'string' },
  'tls-cert-file': { type: 'string' },
  'tls-private-key-file': { type: 'string' },
  'client-ca-file': { type: 'string' },
  'token-auth-file': { type: 'string' },
  'authorization-mode': { type: 'string' },
  'service-account-signing-key-file': { type: 'string' },
  'service-account-key-file': { type: 'string', multiple: true },
  'service-account-issuer': { type: 'string', multiple: true },
  'service-account-jwks-uri': { type: 'string' },
  'api-audiences': { type: 'string', multiple: true },
  'service-account-max-token-expiration': { type: 'string' },
  'kubelet-certificate-authority': { type: 'string' },
  'kubelet-client-certificate': { type: 'string' },
  'kubelet-client-key': { type: 'string' },
  'kubelet-https': { type: 'string' },
  'log-level': { type: 'string' },
  'watch-cache': { type: 'string' },
  'max-requests-inflight': { type: 'string' },
  'max-mutating-requests-inflight': { type: 'string' },
  workers: { type: 'string' },
  'event-ttl': { type: 'string' },
  'etcd-compaction-interval': { type: 'string' },
  'proxy-client-cert-file': { type: 'string' },
  'proxy-client-key-file': { type: 'string' },
  'requestheader-client-ca-file': { type: 'string' },
  'requestheader-allowed-names': { type: 'string' },
  'requestheader-username-headers': { type: 'string' },
  'requestheader-group-headers': { type: 'string' },
  'requestheader-extra-headers-prefix': { type: 'string' },
  'admission-control-config-file': { type: 'string' },
  'audit-policy-file': { type: 'string' },
  'audit-log-path': { type: 'string' },
  'audit-log-maxage': { type: 'string' },
  'audit-log-maxbackup': { type: 'string' },
  'audit-log-maxsize': { type: 'string' },
  'audit-log-format': { type: 'string' },
} as const;

const portSchema = z.coerce.number().int().min(0).max(65535);

/** The validated configuration; cross-flag rules (loopback for --insecure-http, TLS files) live here. */
export const ConfigSchema = z
  .object({
    etcdServers: z.array(z.string().url()).default(['http://127.0.0.1:2379']),
    etcdPrefix: z.string().startsWith('/').default('/registry'),
    storage: z.enum(['etcd', 'memory']).default('etcd'),
    port: portSchema.default(6443),
    bindAddress: z.string().min(1).default('127.0.0.1'),
    advertiseAddress: z.string().refine((v) => isIP(v) !== 0, 'must be an IP address').optional(),
    insecureHttp: z.boolean().default(false),
    serviceClusterIpRange: z.string().default('10.96.0.0/12'),
    serviceNodePortRange: z.string().regex(/^\d+-\d+$/, 'must be <first>-<last>').default('30000-32767'),
    tlsCertFile: z.string().optional(),
    tlsPrivateKeyFile: z.string().optional(),
    clientCaFile: z.string().optional(),
    /** Static bearer tokens, upstream CSV `token,user,uid[,"g1,g2"]`. */
    tokenAuthFile: z.string().optional(),
    /** Comma-separated: `Node`, `RBAC` (the built-in policy) or `AlwaysAllow`. */
    authorizationMode: z.string().default('Node,RBAC'),
    /** PEM RSA or ECDSA private key service-account tokens are signed with (enables TokenRequest). */
    serviceAccountSigningKeyFile: z.string().min(1).optional(),
    /** PEM files of keys that verify service-account tokens (default: the signing key's public key). */
    serviceAccountKeyFiles: z.array(z.string().min(1)).default([]),
    /** Accepted token issuers; the first is put into issued tokens (default https://kubernetes.default.svc.cluster.local). */
    serviceAccountIssuers: z.array(z.string().min(1)).default([]),
    /** `jwks_uri` of the published OpenID configuration (default `https://<advertise address>:<port>/openid/v1/jwks`); an https URL. */
    serviceAccountJwksUri: z.string().optional(),
    /** The API server's audiences (default: the issuers). */
    apiAudiences: z.array(z.string().min(1)).default([]),
    /** The longest token TokenRequest issues, in seconds (upstream: between 1 hour and 2^32 seconds). */
    serviceAccountMaxTokenExpirationSeconds: z.number().int().min(3600, 'must be between 1 hour and 2^32 seconds').max(2 ** 32, 'must be between 1 hour and 2^32 seconds').optional(),
    /** Verify kubelet serving certificates with this CA (implies HTTPS to kubelets). */
    kubeletCertificateAuthority: z.string().optional(),
    /** Client certificate and key presented to kubelets (both or neither; imply HTTPS). */
    kubeletClientCertificate: z.string().optional(),
    kubeletClientKey: z.string().optional(),
    /** Scheme to kubelets; unset = HTTPS when a kubelet TLS flag is set, else HTTP. */
    kubeletHttps: z.enum(['true', 'false']).optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Serve reads and watches from per-resource caches (default: on for etcd, off for memory). */
    watchCache: z.enum(['true', 'false']).optional(),
    /** Read-only requests served at once before more get 429 (0: no limit). */
    maxRequestsInflight: z.coerce.number().int().min(0).default(400),
    /** Mutating requests served at once before more get 429 (0: no limit). */
    maxMutatingRequestsInflight: z.coerce.number().int().min(0).default(200),
    /** API server processes sharing the port (each a whole server with its own caches on the same etcd). */
    workers: z.coerce.number().int().min(1).max(64).default(1),
    /** How long events are kept after their last write (upstream `--event-ttl`, 1 h; under a second: forever). */
    eventTtlMs: z.number().min(0, 'must not be negative').default(3_600_000),
    /** How often etcd's history is compacted (upstream `--etcd-compaction-interval`, 5 min; 0: never). */
    etcdCompactionIntervalMs: z.number().min(0, 'must not be negative').default(DEFAULT_ETCD_COMPACTION_INTERVAL_MS),
    /** The client certificate presented to aggregated API servers (upstream `--proxy-client-cert-file` / `--proxy-client-key-file`). */
    proxyClientCertFile: z.string().optional(),
    proxyClientKeyFile: z.string().optional(),
    /** Front-proxy settings published for aggregated API servers (upstream `--requestheader-*`). */
    requestheaderClientCaFile: z.string().optional(),
    requestheaderAllowedNames: z.array(z.string()).default([]),
    requestheaderUsernameHeaders: z.array(z.string()).default(['X-Remote-User']),
    requestheaderGroupHeaders: z.array(z.string()).default(['X-Remote-Group']),
    requestheaderExtraHeadersPrefix: z.array(z.string()).default(['X-Remote-Extra-']),
    /** Where `kubectl get componentstatuses` probes the scheduler and controller-manager (k8ts serves their /healthz plainly). */
    schedulerHealthzUrl: z.string().url().default('http://127.0.0.1:10259/healthz'),
    controllerManagerHealthzUrl: z.string().url().default('http://127.0.0.1:10257/healthz'),
    /** Upstream's AdmissionConfiguration file (plugin configurations, e.g. PodSecurity defaults and exemptions); read at start-up. */
    admissionControlConfigFile: z.string().min(1).optional(),
    /** The audit policy (audit.k8s.io Policy, YAML or JSON); with `auditLogPath`, requests are audited. */
    auditPolicyFile: z.string().min(1).optional(),
    /** Where audit events go as JSON lines (`-`: stdout). */
    auditLogPath: z.string().min(1).optional(),
    /** Days rotated audit logs are kept (0: no limit). */
    auditLogMaxage: z.coerce.number().int().min(0).default(0),
    /** Rotated audit logs kept (0: all). */
    auditLogMaxbackup: z.coerce.number().int().min(0).default(0),
    /** Megabytes an audit log grows to before it is rotated (0: lumberjack's 100). */
    auditLogMaxsize: z.coerce.number().int().min(0).default(0),
    /** Audit log format: only `json` (upstream's `legacy` text format is not written). */
    auditLogFormat: z.enum(['json']).default('json'),
  })
  .superRefine((c, issue) => {
    if (c.insecureHttp && !isLoopback(c.bindAddress)) {
      issue.addIssue({ code: 'custom', path: ['insecureHttp'], message: `--insecure-http is only allowed on a loopback --bind-address (got ${c.bindAddress})` });
    }
    if (!c.insecureHttp && (!c.tlsCertFile || !c.tlsPrivateKeyFile)) {
      issue.addIssue({ code: 'custom', path: ['tlsCertFile'], message: 'serving needs --tls-cert-file and --tls-private-key-file, or --insecure-http on a loopback address' });
    }
    if (c.workers > 1 && c.storage !== 'etcd') {
      issue.addIssue({ code: 'custom', path: ['workers'], message: '--workers above 1 needs --storage etcd (each worker would have its own memory store)' });
    }
    if (Boolean(c.proxyClientCertFile) !== Boolean(c.proxyClientKeyFile)) {
      issue.addIssue({ code: 'custom', path: ['proxyClientCertFile'], message: '--proxy-client-cert-file and --proxy-client-key-file go together' });
    }
    const jwksUriProblem = c.serviceAccountJwksUri ? jwksUriFlagProblem(c.serviceAccountJwksUri) : undefined;
    if (jwksUriProblem) issue.addIssue({ code: 'custom', path: ['serviceAccountJwksUri'], message: jwksUriProblem });
    if (Boolean(c.kubeletClientCertificate) !== Boolean(c.kubeletClientKey)) {
      issue.addIssue({ code: 'custom', path: ['kubeletClientCertificate'], message: '--kubelet-client-certificate and --kubelet-client-key go together' });
    }
  });

/** The parsed configuration. */
export type ApiServerConfig = z.infer<typeof ConfigSchema>;

/** Whether an address is a loopback address. */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

export { UsageError };

/** A repeatable comma-list flag (`--api-audiences a,b --api-audiences c`) → its items. Pure. */
function commaList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? (value as string[]) : [String(value)];
  return values.flatMap((v) => v.split(',').map((s) => s.trim())).filter(Boolean);
}

/** Flags → validated config (throws UsageError with every problem listed). */
export function parseConfig(argv: string[]): ApiServerConfig | 'help' {
  return parseFlags(argv, FLAG_SPEC, ConfigSchema, (values) => ({
    etcdServers: typeof values['etcd-servers'] === 'string' ? values['etcd-servers'].split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    etcdPrefix: values['etcd-prefix'],
    storage: values.storage,
    port: values.port ?? values['secure-port'],
    bindAddress: values['bind-address'],
    advertiseAddress: values['advertise-address'],
    insecureHttp: values['insecure-http'],
    serviceClusterIpRange: values['service-cluster-ip-range'],
    serviceNodePortRange: values['service-node-port-range'],
    tlsCertFile: values['tls-cert-file'],
    tlsPrivateKeyFile: values['tls-private-key-file'],
    clientCaFile: values['client-ca-file'],
    tokenAuthFile: values['token-auth-file'],
    authorizationMode: values['authorization-mode'],
    serviceAccountSigningKeyFile: values['service-account-signing-key-file'],
    serviceAccountKeyFiles: values['service-account-key-file'],
    serviceAccountIssuers: values['service-account-issuer'],
    serviceAccountJwksUri: values['service-account-jwks-uri'],
    apiAudiences: commaList(values['api-audiences']),
    serviceAccountMaxTokenExpirationSeconds: typeof values['service-account-max-token-expiration'] === 'string' ? Math.floor(parseDuration(values['service-account-max-token-expiration']) / 1000) : undefined,
    kubeletCertificateAuthority: values['kubelet-certificate-authority'],
    kubeletClientCertificate: values['kubelet-client-certificate'],
    kubeletClientKey: values['kubelet-client-key'],
    kubeletHttps: values['kubelet-https'],
    logLevel: values['log-level'],
    watchCache: values['watch-cache'],
    eventTtlMs: typeof values['event-ttl'] === 'string' ? parseDuration(values['event-ttl']) : undefined,
    etcdCompactionIntervalMs: typeof values['etcd-compaction-interval'] === 'string' ? parseDuration(values['etcd-compaction-interval']) : undefined,
    maxRequestsInflight: values['max-requests-inflight'],
    maxMutatingRequestsInflight: values['max-mutating-requests-inflight'],
    workers: values.workers,
    proxyClientCertFile: values['proxy-client-cert-file'],
    proxyClientKeyFile: values['proxy-client-key-file'],
    requestheaderClientCaFile: values['requestheader-client-ca-file'],
    requestheaderAllowedNames: commaList(values['requestheader-allowed-names']),
    requestheaderUsernameHeaders: commaList(values['requestheader-username-headers']),
    requestheaderGroupHeaders: commaList(values['requestheader-group-headers']),
    requestheaderExtraHeadersPrefix: commaList(values['requestheader-extra-headers-prefix']),
    schedulerHealthzUrl: values['scheduler-healthz-url'],
    controllerManagerHealthzUrl: values['controller-manager-healthz-url'],
    admissionControlConfigFile: values['admission-control-config-file'],
    auditPolicyFile: values['audit-policy-file'],
    auditLogPath: values['audit-log-path'],
    auditLogMaxage: values['audit-log-maxage'],
    auditLogMaxbackup: values['audit-log-maxbackup'],
    auditLogMaxsize: values['audit-log-maxsize'],
    auditLogFormat: values['audit-log-format'],
  }));
}

const USAGE = `Usage: k8ts apiserver [flags]

  --storage etcd|memory            where objects live (default etcd)
  --etcd-servers URL[,URL]         etcd client URLs (default http://127.0.0.1:2379)
  --etcd-prefix PATH               key prefix (default /registry)
  --port N                         listen port (default 6443)
  --bind-address ADDR              listen address (default 127.0.0.1)
  --advertise-address IP           where the cluster reaches this server: the \`kubernetes\`
                                   Service's endpoints (default: --bind-address, loopback for a
                                   wildcard address)
  --insecure-http                  plain HTTP (loopback addresses only)
  --tls-cert-file F --tls-private-key-file F [--client-ca-file F]
  --proxy-client-cert-file F --proxy-client-key-file F  client cert presented to aggregated API servers
  --requestheader-client-ca-file F  front-proxy CA published in kube-system/extension-apiserver-authentication,
                                   with --requestheader-allowed-names, --requestheader-username-headers
                                   (X-Remote-User), --requestheader-group-headers (X-Remote-Group),
                                   --requestheader-extra-headers-prefix (X-Remote-Extra-)
  --token-auth-file F              static bearer tokens (CSV: token,user,uid,"group1,group2")
  --authorization-mode M[,M]       Node,RBAC (built-in policy, default) or AlwaysAllow
  --service-account-signing-key-file F  PEM RSA/ECDSA private key that signs service-account
                                   tokens (serves serviceaccounts/<name>/token)
  --service-account-key-file F     PEM keys verifying service-account tokens, repeatable
                                   (default: the signing key's public key)
  --service-account-issuer URL     token issuer, repeatable; the first is put into new tokens
                                   (default https://kubernetes.default.svc.cluster.local); an https
                                   issuer is published at /.well-known/openid-configuration
  --service-account-jwks-uri URL   jwks_uri of that document, an https URL (default
                                   https://<advertise address>:<port>/openid/v1/jwks)
  --api-audiences A[,A]            the API server's token audiences (default: the issuers)
  --service-account-max-token-expiration DURATION  longest token issued (1h … 2^32 s)
  --kubelet-certificate-authority F  verify kubelet serving certs (HTTPS to kubelets)
  --kubelet-client-certificate F --kubelet-client-key F  client cert for kubelets (HTTPS)
  --kubelet-https true|false       scheme to kubelets (default: https when a kubelet-* TLS flag is set)
  --service-cluster-ip-range CIDR  (default 10.96.0.0/12)
  --service-node-port-range A-B    (default 30000-32767)
  --log-level LEVEL                (default info)
  --watch-cache true|false         serve reads/watches from caches (default true with etcd)
  --max-requests-inflight N        read-only requests served at once before 429 (default 400, 0 = no limit)
  --max-mutating-requests-inflight N  mutating requests served at once before 429 (default 200, 0 = no limit)
  --event-ttl DURATION             how long events are kept after their last write (default 1h0m0s)
  --etcd-compaction-interval DURATION  how often etcd's history is compacted, keeping one interval
                                   of it (default 5m0s; 0 = never)
  --scheduler-healthz-url URL      what kubectl get componentstatuses probes for the scheduler
                                   (default http://127.0.0.1:10259/healthz)
  --controller-manager-healthz-url URL  … and for the controller-manager (default http://127.0.0.1:10257/healthz)
  --admission-control-config-file F  AdmissionConfiguration (apiserver.config.k8s.io/v1, YAML or
                                   JSON): plugin configurations, e.g. PodSecurity's defaults and
                                   exemptions; a bad file stops the server at start-up
  --audit-policy-file F            audit.k8s.io/v1 Policy (YAML or JSON); a bad policy stops start-up
  --audit-log-path F               audit events as JSON lines (- = stdout); needs --audit-policy-file
  --audit-log-maxsize MB --audit-log-maxbackup N --audit-log-maxage DAYS
                                   rotation (defaults 100 MB, keep all, no age limit)
  --audit-log-format json          the only format written
  --workers N                      API server processes sharing the port, each with its own caches
                                   on the same etcd (default 1; the in-flight limits are per process)
`;

function openStorage(config: ApiServerConfig, log: Logger): Storage {
  const keyTtls = eventKeyTtls(config);
  if (config.storage === 'memory') return new MemoryStorage({ keyTtls });
  const onMemberReachability = (member: string, reachable: boolean) =>
    reachable ? log.info({ member }, 'etcd member reachable again') : log.warn({ member }, 'etcd member unreachable; requests go to the other members');
  return createEtcd3Storage({ endpoints: config.etcdServers, onMemberReachability, keyTtls });
}

/** Events expire `--event-ttl` (whole seconds, as upstream) after their last write; none below a second. */
export function eventKeyTtls(config: Pick<ApiServerConfig, 'etcdPrefix' | 'eventTtlMs'>): KeyTtl[] {
  const seconds = Math.floor(config.eventTtlMs / 1000);
  return seconds > 0 ? [{ prefix: `${config.etcdPrefix}/events/`, seconds }] : [];
}

/** The address the `kubernetes` Service's endpoints point at: `--advertise-address`, else the bind address (loopback for a wildcard one). */
export function advertisedAddress(bindAddress: string, port: number, advertiseAddress?: string): { ip: string; port: number } {
  if (advertiseAddress) return { ip: advertiseAddress, port };
  const ip = bindAddress === '0.0.0.0' || bindAddress === '::' || bindAddress === 'localhost' ? '127.0.0.1' : bindAddress;
  return { ip, port };
}

/** Runs the API server until SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  const config = parseOrExit('apiserver', USAGE, () => parseConfig(argv));
  if (!config) return;
  const log = pino({ level: config.logLevel, base: { component: 'apiserver', ...(isApiServerWorker() ? { worker: process.pid } : {}) } });
  if (config.workers > 1 && !isApiServerWorker()) {
    process.exitCode = await runWorkers(config.workers, log);
    return;
  }
  const backend = openStorage(config, log);
  const registry = createBuiltinRegistry();
  const cached = (config.watchCache ?? (config.storage === 'etcd' ? 'true' : 'false')) === 'true';
  const storage = cached
    ? createWatchCachedStorage({ inner: backend, registry, keyPrefix: config.etcdPrefix, sharedStorage: isApiServerWorker(), onError: (err) => log.error({ err }, 'watch cache failed') })
    : backend;
  let server: ApiServer | undefined;
  let kubelet: KubeletTransport | undefined;
  let audit: Awaited<ReturnType<typeof openAudit>>;
  try {
    audit = await openAudit(config, log);
    kubelet = kubeletTransport({
      https: config.kubeletHttps === undefined ? undefined : config.kubeletHttps === 'true',
      certificateAuthority: config.kubeletCertificateAuthority,
      clientCertificate: config.kubeletClientCertificate,
      clientKey: config.kubeletClientKey,
    });
    server = await startServer(config, { storage, registry, log, kubelet, audit });
  } catch (err) {
    log.fatal({ err }, 'apiserver failed to start');
    process.stderr.write(`k8ts apiserver: ${(err as Error).message}\n`);
    process.exitCode = 1;
    await server?.close();
    await audit?.backend.close().catch(() => {});
    await kubelet?.close().catch(() => {});
    await storage.close().catch(() => {});
    leaveWorkers();
    return;
  }
  const stopped = isApiServerWorker() ? workerShutdownSignal(log) : shutdownSignal(log);
  if (backend instanceof Etcd3Storage) startEtcdCompactor({ client: backend, intervalMs: config.etcdCompactionIntervalMs, clock: realClock, signal: stopped, log });
  await new Promise((resolve) => stopped.addEventListener('abort', resolve, { once: true }));
  await server.close();
  await audit?.backend.close().catch((err: unknown) => log.error({ err }, 'audit log close failed'));
  await kubelet.close().catch(() => {});
  await storage.close();
  leaveWorkers();
}

/** The front proxy the server trusts (`--requestheader-*`, the CA file read here); undefined without `--requestheader-client-ca-file`. */
function requestHeaderSettings(config: ApiServerConfig): RequestHeaderSettings | undefined {
  if (!config.requestheaderClientCaFile) return undefined;
  return {
    clientCa: readFileSync(config.requestheaderClientCaFile, 'utf8'),
    allowedNames: config.requestheaderAllowedNames,
    usernameHeaders: config.requestheaderUsernameHeaders,
    groupHeaders: config.requestheaderGroupHeaders,
    extraHeaderPrefixes: config.requestheaderExtraHeadersPrefix,
  };
}

/** The aggregation layer's settings from the flags (files read once, here). */
function aggregationOptions(config: ApiServerConfig, clientCa: string | undefined, requestHeader: RequestHeaderSettings | undefined): AggregationOptions {
  return {
    ...(config.proxyClientCertFile && config.proxyClientKeyFile ? { proxyClient: { cert: readFileSync(config.proxyClientCertFile), key: readFileSync(config.proxyClientKeyFile) } } : {}),
    extensionAuthentication: { clientCa, ...(requestHeader ? { requestHeader } : {}) },
  };
}

async function startServer(config: ApiServerConfig, deps: { storage: Storage; registry: ResourceRegistry; log: Logger; kubelet: KubeletTransport; audit: Awaited<ReturnType<typeof openAudit>> }): Promise<ApiServer> {
  const { storage, registry, log, kubelet, audit } = deps;
  const admissionPluginConfigs = loadAdmissionPluginConfigs(config.admissionControlConfigFile, log);
  // The CA files are read once: the TLS listener, authentication and the published ConfigMap share them.
  const clientCa = config.clientCaFile ? readFileSync(config.clientCaFile, 'utf8') : undefined;
  const requestHeader = requestHeaderSettings(config);
  const server = await assembleApiServer({
    storage,
    registry,
    logger: log,
    keyPrefix: config.etcdPrefix,
    serviceClusterIpRange: config.serviceClusterIpRange,
    serviceNodePortRange: config.serviceNodePortRange,
    advertise: advertisedAddress(config.bindAddress, config.port, config.advertiseAddress),
    auth: {
      tokens: config.tokenAuthFile ? readTokenFile(config.tokenAuthFile) : undefined,
      authorizationModes: parseAuthorizationModes(config.authorizationMode),
      ...(requestHeader ? { frontProxy: { settings: requestHeader, clientCa } } : {}),
    },
    serviceAccountTokens: readServiceAccountTokenConfig({
      signingKeyFile: config.serviceAccountSigningKeyFile,
      keyFiles: config.serviceAccountKeyFiles,
      issuers: config.serviceAccountIssuers,
      apiAudiences: config.apiAudiences,
      maxTokenExpirationSeconds: config.serviceAccountMaxTokenExpirationSeconds,
    }),
    serviceAccountJwksUri: config.serviceAccountJwksUri,
    kubelet,
    maxInFlight: { readOnly: config.maxRequestsInflight, mutating: config.maxMutatingRequestsInflight },
    aggregation: aggregationOptions(config, clientCa, requestHeader),
    componentStatus: { schedulerUrl: config.schedulerHealthzUrl, controllerManagerUrl: config.controllerManagerHealthzUrl },
    admissionPluginConfigs,
    audit,
  });
  const tls = config.insecureHttp
    ? undefined
    : {
        cert: readFileSync(config.tlsCertFile as string),
        key: readFileSync(config.tlsPrivateKeyFile as string),
        // Client certificates of users and of the front proxy: the guard tells them apart.
        ...(clientCa !== undefined || requestHeader ? { ca: [...(clientCa !== undefined ? [clientCa] : []), ...(requestHeader ? [requestHeader.clientCa] : [])], requestCert: true, rejectUnauthorized: false } : {}),
      };
  try {
    const url = await server.listen({ host: config.bindAddress, port: config.port, tls });
    log.info({ url, storage: config.storage }, 'serving');
  } catch (err) {
    await server.close();
    throw err;
  }
  return server;
}
