/**
 * What a {@link Kubelet} is made of and how it behaves: its API clients and runtime, the node's
 * facts, labels and taints, where it serves its API, its static pods, and the periods and
 * optional managers (eviction, garbage collection) it runs. `main.ts` builds it from the parsed
 * kubelet configuration (hollow nodes too); tests and benchmarks build it directly.
 */
import type { EvictionConfig } from './eviction/manager.ts';
import type { NodeReadingsSource } from './eviction/readings.ts';
import type { GcConfig } from './gc/node-gc.ts';
import type { KubeletMetrics } from './metrics/kubelet-metrics.ts';
import type { NodeAgentOptions } from './node/node-agent.ts';
import type { DnsSettings } from './pods/sandbox-config.ts';
import type { KubeletApiAuth } from './server/auth.ts';
import type { KubeletServerTls } from './server/server.ts';
import type { NodeUsageSource } from './stats/node-usage.ts';
import type { TokenManager } from './token/token-manager.ts';

/** Options of {@link Kubelet}; the client, runtime, clock, log, node name and facts as its node agent takes them. */
export interface KubeletOptions extends Pick<NodeAgentOptions, 'client' | 'heartbeatClient' | 'runtime' | 'clock' | 'log' | 'nodeName' | 'facts'> {
  rootDir: string;
  dns: DnsSettings;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  /** Write a CNI bridge conflist for the node's pod CIDR here (k8ts extension; unset = leave CNI alone). */
  cniConfDir?: string;
  /** Pod CIDR to use before/without the Node's spec.podCIDR (`--pod-cidr`). */
  podCidr?: string;
  /** Serve the kubelet API here (default 0.0.0.0:10250; port 0 = any free port). */
  serverAddress?: { host: string; port: number };
  /** Serve the kubelet API over HTTPS with this certificate and key (PEM); unset = plain HTTP. */
  serverTls?: KubeletServerTls;
  /** Who may call the kubelet API (see {@link KubeletApiAuth}); unset = anyone, for anything. */
  serverAuth?: KubeletApiAuth;
  /** Run static pods from manifests in this directory (`--pod-manifest-path`). */
  podManifestPath?: string;
  /** How often the manifest directory is read (default 20 s, upstream's file check frequency). */
  staticPodCheckMs?: number;
  relistMs?: number;
  resyncMs?: number;
  /** Service-account tokens for projected volumes (default: a token manager over `client`'s TokenRequest). */
  tokens?: TokenManager;
  statusIntervalMs?: number;
  /** How often container and node usage is sampled (`--housekeeping-interval`, default 10 s as cadvisor's). */
  housekeepingMs?: number;
  /** How often active pods are checked against their `activeDeadlineSeconds` (default 1 s). */
  activeDeadlineCheckMs?: number;
  /** Where the node's own CPU and memory come from (default: /proc and the root memory cgroup). */
  nodeUsage?: NodeUsageSource;
  /**
   * Keep the pods' granted resources in `<rootDir>/allocated_pods_state` across restarts (default
   * true; hollow nodes, whose runtime forgets everything on a restart, skip the writes).
   */
  checkpointAllocations?: boolean;
  /**
   * Node-pressure eviction (thresholds, transition period, soft grace); unset = none (no
   * pressure conditions, every pod admitted), as for hollow nodes.
   */
  eviction?: EvictionConfig & {
    /** A directory on containerd's image filesystem, when it may differ from the root directory's. */
    imageFsDir?: string;
    /** Where the readings come from (default: this machine). */
    readings?: NodeReadingsSource;
  };
  /**
   * Container and image garbage collection (policies, periods); unset = none, as for hollow
   * nodes. With eviction also configured, disk signals reclaim through it before evicting.
   */
  gc?: GcConfig;
  /**
   * Whether the host enforces AppArmor (default: asked once at start, as upstream's kubelet; hollow
   * nodes and tests may say). Without it, pods asking for a profile are refused at admission.
   */
  appArmorEnabled?: boolean;
  /**
   * The kubelet's `/metrics` (shared with the CRI client, which counts runtime operations into it);
   * default: a registry of its own without process metrics.
   */
  metrics?: KubeletMetrics;
}
