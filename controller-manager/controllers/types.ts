/**
 * What every built-in controller plugs into: a descriptor the controller-manager's registry
 * lists, and the context it is registered with.
 */
import type { Manager } from '../../pkg/runtime/index.ts';

/** The parsed controller-manager flags the controllers read (durations in ms). */
export interface ControllerManagerSettings {
  /** `--allocate-node-cidrs` */
  allocateNodeCidrs: boolean;
  /** `--cluster-cidr`, e.g. `10.244.0.0/16` (required when allocating node CIDRs). */
  clusterCidr?: string;
  /** `--node-cidr-mask-size` (default 24). */
  nodeCidrMaskSize: number;
  /** `--node-monitor-grace-period` (default 40 s as the issue and upstream before 1.32 say; upstream 1.32+ uses 50 s). */
  nodeMonitorGracePeriodMs: number;
  /** `--node-startup-grace-period` (default 60 s): the grace period of a node that never posted Ready. */
  nodeStartupGracePeriodMs: number;
  /** `--node-monitor-period` (default 5 s). */
  nodeMonitorPeriodMs: number;
  /** `--node-eviction-rate` (default 0.1 pods/s per zone) and `--secondary-node-eviction-rate` (0.01). */
  nodeEvictionRate: number;
  secondaryNodeEvictionRate: number;
  /** `--unhealthy-zone-threshold` (default 0.55) and `--large-cluster-size-threshold` (default 50). */
  unhealthyZoneThreshold: number;
  largeClusterSizeThreshold: number;
  /** `--terminated-pod-gc-threshold` (default 12500; 0 disables collecting finished pods). */
  terminatedPodGcThreshold: number;
  /** Pod GC period and orphan quarantine (upstream fixed 20 s / 40 s; tests shorten them). */
  podGcPeriodMs?: number;
  podGcQuarantineMs?: number;
  /** How long a deleting ServiceCIDR keeps its finalizer once it could go (upstream fixed 10 s; tests shorten it). */
  serviceCIDRDeletionGraceMs?: number;
  /** Base of the job controller's pod-failure back-off (upstream fixed 10 s; tests shorten it). */
  jobPodFailureBackoffMs?: number;
  /** The cronjob controller's zone for schedules without a time zone (upstream: the process's local zone). */
  localTimeZone?: string;
  /** `--cluster-signing-cert-file` / `--cluster-signing-key-file`: the CA `csrsigning` issues with (absent = csrsigning off). */
  clusterSigningCertFile?: string;
  clusterSigningKeyFile?: string;
  /** `--root-ca-file`: the cluster CA `root-ca-cert-publisher` puts in every namespace's `kube-root-ca.crt` (absent = the kubeconfig's CA). */
  rootCaFile?: string;
  /** `--service-account-private-key-file`: the PEM key `serviceaccount-token` signs legacy Secret tokens with (absent = that controller off). */
  serviceAccountPrivateKeyFile?: string;
  /** `--cluster-signing-duration` (default 8760h): the longest validity `csrsigning` gives. */
  clusterSigningDurationMs: number;
  /** `--pvclaimbinder-sync-period` (default 15 s): how often the persistentvolume-binder looks at every claim and volume again. */
  pvClaimBinderSyncPeriodMs?: number;
  /** `--resource-quota-sync-period` (default 5 m, as upstream): how often the resourcequota controller recalculates every quota. */
  resourceQuotaSyncPeriodMs?: number;
  /** `--hostpath-provisioner-dir` (default `/var/lib/k8ts/storage`): where `k8ts.io/hostpath` puts volumes whose class has no `path` parameter. */
  hostpathProvisionerDir?: string;
  /** `--horizontal-pod-autoscaler-sync-period` (default 15 s): how often each HPA is recomputed. */
  hpaSyncPeriodMs?: number;
  /** `--horizontal-pod-autoscaler-downscale-stabilization` (default 5 m): the scale-down stabilization window. */
  hpaDownscaleStabilizationMs?: number;
  /** `--horizontal-pod-autoscaler-tolerance` (default 0.1): the ratio change below which the HPA does not act. */
  hpaTolerance?: number;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period` (default 5 m): cpu samples of pods this young are checked for readiness. */
  hpaCpuInitializationPeriodMs?: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay` (default 30 s): readiness changes this soon after start count as never ready. */
  hpaInitialReadinessDelayMs?: number;
  /** `--mirroring-max-endpoints-per-subset` (default 1000, allowed 1–1000): addresses of one Endpoints subset the mirroring controller puts in a slice. */
  mirroringMaxEndpointsPerSubset?: number;
  /** `--concurrent-<name>-syncs` per controller (default 5 unless a controller says otherwise). */
  concurrentSyncs: Readonly<Record<string, number>>;
}

/** Handed to each controller's `register`. */
export interface ControllerContext {
  readonly manager: Manager;
  readonly settings: ControllerManagerSettings;
}

/**
 * A built-in controller as `--controllers` names it (`replicaset`, `deployment`, …). `register`
 * builds the controller(s) and runnables on the manager; it must not start anything itself
 * (the manager starts them once it holds the leader lease).
 */
export interface ControllerDescriptor {
  readonly name: string;
  /** Whether `*` in `--controllers` includes it. */
  readonly enabledByDefault: boolean;
  register(context: ControllerContext): void;
}

/** Defaults as upstream kube-controller-manager. */
export const DEFAULT_SETTINGS: ControllerManagerSettings = {
  allocateNodeCidrs: false,
  nodeCidrMaskSize: 24,
  nodeMonitorGracePeriodMs: 40_000,
  nodeStartupGracePeriodMs: 60_000,
  nodeMonitorPeriodMs: 5_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  unhealthyZoneThreshold: 0.55,
  largeClusterSizeThreshold: 50,
  terminatedPodGcThreshold: 12_500,
  clusterSigningDurationMs: 8760 * 3_600_000,
  concurrentSyncs: {},
};
