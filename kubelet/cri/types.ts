/**
 * TypeScript shapes of the CRI runtime.v1 messages the kubelet uses, as @grpc/proto-loader
 * decodes them (camelCase fields, enums as their names, int64 as decimal strings, every field
 * present with its default). Requests may omit fields (proto3 defaults).
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';

export interface KeyValue {
  key: string;
  value: string;
}

/** An environment variable as the CRI carries it (`bytes value`, same wire format as a string). */
export interface EnvKeyValue {
  key: string;
  value: Buffer;
}

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface PortMapping {
  protocol?: Protocol;
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

export interface DNSConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: MountPropagation;
}

export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  targetId?: string;
}

/** CRI SecurityProfile (seccomp, AppArmor): the runtime's default, none, or a profile on the node. */
export interface SecurityProfile {
  profileType: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  /** Localhost only: the profile file's absolute path. */
  localhostRef?: string;
}

export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  seccomp?: SecurityProfile;
  runAsUser?: { value: string | number };
  runAsGroup?: { value: string | number };
  readonlyRootfs?: boolean;
  supplementalGroups?: Array<string | number>;
  privileged?: boolean;
}

export interface LinuxPodSandboxConfig {
  cgroupParent?: string;
  securityContext?: LinuxSandboxSecurityContext;
  sysctls?: Record<string, string>;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  dnsConfig?: DNSConfig;
  portMappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: LinuxPodSandboxConfig;
}

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  /** Nanoseconds since the epoch, as a decimal string. */
  createdAt: string;
  network: { ip: string; additionalIps: Array<{ ip: string }> } | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler: string;
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler: string;
}

export interface ImageSpec {
  image: string;
  annotations?: Record<string, string>;
}

export interface LinuxContainerResources {
  cpuPeriod?: string | number;
  cpuQuota?: string | number;
  cpuShares?: string | number;
  memoryLimitInBytes?: string | number;
  oomScoreAdj?: string | number;
  cpusetCpus?: string;
  cpusetMems?: string;
}

export interface LinuxContainerSecurityContext {
  capabilities?: { addCapabilities?: string[]; dropCapabilities?: string[]; addAmbientCapabilities?: string[] };
  privileged?: boolean;
  namespaceOptions?: NamespaceOption;
  runAsUser?: { value: string | number };
  runAsGroup?: { value: string | number };
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: Array<string | number>;
  noNewPrivs?: boolean;
  seccomp?: SecurityProfile;
  /** AppArmor: `localhostRef` is the profile's name, not a path. */
  apparmor?: SecurityProfile;
  /** Deprecated spelling of `apparmor` (`runtime/default`, `unconfined`, `localhost/<name>`) that older runtimes read. */
  apparmorProfile?: string;
  maskedPaths?: string[];
  readonlyPaths?: string[];
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: EnvKeyValue[];
  mounts?: Mount[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources; securityContext?: LinuxContainerSecurityContext };
}

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  imageRef: string;
  state: ContainerState;
  createdAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  image: ImageSpec;
  imageRef: string;
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  logPath: string;
  /** The container's mounts (the termination-message file is found among them). */
  mounts?: Mount[];
  /** The resources the container runs with (containerd reports its last applied Linux resources); null when unreported. */
  resources?: { linux?: LinuxContainerResources | null } | null;
}

export interface ExecSyncResponse {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: string;
  /** The image's numeric user, when its config names one (Int64Value). */
  uid?: { value: string | number } | null;
  /** Its user name, when the config names a non-numeric one. */
  username?: string;
  /** The runtime asks for the image never to be garbage collected (e.g. the sandbox image). */
  pinned?: boolean;
}

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface VersionResponse {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export interface FilesystemUsage {
  timestamp: string;
  fsId: { mountpoint: string } | null;
  usedBytes: { value: string } | null;
  inodesUsed: { value: string } | null;
}

/** A uint64 wrapper as decoded (`null` = the runtime did not report it). */
export type UInt64Value = { value: string } | null;

/** CRI CpuUsage: `timestamp` in ns since the epoch; cumulative core-nanoseconds since creation. */
export interface CpuUsage {
  timestamp: string;
  usageCoreNanoSeconds: UInt64Value;
  /** The runtime's own rate; the kubelet computes its own from two samples and ignores this. */
  usageNanoCores: UInt64Value;
}

/** CRI MemoryUsage (bytes, cumulative fault counts); `timestamp` in ns since the epoch. */
export interface MemoryUsage {
  timestamp: string;
  workingSetBytes: UInt64Value;
  availableBytes: UInt64Value;
  usageBytes: UInt64Value;
  rssBytes: UInt64Value;
  pageFaults: UInt64Value;
  majorPageFaults: UInt64Value;
}

/** CRI ContainerStats: who the container is, and its usage (either part may be missing). */
export interface ContainerStats {
  attributes: { id: string; metadata: ContainerMetadata | null; labels: Record<string, string>; annotations: Record<string, string> } | null;
  cpu: CpuUsage | null;
  memory: MemoryUsage | null;
  writableLayer: FilesystemUsage | null;
}
