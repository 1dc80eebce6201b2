/** Requested and allocatable amounts per configured resource for scoring (upstream resourceAllocationScorer). */
import { CPU, EPHEMERAL_STORAGE, MEMORY, type NodeInfo, type Resource } from '../../framework/index.ts';

function pick(r: Resource, name: string): number {
  if (name === CPU) return r.milliCPU;
  if (name === MEMORY) return r.memory;
  if (name === EPHEMERAL_STORAGE) return r.ephemeralStorage;
  return r.scalar[name] ?? 0;
}

/** Requested and allocatable amounts, index for index with the resource names. */
export interface Allocation {
  requested: number[];
  allocatable: number[];
}

/**
 * For each resource name: [node requested + pod request, node allocatable]. With
 * `useNonZero`, cpu and memory count the scoring defaults of both node pods and the pod.
 * Written into `out` when given (a plugin scoring thousands of nodes per pod reuses one).
 */
export function requestedAndAllocatable(
  names: readonly string[],
  nodeInfo: NodeInfo,
  pod: { requests: Resource; nonZeroRequests: Resource },
  useNonZero: boolean,
  out: Allocation = { requested: [], allocatable: [] },
): Allocation {
  const { requested, allocatable } = out;
  // Setting an array's length is a runtime call; a reused buffer already has it.
  if (requested.length !== names.length) requested.length = names.length;
  if (allocatable.length !== names.length) allocatable.length = names.length;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const nz = useNonZero && (name === CPU || name === MEMORY);
    requested[i] = pick(nz ? nodeInfo.nonZeroRequested : nodeInfo.requested, name) + pick(nz ? pod.nonZeroRequests : pod.requests, name);
    allocatable[i] = pick(nodeInfo.allocatable, name);
  }
  return out;
}
