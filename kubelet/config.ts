/**
 * `k8ts kubelet` flags → validated configuration (upstream flag names and defaults, plus
 * `--runtime cri|fake` and `--cni-conf-dir` of k8ts). The `--eviction-*` maps are parsed here
 * with upstream's flag errors; their thresholds, and the image GC thresholds and ages, are
 * checked by {@link checkConfig} with upstream's messages.
 */
import { z } from 'zod';
import { parseDuration } from '../pkg/util/duration.ts';
import { parseFlags } from '../pkg/util/process.ts';
import { KUBELET_AUTHORIZATION_MODES } from './server/auth.ts';
import { DEFAULT_CONTAINER_GC_POLICY, type ContainerGcPolicy } from './gc/container-gc.ts';
import { DEFAULT_IMAGE_GC_POLICY, validateImageGcPolicy, type ImageGcPolicy } from './gc/image-gc-policy.ts';
import { DEFAULT_TOKEN_WEBHOOK_CACHE_TTL_MS } from './server/webhook-token-authenticator.ts';
import { DEFAULT_EVICTION_HARD, DEFAULT_PRESSURE_TRANSITION_MS, parseFlagMap, parseThresholds, type Threshold } from './eviction/thresholds.ts';

export const FLAG_SPEC = {
  kubeconfig: { type: 'string' },
  'hostname-override': { type: 'string' },
  'node-name': { type: 'string' },
  'container-runtime': { type: 'string' },
  'hollow-nodes': { type: 'string' },
  'container-runtime-endpoint': { type: 'string' },
  runtime: { type: 'string' },
  'root-dir': { type: 'string' },
  'node-ip': { type: 'string' },
  'node-labels': { type: 'string' },
  'register-with-taints': { type: 'string' },
  'max-pods': { type: 'string' },
  'cluster-dns': { type: 'string' },
  'cluster-domain': { type: 'string' },
  'pod-cidr': { type: 'string' },
  'cni-conf-dir': { type: 'string' },
  'pod-manifest-path': { type: 'string' },
  'resolv-conf': { type: 'string' },
  'runtime-request-timeout': { type: 'string' },
  'node-status-update-frequency': { type: 'string' },
  'housekeeping-interval': { type: 'string' },
  address: { type: 'string' },
  port: { type: 'string' },
  'tls-cert-file': { type: 'string' },
  'tls-private-key-file': { type: 'string' },
  'client-ca-file': { type: 'string' },
  'anonymous-auth': { type: 'boolean' },
  'authentication-token-webhook': { type: 'boolean' },
  'authentication-token-webhook-cache-ttl': { type: 'string' },
  'authorization-mode': { type: 'string' },
  'healthz-bind-address': { type: 'string' },
  'healthz-port': { type: 'string' },
  'log-level': { type: 'string' },
  'eviction-hard': { type: 'string' },
  'eviction-soft': { type: 'string' },
  'eviction-soft-grace-period': { type: 'string' },
  'eviction-minimum-reclaim': { type: 'string' },
  'eviction-pressure-transition-period': { type: 'string' },
  'eviction-max-pod-grace-period': { type: 'string' },
  'minimum-container-ttl-duration': { type: 'string' },
  'maximum-dead-containers-per-container': { type: 'string' },
  'maximum-dead-containers': { type: 'string' },
  'image-gc-high-threshold': { type: 'string' },
  'image-gc-low-threshold': { type: 'string' },
  'image-minimum-gc-age': { type: 'string' },
  'image-maximum-gc-age': { type: 'string' },
} as const;

