/**
 * `k8ts controller-manager` flags → validated configuration (names and defaults as
 * kube-controller-manager).
 */
import { z } from 'zod';
import { parseDuration } from '../pkg/util/duration.ts';
import { parseFlags } from '../pkg/util/process.ts';
import { DEFAULT_SETTINGS, type ControllerManagerSettings } from './controllers/types.ts';

/** Per-controller concurrency flags, as upstream names them. */
export const CONCURRENCY_FLAGS: Readonly<Record<string, string>> = {
  'concurrent-replicaset-syncs': 'replicaset',
  'concurrent-rc-syncs': 'replicationcontroller',
  'concurrent-deployment-syncs': 'deployment',
  'concurrent-daemonset-syncs': 'daemonset',
  'concurrent-statefulset-syncs': 'statefulset',
  'concurrent-endpoint-syncs': 'endpoint',
  'concurrent-service-endpoint-syncs': 'endpointslice',
  'mirroring-concurrent-service-endpoint-syncs': 'endpointslicemirroring',
  'concurrent-gc-syncs': 'garbagecollector',
  'concurrent-namespace-syncs': 'namespace',
  'concurrent-job-syncs': 'job',
  'concurrent-cron-job-syncs': 'cronjob',
  'concurrent-ttl-after-finished-syncs': 'ttl-after-finished',
  'concurrent-serviceaccount-token-syncs': 'serviceaccount-token',
  'concurrent-ephemeralvolume-syncs': 'ephemeral-volume',
  'concurrent-resource-quota-syncs': 'resourcequota',
  'concurrent-horizontal-pod-autoscaler-syncs': 'horizontalpodautoscaling',
};

const DURATION_FLAGS = ['cluster-signing-duration', 'pvclaimbinder-sync-period', 'resource-quota-sync-period', 'horizontal-pod-autoscaler-sync-period', 'horizontal-pod-autoscaler-downscale-stabilization', 'horizontal-pod-autoscaler-cpu-initialization-period', 'horizontal-pod-autoscaler-initial-readiness-delay', 'node-monitor-grace-period', 'node-startup-grace-period', 'node-monitor-period', 'leader-elect-lease-duration', 'leader-elect-renew-deadline', 'leader-elect-retry-period'] as const;

/** node:util parseArgs spec. */
export const FLAG_SPEC = {
  kubeconfig: { type: 'string' },
  master: { type: 'string' },
  controllers: { type: 'string' },
  'leader-elect': { type: 'boolean' },
  'leader-elect-lease-duration': { type: 'string' },
  'leader-elect-renew-deadline': { type: 'string' },
  'leader-elect-retry-period': { type: 'string' },
  'leader-elect-resource-name': { type: 'string' },
  'leader-elect-resource-namespace': { type: 'string' },
  'kube-api-qps': { type: 'string' },
  'kube-api-burst': { type: 'string' },
  'allocate-node-cidrs': { type: 'boolean' },
  'cluster-cidr': { type: 'string' },
  'node-cidr-mask-size': { type: 'string' },
  'node-monitor-grace-period': { type: 'string' },
  'node-startup-grace-period': { type: 'string' },
  'node-monitor-period': { type: 'string' },
  'node-eviction-rate': { type: 'string' },
  'secondary-node-eviction-rate': { type: 'string' },
  'unhealthy-zone-threshold': { type: 'string' },
  'large-cluster-size-threshold': { type: 'string' },
  'terminated-pod-gc-threshold': { type: 'string' },
  'cluster-signing-cert-file': { type: 'string' },
  'cluster-signing-key-file': { type: 'string' },
  'cluster-signing-duration': { type: 'string' },
  'root-ca-file': { type: 'string' },
  'pvclaimbinder-sync-period': { type: 'string' },
  'resource-quota-sync-period': { type: 'string' },
  'horizontal-pod-autoscaler-sync-period': { type: 'string' },
  'horizontal-pod-autoscaler-downscale-stabilization': { type: 'string' },
  'horizontal-pod-autoscaler-tolerance': { type: 'string' },
  'horizontal-pod-autoscaler-cpu-initialization-period': { type: 'string' },
  'horizontal-pod-autoscaler-initial-readiness-delay': { type: 'string' },
  'hostpath-provisioner-dir': { type: 'string' },
  'mirroring-max-endpoints-per-subset': { type: 'string' },
  'service-account-private-key-file': { type: 'string' },
  'bind-address': { type: 'string' },
  'secure-port': { type: 'string' },
  'log-level': { type: 'string' },
  ...Object.fromEntries(Object.keys(CONCURRENCY_FLAGS).map((f) => [f, { type: 'string' }])),
} as const;

