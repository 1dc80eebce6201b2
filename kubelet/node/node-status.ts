/**
 * The Node object and status a kubelet posts (upstream `nodestatus` setters), pure: capacity
 * and allocatable from host facts, addresses, nodeInfo, and the four conditions with the
 * kubelet's reasons and messages (the pressure ones as the eviction manager reports them).
 * Heartbeats move every post; transition times only on change.
 */
import { KUBERNETES_VERSION } from '../../pkg/version.ts';
import { integerQuantity } from '../../pkg/api/quantity.ts';
import { DEFAULT_HARD_THRESHOLDS, hardEvictionReserve } from '../eviction/thresholds.ts';
import type { Node } from '../../pkg/api/core/v1/node.ts';

/** Facts about the machine (read by `host-info.ts`). */
export interface HostFacts {
  cpus: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  maxPods: number;
  hostname: string;
  internalIP: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  architecture: string;
}

/** The runtime side of readiness: null when healthy, else why the node is not ready. */
export interface RuntimeHealth {
  containerRuntimeVersion: string;
  notReadyReason: string | null;
}

/** Labels every kubelet sets on its Node. */
export function nodeLabels(facts: Pick<HostFacts, 'hostname' | 'architecture'>, nodeName: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': facts.architecture,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': facts.architecture,
    'kubernetes.io/hostname': nodeName,
    'kubernetes.io/os': 'linux',
    ...extra,
  };
}

