/**
 * core/v1 PodStatus (conditions, container statuses, IPs) and the QoS class computation
 * (pkg/apis/core/helper/qos: Guaranteed / Burstable / BestEffort).
 */
import { z } from 'zod';
import { parseQuantity } from '../../quantity.ts';
import { QuantitySchema } from '../../meta.ts';
import type { PodSpec } from './pod-spec.ts';
import { ResourceRequirementsSchema } from './pod-container.ts';

const str = () => z.string().optional();
const time = () => z.string().nullable().optional();
const int = () => z.number().int().optional();

/** core/v1 ContainerStateWaiting: why a container has not started yet. */
export const ContainerStateWaitingSchema = z.object({ reason: str(), message: str() });
/** core/v1 ContainerStateRunning: when a running container started. */
export const ContainerStateRunningSchema = z.object({ startedAt: time() });
/** core/v1 ContainerStateTerminated: how and when a container ended. */
export const ContainerStateTerminatedSchema = z.object({
  exitCode: z.number().int().default(0),
  signal: int(),
  reason: str(),
  message: str(),
  startedAt: time(),
  finishedAt: time(),
  containerID: str(),
});
/** core/v1 ContainerState: at most one of waiting, running, terminated. */
export const ContainerStateSchema = z.object({
  waiting: ContainerStateWaitingSchema.optional(),
  running: ContainerStateRunningSchema.optional(),
  terminated: ContainerStateTerminatedSchema.optional(),
});

const ResourceList = z.record(z.string(), QuantitySchema);

/** core/v1 VolumeMountStatus: a mount as the kubelet reports it. */
export const VolumeMountStatusSchema = z.object({
  name: z.string().default(''),
  mountPath: z.string().default(''),
  readOnly: z.boolean().optional(),
  recursiveReadOnly: str(),
});

export const ContainerStatusSchema = z.object({
  name: z.string().default(''),
  state: ContainerStateSchema.optional(),
  lastState: ContainerStateSchema.optional(),
  ready: z.boolean().default(false),
  restartCount: z.number().int().default(0),
  image: z.string().default(''),
  imageID: z.string().default(''),
  containerID: str(),
  started: z.boolean().optional(),
  allocatedResources: ResourceList.optional(),
  /** What the container runs with (requests, limits), as its kubelet reports it; `allocatedResources` what it admitted. */
  resources: ResourceRequirementsSchema.optional(),
  volumeMounts: z.array(VolumeMountStatusSchema).optional(),
  user: z.record(z.string(), z.unknown()).optional(),
  allocatedResourcesStatus: z.array(z.record(z.string(), z.unknown())).optional(),
  stopSignal: str(),
});
export type ContainerStatus = z.infer<typeof ContainerStatusSchema>;

export const PodConditionSchema = z.object({
  type: z.string().default(''),
  observedGeneration: int(),
  status: z.string().default(''),
  lastProbeTime: time(),
  lastTransitionTime: time(),
  reason: str(),
  message: str(),
});
export type PodCondition = z.infer<typeof PodConditionSchema>;

/** core/v1 PodIP / HostIP (same shape; separate objects so each keeps its upstream name). */
export const PodIPSchema = z.object({ ip: z.string().default('') });
export const HostIPSchema = z.object({ ip: z.string().default('') });

export const PodStatusSchema = z.object({
  observedGeneration: int(),
  phase: str(),
  conditions: z.array(PodConditionSchema).optional(),
  message: str(),
  reason: str(),
  nominatedNodeName: str(),
  hostIP: str(),
  hostIPs: z.array(HostIPSchema).optional(),
  podIP: str(),
  podIPs: z.array(PodIPSchema).optional(),
  startTime: time(),
  initContainerStatuses: z.array(ContainerStatusSchema).optional(),
  containerStatuses: z.array(ContainerStatusSchema).optional(),
  qosClass: str(),
  ephemeralContainerStatuses: z.array(ContainerStatusSchema).optional(),
  resize: str(),
  resourceClaimStatuses: z.array(z.object({ name: z.string().default(''), resourceClaimName: str() })).optional(),
  extendedResourceClaimStatus: z.record(z.string(), z.unknown()).optional(),
});
export type PodStatus = z.infer<typeof PodStatusSchema>;

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';
const QOS_RESOURCES = ['cpu', 'memory'];

function isNonZero(v: string | number): boolean {
  const q = parseQuantity(v);
  return q !== undefined && q.nano !== 0n;
}

/** Whether a pod phase is final: `Succeeded` or `Failed` (upstream `podutil.IsPodPhaseTerminal`). */
export function isTerminalPodPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Upstream `GetPodQOS`, from the container resources (pod-level resources win if set). */
export function podQOSClass(spec: PodSpec): QOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const add = (m: Map<string, bigint>, name: string, v: string | number) => m.set(name, (m.get(name) ?? 0n) + (parseQuantity(v)?.nano ?? 0n));
  const podLevel = spec.resources && (spec.resources.limits || spec.resources.requests) ? [{ resources: spec.resources }] : undefined;
  for (const c of podLevel ?? [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const [name, v] of Object.entries(c.resources?.requests ?? {})) {
      if (QOS_RESOURCES.includes(name) && isNonZero(v)) add(requests, name, v);
    }
    const found = new Set<string>();
    for (const [name, v] of Object.entries(c.resources?.limits ?? {})) {
      if (QOS_RESOURCES.includes(name) && isNonZero(v)) {
        found.add(name);
        add(limits, name, v);
      }
    }
    if (!QOS_RESOURCES.every((r) => found.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, v] of requests) if (limits.get(name) !== v) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