const positive = z.coerce.number().positive();

export const ConfigSchema = z
  .object({
    kubeconfig: z.string().optional(),
    master: z.string().url().optional(),
    controllers: z.array(z.string().min(1)).default(['*']),
    leaderElect: z.boolean().default(true),
    leaseDurationMs: positive.default(15_000),
    renewDeadlineMs: positive.default(10_000),
    retryPeriodMs: positive.default(2_000),
    leaseName: z.string().min(1).default('kube-controller-manager'),
    leaseNamespace: z.string().min(1).default('kube-system'),
    qps: positive.default(20),
    burst: z.coerce.number().int().positive().default(30),
    bindAddress: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(10257),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    settings: z.object({
      allocateNodeCidrs: z.boolean(),
      clusterCidr: z.string().optional(),
      nodeCidrMaskSize: z.coerce.number().int().min(8).max(30),
      nodeMonitorGracePeriodMs: positive,
      nodeStartupGracePeriodMs: positive,
      nodeMonitorPeriodMs: positive,
      nodeEvictionRate: z.coerce.number().min(0),
      secondaryNodeEvictionRate: z.coerce.number().min(0),
      unhealthyZoneThreshold: z.coerce.number().min(0).max(1),
      largeClusterSizeThreshold: z.coerce.number().int().min(0),
      terminatedPodGcThreshold: z.coerce.number().int().min(0),
      clusterSigningCertFile: z.string().min(1).optional(),
      clusterSigningKeyFile: z.string().min(1).optional(),
      clusterSigningDurationMs: positive,
      rootCaFile: z.string().min(1).optional(),
      serviceAccountPrivateKeyFile: z.string().min(1).optional(),
      pvClaimBinderSyncPeriodMs: positive.optional(),
      resourceQuotaSyncPeriodMs: positive.optional(),
      hpaSyncPeriodMs: positive.optional(),
      hpaDownscaleStabilizationMs: z.coerce.number().min(0).optional(),
      hpaTolerance: z.coerce.number().min(0).optional(),
      hpaCpuInitializationPeriodMs: z.coerce.number().min(0).optional(),
      hpaInitialReadinessDelayMs: z.coerce.number().min(0).optional(),
      hostpathProvisionerDir: z.string().startsWith('/', 'must be an absolute path').optional(),
      mirroringMaxEndpointsPerSubset: z.coerce.number().int().min(1).max(1000).optional(),
      concurrentSyncs: z.record(z.string(), z.coerce.number().int().positive()),
    }),
  })
  .superRefine((c, issue) => {
    if (c.renewDeadlineMs >= c.leaseDurationMs) issue.addIssue({ code: 'custom', path: ['leaderElect'], message: 'leaseDuration must be greater than renewDeadline' });
    if (c.settings.allocateNodeCidrs && !c.settings.clusterCidr) issue.addIssue({ code: 'custom', path: ['settings', 'clusterCidr'], message: '--allocate-node-cidrs needs --cluster-cidr' });
    if (!c.settings.clusterSigningCertFile !== !c.settings.clusterSigningKeyFile) issue.addIssue({ code: 'custom', path: ['settings', 'clusterSigningKeyFile'], message: '--cluster-signing-cert-file and --cluster-signing-key-file go together' });
    if (!c.kubeconfig && !c.master) issue.addIssue({ code: 'custom', path: ['kubeconfig'], message: 'give --kubeconfig (or --master for an insecure local server)' });
  });

export type ControllerManagerConfig = z.infer<typeof ConfigSchema> & { settings: ControllerManagerSettings };

