/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1): zod schema, upstream defaults
 * (default plugin set and weights) and the merge of a profile's plugins with the defaults.
 */
import { z } from 'zod';
import { EXTENSION_POINTS, type ExtensionPoint } from './interfaces.ts';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

const PluginRefSchema = z.object({ name: z.string().min(1), weight: z.number().int().min(0).max(100).optional() }).strict();
export type PluginRef = z.infer<typeof PluginRefSchema>;

const PluginSetSchema = z
  .object({ enabled: z.array(PluginRefSchema).optional(), disabled: z.array(PluginRefSchema).optional() })
  .strict();
export type PluginSet = z.infer<typeof PluginSetSchema>;

const PluginsSchema = z.object(Object.fromEntries([...EXTENSION_POINTS, 'multiPoint'].map((ep) => [ep, PluginSetSchema.optional()]))).strict();
export type Plugins = Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;

const PercentageSchema = z.number().int().min(0).max(100);

const ProfileSchema = z
  .object({
    schedulerName: z.string().min(1).optional(),
    percentageOfNodesToScore: PercentageSchema.optional(),
    plugins: PluginsSchema.optional(),
    pluginConfig: z.array(z.object({ name: z.string().min(1), args: z.unknown().optional() }).strict()).optional(),
  })
  .strict();

const LeaderElectionSchema = z
  .object({
    leaderElect: z.boolean().optional(),
    leaseDuration: z.string().optional(),
    renewDeadline: z.string().optional(),
    retryPeriod: z.string().optional(),
    resourceLock: z.string().optional(),
    resourceName: z.string().optional(),
    resourceNamespace: z.string().optional(),
  })
  .strict();

/** The file format; unknown fields are rejected like upstream strict decoding. */
export const KubeSchedulerConfigurationSchema = z
  .object({
    apiVersion: z.literal('kubescheduler.config.k8s.io/v1'),
    kind: z.literal('KubeSchedulerConfiguration'),
    parallelism: z.number().int().positive().optional(),
    leaderElection: LeaderElectionSchema.optional(),
    clientConnection: z
      .object({ kubeconfig: z.string().optional(), qps: z.number().optional(), burst: z.number().int().optional(), contentType: z.string().optional(), acceptContentTypes: z.string().optional() })
      .strict()
      .optional(),
    percentageOfNodesToScore: PercentageSchema.optional(),
    podInitialBackoffSeconds: z.number().int().positive().optional(),
    podMaxBackoffSeconds: z.number().int().positive().optional(),
    profiles: z.array(ProfileSchema).optional(),
    extenders: z.array(z.unknown()).max(0, 'extenders are not supported').optional(),
    delayCacheUntilActive: z.boolean().optional(),
    enableProfiling: z.boolean().optional(),
    enableContentionProfiling: z.boolean().optional(),
    healthzBindAddress: z.string().optional(),
    metricsBindAddress: z.string().optional(),
  })
  .strict();
export type KubeSchedulerConfiguration = z.infer<typeof KubeSchedulerConfigurationSchema>;