const TaintSchema = z.object({ key: z.string().min(1), value: z.string().optional(), effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']) });

export const ConfigSchema = z.object({
  kubeconfig: z.string().min(1),
  nodeName: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 subdomain'),
  runtime: z.enum(['cri', 'fake']).default('cri'),
  /** Hollow mode only: run this many nodes named `<node-name>-<i>` in this process. */
  hollowNodes: z.coerce.number().int().min(1).max(10_000).default(1),
  runtimeEndpoint: z.string().default('unix:///run/containerd/containerd.sock'),
  rootDir: z.string().default('/var/lib/kubelet'),
  nodeIP: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  taints: z.array(TaintSchema).default([]),
  maxPods: z.coerce.number().int().positive().default(110),
  clusterDns: z.array(z.string()).default([]),
  clusterDomain: z.string().default('cluster.local'),
  podCidr: z.string().optional(),
  cniConfDir: z.string().optional(),
  podManifestPath: z.string().optional(),
  resolvConf: z.string().default('/etc/resolv.conf'),
  runtimeRequestTimeoutMs: z.number().positive().default(120_000),
  statusIntervalMs: z.number().positive().default(10_000),
  /** How often container and node usage is sampled for /stats/summary and /metrics/resource (cadvisor's housekeeping). */
  housekeepingIntervalMs: z.number().positive().default(10_000),
  address: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(10250),
  /** Serve the kubelet API over HTTPS with this certificate and key (both or neither; neither = plain HTTP). */
  tlsCertFile: z.string().optional(),
  tlsPrivateKeyFile: z.string().optional(),
  /** Verify client certificates against this CA bundle (needs HTTPS). */
  clientCaFile: z.string().optional(),
  /** Requests without credentials are `system:anonymous` (upstream's flag default) or refused 401. */
  anonymousAuth: z.boolean().default(true),
  /** Authenticate bearer tokens by TokenReviews to the API server (upstream's flag default: off, tokens ignored). */
  authenticationTokenWebhook: z.boolean().default(false),
  /** How long a TokenReview answer is reused (upstream default 2m0s). */
  authenticationTokenWebhookCacheTtlMs: z.number().nonnegative().default(DEFAULT_TOKEN_WEBHOOK_CACHE_TTL_MS),
  /** AlwaysAllow (upstream's flag default) or Webhook: SubjectAccessReviews to the API server. */
  authorizationMode: z.enum(KUBELET_AUTHORIZATION_MODES).default('AlwaysAllow'),
  healthzBindAddress: z.string().default('127.0.0.1'),
  healthzPort: z.coerce.number().int().min(0).max(65535).default(10248),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Hard eviction thresholds, signal → `100Mi` / `10%` (default upstream's Linux set; a flag replaces it whole). */
  evictionHard: z.record(z.string(), z.string()).default({ ...DEFAULT_EVICTION_HARD }),
  evictionSoft: z.record(z.string(), z.string()).default({}),
  evictionSoftGracePeriod: z.record(z.string(), z.string()).default({}),
  evictionMinimumReclaim: z.record(z.string(), z.string()).default({}),
  /** How long a pressure condition stays True after its signal cleared (upstream default 5m). */
  evictionPressureTransitionPeriodMs: z.number().nonnegative().default(DEFAULT_PRESSURE_TRANSITION_MS),
  /** Grace period of soft evictions, seconds (upstream default 0). */
  evictionMaxPodGracePeriod: z.coerce.number().int().default(0),
  /**
   * Container GC (upstream's deprecated flags, same defaults): a dead container younger than
   * `--minimum-container-ttl-duration` (0) is kept; each (pod, container name) keeps its newest
   * `--maximum-dead-containers-per-container` (1, so `kubectl logs --previous` works; < 0 = all)
   * and the node at most `--maximum-dead-containers` (-1 = no limit). Runs every minute.
   */
  minimumContainerTtlMs: z.number().nonnegative().default(DEFAULT_CONTAINER_GC_POLICY.minAgeMs),
  maximumDeadContainersPerContainer: z.coerce.number().int().default(DEFAULT_CONTAINER_GC_POLICY.maxPerPodContainer),
  maximumDeadContainers: z.coerce.number().int().default(DEFAULT_CONTAINER_GC_POLICY.maxContainers),
  /**
   * Image GC, every 5 minutes: at or above `--image-gc-high-threshold` percent (85) of the image
   * filesystem used, unused images go, least recently used first, until usage is at
   * `--image-gc-low-threshold` (80); never one first seen less than `--image-minimum-gc-age` (2m)
   * ago, the sandbox image or a pinned one. `--image-maximum-gc-age` (0 = off) removes images
   * unused that long regardless of usage. A high threshold of 100 (and no maximum age) turns the
   * periodic image GC off, as kind's nodes and `k8ts up` do; node-level reclaim under disk
   * pressure still deletes unused images. {@link checkConfig} applies upstream's validation.
   */
  imageGcHighThresholdPercent: z.coerce.number().int().default(DEFAULT_IMAGE_GC_POLICY.highThresholdPercent),
  imageGcLowThresholdPercent: z.coerce.number().int().default(DEFAULT_IMAGE_GC_POLICY.lowThresholdPercent),
  imageMinimumGcAgeMs: z.number().default(DEFAULT_IMAGE_GC_POLICY.minAgeMs),
  imageMaximumGcAgeMs: z.number().default(DEFAULT_IMAGE_GC_POLICY.maxAgeMs),
});

export type KubeletConfig = z.infer<typeof ConfigSchema>;

/** Refines cross-flag rules (kept out of the schema so defaults stay simple). */
export function checkConfig(config: KubeletConfig): string | undefined {
  if (config.hollowNodes > 1 && config.runtime !== 'fake') return '--hollow-nodes needs --container-runtime fake';
  if (Boolean(config.tlsCertFile) !== Boolean(config.tlsPrivateKeyFile)) return '--tls-cert-file and --tls-private-key-file go together';
  if (config.clientCaFile && !config.tlsCertFile) return '--client-ca-file needs --tls-cert-file and --tls-private-key-file (client certificates come with HTTPS)';
  const gcErrors = validateImageGcPolicy(imageGcPolicy(config));
  if (gcErrors.length > 0) return gcErrors.length === 1 ? gcErrors[0] : `[${gcErrors.join(', ')}]`;
  try {
    evictionThresholds(config);
  } catch (err) {
    return `failed to parse eviction thresholds: ${(err as Error).message}`;
  }
  return undefined;
}

/** The configured eviction thresholds (upstream `ParseThresholdConfig`; throws its error). */
export function evictionThresholds(config: KubeletConfig): Threshold[] {
  return parseThresholds({ evictionHard: config.evictionHard, evictionSoft: config.evictionSoft, evictionSoftGracePeriod: config.evictionSoftGracePeriod, evictionMinimumReclaim: config.evictionMinimumReclaim });
}

/** The configured container GC policy (upstream `ContainerGCPolicy`). */
export function containerGcPolicy(config: KubeletConfig): ContainerGcPolicy {
  return { minAgeMs: config.minimumContainerTtlMs, maxPerPodContainer: config.maximumDeadContainersPerContainer, maxContainers: config.maximumDeadContainers };
}

/** The configured image GC policy (upstream `ImageGCPolicy`). */
export function imageGcPolicy(config: KubeletConfig): ImageGcPolicy {
  return { highThresholdPercent: config.imageGcHighThresholdPercent, lowThresholdPercent: config.imageGcLowThresholdPercent, minAgeMs: config.imageMinimumGcAgeMs, maxAgeMs: config.imageMaximumGcAgeMs };
}

/** A `--eviction-*` map flag with upstream's `invalid argument` error. */
function flagMap(flag: string, text: string | undefined, separator: '<' | '='): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  try {
    return parseFlagMap(text, separator);
  } catch (err) {
    throw new Error(`invalid argument "${text}" for "--${flag}" flag: ${(err as Error).message}`);
  }
}

/** A duration flag with pflag's `invalid argument` error (`time: invalid duration "x"`). */
function durationFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDuration(text);
  } catch (err) {
    throw new Error(`invalid argument "${text}" for "--${flag}" flag: ${(err as Error).message}`);
  }
}