/** Capacity as the kubelet reports it (memory in Ki, as upstream's cadvisor-derived value). */
export function nodeCapacity(facts: HostFacts): Record<string, string> {
  return {
    cpu: String(facts.cpus),
    'ephemeral-storage': `${Math.floor(facts.ephemeralStorageBytes / 1024)}Ki`,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${Math.floor(facts.memoryBytes / 1024)}Ki`,
    pods: String(facts.maxPods),
  };
}

/** What the hard eviction thresholds hold back from allocatable, in bytes (upstream `hardEvictionReservation`). */
export interface EvictionReserve {
  memoryBytes: number;
  ephemeralStorageBytes: number;
}

/** A byte count as upstream prints a binary-SI Quantity (`0`, `512Mi`, `16Gi`, plain bytes when no suffix divides it). */
function binaryQuantity(bytes: number): string {
  return integerQuantity(Math.max(0, Math.floor(bytes)), 'BinarySI');
}

/** Allocatable = capacity − the hard eviction thresholds' reserve (never below 0), printed as upstream's Quantity arithmetic prints it. */
export function nodeAllocatable(facts: HostFacts, reserve: EvictionReserve = hardEvictionReserve(DEFAULT_HARD_THRESHOLDS, facts)): Record<string, string> {
  return {
    ...nodeCapacity(facts),
    memory: binaryQuantity(Math.floor(facts.memoryBytes / 1024) * 1024 - reserve.memoryBytes),
    'ephemeral-storage': binaryQuantity(facts.ephemeralStorageBytes - reserve.ephemeralStorageBytes),
  };
}

type Condition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

function condition(type: string, status: 'True' | 'False', reason: string, message: string, now: string, previous: readonly Condition[] | undefined): Condition {
  const old = previous?.find((c) => c.type === type);
  return { type, status, lastHeartbeatTime: now, lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : now, reason, message };
}

/** Upstream `nodestatus` setters' reason and message of each pressure condition, True and False. */
export const PRESSURE_CONDITION_TEXT: Readonly<Record<string, { True: [string, string]; False: [string, string] }>> = {
  MemoryPressure: { True: ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'], False: ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available'] },
  DiskPressure: { True: ['KubeletHasDiskPressure', 'kubelet has disk pressure'], False: ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure'] },
  PIDPressure: { True: ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available'], False: ['KubeletHasSufficientPID', 'kubelet has sufficient PID available'] },
};

const PRESSURE_EVENT: Readonly<Record<string, { True: string; False: string }>> = {
  MemoryPressure: { True: 'NodeHasInsufficientMemory', False: 'NodeHasSufficientMemory' },
  DiskPressure: { True: 'NodeHasDiskPressure', False: 'NodeHasNoDiskPressure' },
  PIDPressure: { True: 'NodeHasInsufficientPID', False: 'NodeHasSufficientPID' },
};

/**
 * The Normal node events upstream's pressure setters record when a pressure condition's status
 * changes (also from absent, as on a node's first status): reason `NodeHasInsufficientMemory`
 * etc., message `Node <name> status is now: <reason>`.
 */
export function pressureEvents(nodeName: string, previous: Node['status'] | undefined, next: Node['status']): Array<{ reason: string; message: string }> {
  const out: Array<{ reason: string; message: string }> = [];
  for (const [type, reasons] of Object.entries(PRESSURE_EVENT)) {
    const now = next?.conditions?.find((c) => c.type === type)?.status;
    const before = previous?.conditions?.find((c) => c.type === type)?.status;
    if ((now === 'True' || now === 'False') && now !== before) out.push({ reason: reasons[now], message: `Node ${nodeName} status is now: ${reasons[now]}` });
  }
  return out;
}

/**
 * The node events upstream's setters record beside the pressure ones: `NodeReady` /
 * `NodeNotReady` when the Ready condition changes (not when it first appears), and
 * `NodeSchedulable` / `NodeNotSchedulable` when `spec.unschedulable` differs from what the kubelet
 * last saw (`cordon`, `uncordon`; it starts from schedulable). Message `Node <name> status is now: <reason>`.
 */
export function readinessEvents(nodeName: string, previous: Node['status'] | undefined, next: Node['status'], schedulable: { last: boolean; now: boolean }): Array<{ reason: string; message: string }> {
  const reasons: string[] = [];
  const ready = next?.conditions?.find((c) => c.type === 'Ready')?.status;
  const wasReady = previous?.conditions?.find((c) => c.type === 'Ready')?.status;
  if (ready && wasReady && ready !== wasReady) reasons.push(ready === 'True' ? 'NodeReady' : 'NodeNotReady');
  if (schedulable.last !== schedulable.now) reasons.push(schedulable.now ? 'NodeSchedulable' : 'NodeNotSchedulable');
  return reasons.map((reason) => ({ reason, message: `Node ${nodeName} status is now: ${reason}` }));
}

/** Options of {@link nodeStatus}. */
export interface NodeStatusOptions {
  /** The kubelet API port in `daemonEndpoints` (default 10250). */
  kubeletPort?: number;
  /** The pressure conditions the eviction manager reports True (default none). */
  pressure?: readonly string[];
  /** What hard eviction thresholds hold back from allocatable (default upstream's default thresholds'). */
  reserve?: EvictionReserve;
}

/** The full status to post, given the previous one (for transition times). */
export function nodeStatus(facts: HostFacts, health: RuntimeHealth, now: string, previous?: Node['status'], options: NodeStatusOptions = {}): NonNullable<Node['status']> {
  const { kubeletPort = 10250, pressure = [] } = options;
  const prev = previous?.conditions;
  const ready = health.notReadyReason === null;
  const pressureCondition = (type: string) => {
    const status = pressure.includes(type) ? 'True' : 'False';
    const [reason, message] = PRESSURE_CONDITION_TEXT[type][status];
    return condition(type, status, reason, message, now, prev);
  };
  return {
    capacity: nodeCapacity(facts),
    allocatable: nodeAllocatable(facts, options.reserve),
    conditions: [
      pressureCondition('MemoryPressure'),
      pressureCondition('DiskPressure'),
      pressureCondition('PIDPressure'),
      ready
        ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', now, prev)
        : condition('Ready', 'False', 'KubeletNotReady', health.notReadyReason as string, now, prev),
    ],
    addresses: [
      { type: 'InternalIP', address: facts.internalIP },
      { type: 'Hostname', address: facts.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    nodeInfo: {
      machineID: facts.machineID,
      systemUUID: facts.systemUUID,
      bootID: facts.bootID,
      kernelVersion: facts.kernelVersion,
      osImage: facts.osImage,
      containerRuntimeVersion: health.containerRuntimeVersion,
      kubeletVersion: KUBERNETES_VERSION.gitVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: facts.architecture,
    },
  } as NonNullable<Node['status']>;
}