/** Upstream v1 default plugins (MultiPoint), in upstream order, with score weights. */
export const DEFAULT_MULTI_POINT: readonly PluginRef[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeRestrictions' },
  { name: 'NodeVolumeLimits' },
  { name: 'VolumeBinding' },
  { name: 'VolumeZone' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

/** A profile after defaulting and merging: what the framework is built from. */
export interface ResolvedProfile {
  schedulerName: string;
  /** 0 = adaptive. */
  percentageOfNodesToScore: number;
  /** Merged plugin sets per extension point (plus multiPoint). */
  plugins: Record<ExtensionPoint | 'multiPoint', { enabled: PluginRef[]; disabled: PluginRef[] }>;
  /** Plugin name → args. */
  pluginConfig: ReadonlyMap<string, unknown>;
}

/** The whole configuration after defaulting. */
export interface ResolvedConfiguration {
  parallelism: number;
  percentageOfNodesToScore: number;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
  leaderElection: { leaderElect: boolean; leaseDuration: string; renewDeadline: string; retryPeriod: string; resourceName: string; resourceNamespace: string };
  clientConnection: { kubeconfig?: string; qps: number; burst: number };
  profiles: ResolvedProfile[];
}

/**
 * Upstream mergePluginSet: defaults minus disabled (`*` disables all), a default explicitly
 * re-enabled by the user is replaced in place, other user plugins are appended.
 */
export function mergePluginSet(defaults: PluginSet, custom: PluginSet | undefined): { enabled: PluginRef[]; disabled: PluginRef[] } {
  const disabled = [...(custom?.disabled ?? []), ...(defaults.disabled ?? [])].map((p) => ({ name: p.name }));
  const disabledNames = new Set(disabled.map((p) => p.name));
  const customEnabled = custom?.enabled ?? [];
  const customIndex = new Map(customEnabled.map((p, i) => [p.name, i] as const));
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabledNames.has('*')) {
    for (const def of defaults.enabled ?? []) {
      if (disabledNames.has(def.name)) continue;
      const i = customIndex.get(def.name);
      if (i !== undefined) {
        replaced.add(i);
        enabled.push(customEnabled[i]!);
      } else enabled.push(def);
    }
  }
  customEnabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push(p);
  });
  return { enabled, disabled };
}

function resolveProfile(p: z.infer<typeof ProfileSchema>, topPercentage: number): ResolvedProfile {
  const plugins = {} as ResolvedProfile['plugins'];
  plugins.multiPoint = mergePluginSet({ enabled: [...DEFAULT_MULTI_POINT] }, p.plugins?.multiPoint);
  for (const ep of EXTENSION_POINTS) plugins[ep] = mergePluginSet({}, p.plugins?.[ep]);
  const pluginConfig = new Map<string, unknown>();
  for (const pc of p.pluginConfig ?? []) {
    if (pluginConfig.has(pc.name)) throw new Error(`profiles: pluginConfig: Duplicate value: "${pc.name}"`);
    pluginConfig.set(pc.name, pc.args);
  }
  return {
    schedulerName: p.schedulerName ?? DEFAULT_SCHEDULER_NAME,
    percentageOfNodesToScore: p.percentageOfNodesToScore ?? topPercentage,
    plugins,
    pluginConfig,
  };
}

/**
 * Parses and defaults a configuration object (already decoded from YAML/JSON). Throws an
 * Error whose message lists the invalid fields. Scheduler names must be unique.
 */
export function resolveConfiguration(raw: unknown): ResolvedConfiguration {
  const parsed = KubeSchedulerConfigurationSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  const c = parsed.data;
  const top = c.percentageOfNodesToScore ?? 0;
  const profiles = (c.profiles?.length ? c.profiles : [{}]).map((p) => resolveProfile(p, top));
  const seen = new Set<string>();
  for (const p of profiles) {
    if (seen.has(p.schedulerName)) throw new Error(`profiles[].schedulerName: Duplicate value: "${p.schedulerName}"`);
    seen.add(p.schedulerName);
  }
  const le = c.leaderElection ?? {};
  return {
    parallelism: c.parallelism ?? 16,
    percentageOfNodesToScore: top,
    podInitialBackoffMs: (c.podInitialBackoffSeconds ?? 1) * 1000,
    podMaxBackoffMs: (c.podMaxBackoffSeconds ?? 10) * 1000,
    leaderElection: {
      leaderElect: le.leaderElect ?? true,
      leaseDuration: le.leaseDuration ?? '15s',
      renewDeadline: le.renewDeadline ?? '10s',
      retryPeriod: le.retryPeriod ?? '2s',
      resourceName: le.resourceName ?? 'kube-scheduler',
      resourceNamespace: le.resourceNamespace ?? 'kube-system',
    },
    clientConnection: { kubeconfig: c.clientConnection?.kubeconfig, qps: c.clientConnection?.qps ?? 50, burst: c.clientConnection?.burst ?? 100 },
    profiles,
  };
}

/** The default configuration (one `default-scheduler` profile). */
export function defaultConfiguration(): ResolvedConfiguration {
  return resolveConfiguration({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' });
}