/** `k=v,k2=v2` → record (throws on a malformed entry). */
function parseLabels(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const part of text.split(',').filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) throw new Error(`--node-labels: invalid label "${part}" (want key=value)`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** `key=value:Effect,key:Effect` → taints. */
function parseTaints(text: string | undefined): Array<{ key: string; value?: string; effect: string }> | undefined {
  if (text === undefined) return undefined;
  return text.split(',').filter(Boolean).map((part) => {
    const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(part);
    if (!m) throw new Error(`--register-with-taints: invalid taint spec "${part}" (want key=value:Effect)`);
    return { key: m[1], ...(m[2] !== undefined ? { value: m[2] } : {}), effect: m[3] };
  });
}

/** Flags → config; throws UsageError listing every problem. */
export function parseConfig(argv: string[], hostname: string): KubeletConfig | 'help' {
  return parseFlags(argv, FLAG_SPEC, ConfigSchema, (v) => {
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    const duration = (k: string) => durationFlag(k, str(k));
    return {
      kubeconfig: str('kubeconfig'),
      nodeName: (str('node-name') ?? str('hostname-override') ?? hostname).toLowerCase(),
      // `--container-runtime fake|remote` is the (and old upstream's) spelling of `--runtime`.
      runtime: str('runtime') ?? ({ fake: 'fake', remote: 'cri' } as Record<string, string>)[str('container-runtime') ?? ''] ?? str('container-runtime'),
      hollowNodes: str('hollow-nodes'),
      runtimeEndpoint: str('container-runtime-endpoint'),
      rootDir: str('root-dir'),
      nodeIP: str('node-ip'),
      labels: parseLabels(str('node-labels')),
      taints: parseTaints(str('register-with-taints')),
      maxPods: str('max-pods'),
      clusterDns: str('cluster-dns')?.split(',').map((s) => s.trim()).filter(Boolean),
      clusterDomain: str('cluster-domain'),
      podCidr: str('pod-cidr'),
      cniConfDir: str('cni-conf-dir'),
      podManifestPath: str('pod-manifest-path'),
      resolvConf: str('resolv-conf'),
      runtimeRequestTimeoutMs: duration('runtime-request-timeout'),
      statusIntervalMs: duration('node-status-update-frequency'),
      housekeepingIntervalMs: duration('housekeeping-interval'),
      address: str('address'),
      port: str('port'),
      tlsCertFile: str('tls-cert-file'),
      tlsPrivateKeyFile: str('tls-private-key-file'),
      clientCaFile: str('client-ca-file'),
      anonymousAuth: v['anonymous-auth'],
      authenticationTokenWebhook: v['authentication-token-webhook'],
      authenticationTokenWebhookCacheTtlMs: duration('authentication-token-webhook-cache-ttl'),
      authorizationMode: str('authorization-mode'),
      healthzBindAddress: str('healthz-bind-address'),
      healthzPort: str('healthz-port'),
      logLevel: str('log-level'),
      evictionHard: flagMap('eviction-hard', str('eviction-hard'), '<'),
      evictionSoft: flagMap('eviction-soft', str('eviction-soft'), '<'),
      evictionSoftGracePeriod: flagMap('eviction-soft-grace-period', str('eviction-soft-grace-period'), '='),
      evictionMinimumReclaim: flagMap('eviction-minimum-reclaim', str('eviction-minimum-reclaim'), '='),
      evictionPressureTransitionPeriodMs: duration('eviction-pressure-transition-period'),
      evictionMaxPodGracePeriod: str('eviction-max-pod-grace-period'),
      minimumContainerTtlMs: duration('minimum-container-ttl-duration'),
      maximumDeadContainersPerContainer: str('maximum-dead-containers-per-container'),
      maximumDeadContainers: str('maximum-dead-containers'),
      imageGcHighThresholdPercent: str('image-gc-high-threshold'),
      imageGcLowThresholdPercent: str('image-gc-low-threshold'),
      imageMinimumGcAgeMs: duration('image-minimum-gc-age'),
      imageMaximumGcAgeMs: duration('image-maximum-gc-age'),
    };
  });
}
