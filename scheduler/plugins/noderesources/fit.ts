/** NodeResourcesFit Filter: does the pod's request fit the node's free allocatable? */
import { CPU, EPHEMERAL_STORAGE, MEMORY, type NodeInfo, type Resource } from '../../framework/index.ts';

/** One resource the node lacks; `unresolvable` when even an empty node could not hold it. */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  unresolvable: boolean;
}

/** Resources to skip: exact names and name prefixes (groups) from the plugin args. */
export interface IgnoredResources {
  names?: ReadonlySet<string>;
  groups?: ReadonlySet<string>;
}

function isIgnored(name: string, ignored: IgnoredResources): boolean {
  if (ignored.names?.has(name)) return true;
  const slash = name.indexOf('/');
  return slash > 0 && (ignored.groups?.has(name.slice(0, slash)) ?? false);
}

/**
 * Upstream fitsRequest: "Too many pods", then cpu, memory, ephemeral-storage and scalar
 * resources, each `Insufficient <name>` when the request exceeds allocatable minus requested.
 */
function check(out: InsufficientResource[], name: string, req: number, cap: number, inUse: number): void {
  if (lacks(req, cap, inUse)) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: req, used: inUse, capacity: cap, unresolvable: req > cap });
}

/** The one test both {@link fitsRequest} and {@link fits} apply per resource. */
function lacks(req: number, cap: number, inUse: number): boolean {
  return req > 0 && req > cap - inUse;
}

function tooManyPods(nodeInfo: NodeInfo): boolean {
  return nodeInfo.pods.length + 1 > nodeInfo.allocatable.allowedPodNumber;
}

function isZero(r: Resource): boolean {
  if (r.milliCPU !== 0 || r.memory !== 0 || r.ephemeralStorage !== 0) return false;
  for (const k in r.scalar) if (r.scalar[k] !== 0) return false;
  return true;
}

export function fitsRequest(request: Resource, nodeInfo: NodeInfo, ignored: IgnoredResources = {}): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (tooManyPods(nodeInfo)) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: alloc.allowedPodNumber, unresolvable: false });
  }
  if (isZero(request)) return out;
  check(out, CPU, request.milliCPU, alloc.milliCPU, used.milliCPU);
  check(out, MEMORY, request.memory, alloc.memory, used.memory);
  check(out, EPHEMERAL_STORAGE, request.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage);
  for (const name in request.scalar) {
    const req = request.scalar[name]!;
    if (req === 0 || isIgnored(name, ignored)) continue;
    check(out, name, req, alloc.scalar[name] ?? 0, used.scalar[name] ?? 0);
  }
  return out;
}

/** A pod's request prepared once per scheduling cycle for {@link fits}. */
export interface PreparedRequest {
  readonly request: Resource;
  /** Scalar resources the pod requests (> 0) and the plugin does not ignore. */
  readonly scalars: readonly string[];
}

export function prepareRequest(request: Resource, ignored: IgnoredResources = {}): PreparedRequest {
  const scalars = Object.keys(request.scalar).filter((name) => request.scalar[name]! > 0 && !isIgnored(name, ignored));
  return { request, scalars };
}

/**
 * Whether {@link fitsRequest} finds nothing missing on `nodeInfo`, without building the reasons
 * (the Filter runs for every node it looks at, for every pod). A zero request passes every
 * resource check, as upstream's early return does.
 */
export function fits({ request, scalars }: PreparedRequest, nodeInfo: NodeInfo): boolean {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (tooManyPods(nodeInfo)) return false;
  if (lacks(request.milliCPU, alloc.milliCPU, used.milliCPU)) return false;
  if (lacks(request.memory, alloc.memory, used.memory)) return false;
  if (lacks(request.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage)) return false;
  for (let i = 0; i < scalars.length; i++) {
    const name = scalars[i]!;
    if (lacks(request.scalar[name]!, alloc.scalar[name] ?? 0, used.scalar[name] ?? 0)) return false;
  }
  return true;
}
