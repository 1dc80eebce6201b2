/**
 * Resource arithmetic: what a pod requests and what a node has, in integer units (milli-CPU,
 * bytes, counts), as upstream framework.Resource and resource helpers.
 */
import { quantityToMilli } from '../../pkg/api/quantity.ts';
import { containerStatusesByName, effectiveContainerRequests } from '../../pkg/api/core/v1/pod-resize-resources.ts';
import type { PodObject } from './types.ts';

/** Resource names with dedicated fields; every other name is a scalar (extended) resource. */
export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** Default requests counted for scoring when a container requests nothing (upstream non-zero). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/**
 * An amount of every resource. `milliCPU` in millicores, `memory` and `ephemeralStorage` in
 * bytes, `allowedPodNumber` in pods, `scalar` keyed by resource name (`nvidia.com/gpu`,
 * `hugepages-2Mi`) in whole units.
 */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  scalar: Record<string, number>;
}

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: { ...r.scalar } };
}

/** Whole units of a quantity, rounded up (upstream Quantity.Value). */
export function quantityValue(q: string | number): number {
  return Math.ceil(quantityToMilli(q) / 1000);
}

/** Whether `name` is a scalar resource (extended, hugepages, attachable volumes). */
export function isScalarResourceName(name: string): boolean {
  return name !== CPU && name !== MEMORY && name !== EPHEMERAL_STORAGE && name !== PODS && name !== 'storage';
}

/** A Resource from a ResourceList (`{cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '1'}`). */
export function resourceFromList(list: Readonly<Record<string, string | number>> | undefined): Resource {
  const r = emptyResource();
  for (const [name, q] of Object.entries(list ?? {})) {
    if (name === CPU) r.milliCPU = quantityToMilli(q);
    else if (name === MEMORY) r.memory = quantityValue(q);
    else if (name === EPHEMERAL_STORAGE) r.ephemeralStorage = quantityValue(q);
    else if (name === PODS) r.allowedPodNumber = quantityValue(q);
    else if (isScalarResourceName(name)) r.scalar[name] = quantityValue(q);
  }
  return r;
}

/** `a += b` (pods count included). */
export function addResource(a: Resource, b: Resource): void {
  a.milliCPU += b.milliCPU;
  a.memory += b.memory;
  a.ephemeralStorage += b.ephemeralStorage;
  a.allowedPodNumber += b.allowedPodNumber;
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = (a.scalar[k] ?? 0) + v;
}

/** `a -= b`. */
export function subtractResource(a: Resource, b: Resource): void {
  a.milliCPU -= b.milliCPU;
  a.memory -= b.memory;
  a.ephemeralStorage -= b.ephemeralStorage;
  a.allowedPodNumber -= b.allowedPodNumber;
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = (a.scalar[k] ?? 0) - v;
}

/** `a = max(a, b)` per resource. */
export function maxResource(a: Resource, b: Resource): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  a.allowedPodNumber = Math.max(a.allowedPodNumber, b.allowedPodNumber);
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = Math.max(a.scalar[k] ?? 0, v);
}

type RequestList = Readonly<Record<string, string | number>> | undefined;

/** Options of {@link podRequests}. */
export interface PodRequestsOptions {
  /** Count the upstream defaults (100m CPU, 200Mi memory) for containers that request none. */
  nonZero?: boolean;
}

function containerRequests(requests: RequestList, nonZero: boolean): Resource {
  if (!nonZero) return resourceFromList(requests);
  const r = emptyResource();
  r.milliCPU = requests && CPU in requests ? quantityToMilli(requests[CPU]!) : DEFAULT_MILLI_CPU_REQUEST;
  r.memory = requests && MEMORY in requests ? quantityValue(requests[MEMORY]!) : DEFAULT_MEMORY_REQUEST;
  return r;
}

/**
 * What a pod requests, as upstream resource.PodRequests with `UseStatusResources` (1.33's
 * default): the sum of its containers, at least the largest init container (restartable "sidecar"
 * init containers keep running and add up), plus `spec.overhead`. A container or sidecar whose
 * status reports `resources` counts as {@link effectiveContainerRequests} says (the largest of
 * spec, allocated and actual requests while a resize is pending or in progress). With `nonZero`,
 * only cpu and memory, defaulted per container.
 */
export function podRequests(pod: PodObject, options: PodRequestsOptions = {}): Resource {
  const nonZero = options.nonZero ?? false;
  const spec = pod.spec ?? {};
  const statuses = containerStatusesByName(pod);
  const resized = (c: { readonly name?: string; readonly resources?: { readonly requests?: RequestList } }) =>
    effectiveContainerRequests(pod, c.resources?.requests, statuses.get(c.name ?? ''));
  const reqs = emptyResource();
  for (const c of spec.containers ?? []) addResource(reqs, containerRequests(resized(c), nonZero));
  const restartable = emptyResource();
  const initMax = emptyResource();
  for (const ic of spec.initContainers ?? []) {
    if (ic.restartPolicy === 'Always') {
      const r = containerRequests(resized(ic), nonZero);
      addResource(reqs, r);
      addResource(restartable, r);
      maxResource(initMax, restartable);
    } else {
      const r = containerRequests(ic.resources?.requests, nonZero);
      addResource(r, restartable);
      maxResource(initMax, r);
    }
  }
  maxResource(reqs, initMax);
  if (spec.overhead) {
    const o = resourceFromList(spec.overhead);
    if (nonZero) {
      reqs.milliCPU += o.milliCPU;
      reqs.memory += o.memory;
    } else addResource(reqs, o);
  }
  return reqs;
}
