/** Requested and allocatable amounts per configured resource for scoring (upstream resourceAllocationScorer). */
import { CPU, EPHEMERAL_STORAGE, MEMORY, type NodeInfo, type Resource } from '../../framework/index.ts';

function pick(r: Resource, name: string): number {
  if (name === CPU) return r.milliCPU;
  if (name === MEMORY) return r.memory;
  if (name === EPHEMERAL_STORAGE) return r.ephemeralStorage;
  return r.scalar[name] ?? 0;
}

/**
 * For each resource name: [node requested + pod request, node allocatable]. With
 * `useNonZero`, cpu and memory count the scoring defaults of both node pods and the pod.
 */
export function requestedAndAllocatable(
  names: readonly string[],
  nodeInfo: NodeInfo,
  pod: { requests: Resource; nonZeroRequests: Resource },
  useNonZero: boolean,
): { requested: number[]; allocatable: number[] } {
  const requested: number[] = [];
  const allocatable: number[] = [];
  for (const name of names) {
    const nz = useNonZero && (name === CPU || name === MEMORY);
    const nodeReq = pick(nz ? nodeInfo.nonZeroRequested : nodeInfo.requested, name);
    const podReq = pick(nz ? pod.nonZeroRequests : pod.requests, name);
    requested.push(nodeReq + podReq);
    allocatable.push(pick(nodeInfo.allocatable, name));
  }
  return { requested, allocatable };
}