/** Flags → config; throws UsageError listing every problem. */
export function parseConfig(argv: string[]): ControllerManagerConfig | 'help' {
  return parseFlags(argv, FLAG_SPEC, ConfigSchema, (v) => {
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    const duration = (k: (typeof DURATION_FLAGS)[number]) => (str(k) === undefined ? undefined : parseDuration(str(k) as string));
    const concurrentSyncs = Object.fromEntries(Object.entries(CONCURRENCY_FLAGS).filter(([flag]) => str(flag) !== undefined).map(([flag, name]) => [name, str(flag)]));
    return {
      kubeconfig: str('kubeconfig'),
      master: str('master'),
      controllers: str('controllers')?.split(',').map((s) => s.trim()).filter(Boolean),
      leaderElect: v['leader-elect'] as boolean | undefined,
      leaseDurationMs: duration('leader-elect-lease-duration'),
      renewDeadlineMs: duration('leader-elect-renew-deadline'),
      retryPeriodMs: duration('leader-elect-retry-period'),
      leaseName: str('leader-elect-resource-name'),
      leaseNamespace: str('leader-elect-resource-namespace'),
      qps: str('kube-api-qps'),
      burst: str('kube-api-burst'),
      bindAddress: str('bind-address'),
      port: str('secure-port'),
      logLevel: str('log-level'),
      settings: {
        allocateNodeCidrs: v['allocate-node-cidrs'] === true,
        clusterCidr: str('cluster-cidr'),
        nodeCidrMaskSize: str('node-cidr-mask-size') ?? DEFAULT_SETTINGS.nodeCidrMaskSize,
        nodeMonitorGracePeriodMs: duration('node-monitor-grace-period') ?? DEFAULT_SETTINGS.nodeMonitorGracePeriodMs,
        nodeStartupGracePeriodMs: duration('node-startup-grace-period') ?? DEFAULT_SETTINGS.nodeStartupGracePeriodMs,
        nodeMonitorPeriodMs: duration('node-monitor-period') ?? DEFAULT_SETTINGS.nodeMonitorPeriodMs,
        nodeEvictionRate: str('node-eviction-rate') ?? DEFAULT_SETTINGS.nodeEvictionRate,
        secondaryNodeEvictionRate: str('secondary-node-eviction-rate') ?? DEFAULT_SETTINGS.secondaryNodeEvictionRate,
        unhealthyZoneThreshold: str('unhealthy-zone-threshold') ?? DEFAULT_SETTINGS.unhealthyZoneThreshold,
        largeClusterSizeThreshold: str('large-cluster-size-threshold') ?? DEFAULT_SETTINGS.largeClusterSizeThreshold,
        terminatedPodGcThreshold: str('terminated-pod-gc-threshold') ?? DEFAULT_SETTINGS.terminatedPodGcThreshold,
        clusterSigningCertFile: str('cluster-signing-cert-file'),
        clusterSigningKeyFile: str('cluster-signing-key-file'),
        clusterSigningDurationMs: duration('cluster-signing-duration') ?? DEFAULT_SETTINGS.clusterSigningDurationMs,
        rootCaFile: str('root-ca-file'),
        serviceAccountPrivateKeyFile: str('service-account-private-key-file'),
        pvClaimBinderSyncPeriodMs: duration('pvclaimbinder-sync-period'),
        resourceQuotaSyncPeriodMs: duration('resource-quota-sync-period'),
        hpaSyncPeriodMs: duration('horizontal-pod-autoscaler-sync-period'),
        hpaDownscaleStabilizationMs: duration('horizontal-pod-autoscaler-downscale-stabilization'),
        hpaTolerance: str('horizontal-pod-autoscaler-tolerance'),
        hpaCpuInitializationPeriodMs: duration('horizontal-pod-autoscaler-cpu-initialization-period'),
        hpaInitialReadinessDelayMs: duration('horizontal-pod-autoscaler-initial-readiness-delay'),
        hostpathProvisionerDir: str('hostpath-provisioner-dir'),
        mirroringMaxEndpointsPerSubset: str('mirroring-max-endpoints-per-subset'),
        concurrentSyncs,
      },
    };
  }) as ControllerManagerConfig | 'help';
}
