/**
 * Admission plugin `ServiceAllocation`: gives Services their ClusterIP and NodePorts, as the
 * upstream Service registry does (pkg/registry/core/service/storage/alloc.go), with the same
 * error texts. Runs as the last mutating plugin, so kind validation sees the allocated values.
 *
 * - CREATE: allocate requested or random values; reservations made here are released if the
 *   write fails (onFailure).
 * - UPDATE: keep existing allocations, allocate what the new type needs, release what it no
 *   longer needs once the write has committed (onSuccess).
 * - DELETE (in `validate`): release once the object is really gone (onSuccess); the same for an
 *   UPDATE that removes the last finalizer of a deleting Service.
 * - dryRun: validates and fills in would-be values, reserves nothing.
 */
import { invalidValue } from '../../pkg/api/validation/index.ts';
import { invalidStringSlice } from '../../pkg/api/validation/common-rules.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { internalError, invalid, type FieldError } from '../../pkg/errors/index.ts';
import { AllocationError } from './allocation-error.ts';
import type { ReservationOwner } from './reservation-store.ts';
import { createServiceAllocators, type ServiceAllocationOptions, type ServiceAllocators } from './service-allocators.ts';
import {
  collectClusterIPs, collectNodePorts, dropTypeDependentFields, initIPFamilyFields, isHeadless, needsClusterIP,
  needsHealthCheckNodePort, needsNodePorts, normalizeClusterIPsOnCreate, patchAllocatedValues, shouldAllocateNodePorts,
  specOf, type ServiceSpecFields,
} from './service-fields.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';

export const SERVICE_ALLOCATION_PLUGIN = 'ServiceAllocation';

/** What one request reserved (to undo on failure) and what it gives up (after commit). */
class RequestAllocations {
  readonly ips: string[] = [];
  readonly ports: number[] = [];
  /** Ports handed out in this request (also the dry-run ones), so one object never repeats one. */
  readonly portsInRequest = new Set<number>();

  constructor(readonly allocators: ServiceAllocators, readonly owner: ReservationOwner, readonly dryRun: boolean) {}

  async releaseAll(): Promise<void> {
    if (this.dryRun) return;
    const { ips, nodePorts } = this.allocators;
    await Promise.all([...this.ips.map((ip) => ips.release(ip, this.owner)), ...this.ports.map((p) => nodePorts.release(p, this.owner))]);
  }
}

export function createServiceAllocationPlugin(ctx: AdmissionContext, options: ServiceAllocationOptions = {}): AdmissionPlugin {
  const allocators = createServiceAllocators(ctx, options);
  return servicePluginFor(ctx, allocators);
}

/** The plugin over given allocators (so bootstrap and repair can share them). */
export function servicePluginFor(ctx: AdmissionContext, allocators: ServiceAllocators): AdmissionPlugin {
  return {
    name: SERVICE_ALLOCATION_PLUGIN,
    admit(attrs) {
      if (!isServiceWrite(attrs)) return;
      if (attrs.operation === 'CREATE' && attrs.object) return admitCreate(allocators, attrs, attrs.object);
      if (attrs.operation === 'UPDATE' && attrs.object && attrs.oldObject) return admitUpdate(allocators, attrs, attrs.object, attrs.oldObject);
    },
    // Deletes are handled in `validate`: a DELETE may run only the validating phase.
    validate(attrs) {
      if (!isServiceWrite(attrs) || attrs.dryRun || !attrs.oldObject) return;
      const deleting = attrs.operation === 'DELETE' || (attrs.operation === 'UPDATE' && !!attrs.oldObject.metadata.deletionTimestamp);
      if (deleting) releaseWhenGone(ctx, allocators, attrs, attrs.oldObject);
    },
  };
}

function ownerOf(attrs: AdmissionAttributes, obj: KubeObject): ReservationOwner {
  const uid = obj.metadata.uid;
  return { namespace: attrs.namespace ?? obj.metadata.namespace ?? '', name: obj.metadata.name || attrs.name, ...(uid ? { uid } : {}) };
}

function invalidService(obj: KubeObject, attrs: AdmissionAttributes, errors: FieldError[]) {
  return invalid({ group: '', kind: 'Service', name: obj.metadata.name || attrs.name, errors });
}

async function admitCreate(allocators: ServiceAllocators, attrs: AdmissionAttributes, obj: KubeObject): Promise<void> {
  const spec = specOf(obj);
  normalizeClusterIPsOnCreate(spec);
  const familyErrors = initIPFamilyFields(spec, undefined, allocators.ips.range.family);
  if (familyErrors.length) throw invalidService(obj, attrs, familyErrors);
  const request = new RequestAllocations(allocators, ownerOf(attrs, obj), attrs.dryRun);
  try {
    if (needsClusterIP(spec) && !isHeadless(spec)) await allocateClusterIP(request, spec, obj, attrs);
    if (needsNodePorts(spec)) await allocateNodePorts(request, spec, [], obj, attrs);
    if (needsHealthCheckNodePort(spec)) await allocateHealthCheckNodePort(request, spec);
  } catch (err) {
    await request.releaseAll();
    throw err;
  }
  if (!attrs.dryRun) attrs.onFailure(() => request.releaseAll());
}

async function admitUpdate(allocators: ServiceAllocators, attrs: AdmissionAttributes, obj: KubeObject, oldObj: KubeObject): Promise<void> {
  const spec = specOf(obj);
  const old = (oldObj.spec ?? {}) as ServiceSpecFields;
  patchAllocatedValues(spec, old);
  dropTypeDependentFields(spec, old);
  const familyErrors = initIPFamilyFields(spec, old, allocators.ips.range.family);
  if (familyErrors.length) throw invalidService(obj, attrs, familyErrors);
  const request = new RequestAllocations(allocators, ownerOf(attrs, obj), attrs.dryRun);
  const releaseIps: string[] = [];
  const releasePorts: number[] = [];
  try {
    if (!needsClusterIP(old) && needsClusterIP(spec) && !isHeadless(spec)) await allocateClusterIP(request, spec, obj, attrs);
    if (needsClusterIP(old) && !needsClusterIP(spec)) releaseIps.push(...collectClusterIPs(old));
    const oldPortNodePorts = (old.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0);
    if (needsNodePorts(spec)) await allocateNodePorts(request, spec, oldPortNodePorts, obj, attrs);
    const keptPorts = new Set((spec.ports ?? []).map((p) => p.nodePort ?? 0));
    releasePorts.push(...oldPortNodePorts.filter((p) => !needsNodePorts(spec) || !keptPorts.has(p)));
    await updateHealthCheckNodePort(request, spec, old, releasePorts, obj, attrs);
  } catch (err) {
    await request.releaseAll();
    throw err;
  }
  if (attrs.dryRun) return;
  attrs.onFailure(() => request.releaseAll());
  const owner = ownerOf(attrs, oldObj);
  attrs.onSuccess(async () => {
    const stillHeld = new Set(collectNodePorts(spec));
    await Promise.all([
      ...releaseIps.map((ip) => allocators.ips.release(ip, owner)),
      ...[...new Set(releasePorts)].filter((p) => !stillHeld.has(p)).map((p) => allocators.nodePorts.release(p, owner)),
    ]);
  });
}

function isServiceWrite(attrs: AdmissionAttributes): boolean {
  return attrs.info.group === '' && attrs.info.plural === 'services' && !attrs.subresource;
}

/**
 * After a DELETE, or an UPDATE of an object already being deleted (its last finalizer going),
 * releases everything the old object held — but only if the object is really gone.
 */
function releaseWhenGone(ctx: AdmissionContext, allocators: ServiceAllocators, attrs: AdmissionAttributes, oldObj: KubeObject): void {
  const old = (oldObj.spec ?? {}) as ServiceSpecFields;
  const owner = ownerOf(attrs, oldObj);
  attrs.onSuccess(async () => {
    // A delete that only set deletionTimestamp (finalizers pending) keeps the allocations.
    const current = await ctx.storage.get(ctx.keyFor(attrs.info, owner.namespace, owner.name));
    if (current && (!owner.uid || current.metadata.uid === owner.uid)) return;
    await Promise.all([
      ...collectClusterIPs(old).map((ip) => allocators.ips.release(ip, owner)),
      ...collectNodePorts(old).map((p) => allocators.nodePorts.release(p, owner)),
    ]);
    allocators.logger.debug({ service: `${owner.namespace}/${owner.name}` }, 'released service allocations');
  });
}

async function allocateClusterIP(request: RequestAllocations, spec: ServiceSpecFields, obj: KubeObject, attrs: AdmissionAttributes): Promise<void> {
  const { ips } = request.allocators;
  const requested = spec.clusterIPs?.[0] || spec.clusterIP || '';
  let ip: string;
  if (requested) {
    try {
      ip = await ips.allocate(requested, request.owner, request.dryRun);
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      throw invalidService(obj, attrs, [invalidStringSlice('spec.clusterIPs', spec.clusterIPs ?? [requested], `failed to allocate IP ${requested}: ${err.message}`)]);
    }
  } else {
    try {
      ip = await ips.allocateNext(request.owner, request.dryRun);
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      throw internalError(new Error(`failed to allocate a serviceIP: ${err.message}`));
    }
  }
  if (!request.dryRun) request.ips.push(ip);
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
}

/**
 * Upstream initNodePorts/updateNodePorts: ports sharing a service port number share a node
 * port; explicit values are reserved unless the old object already held them.
 */
async function allocateNodePorts(request: RequestAllocations, spec: ServiceSpecFields, alreadyHeld: number[], obj: KubeObject, attrs: AdmissionAttributes): Promise<void> {
  const byServicePort = new Map<number, number>();
  const ports = spec.ports ?? [];
  for (let i = 0; i < ports.length; i++) {
    const port = ports[i];
    if (!port.nodePort && !shouldAllocateNodePorts(spec)) continue;
    const shared = byServicePort.get(port.port ?? 0);
    if (shared && !port.nodePort) {
      port.nodePort = shared;
      continue;
    }
    const wanted = port.nodePort || (shared ? 0 : ports.slice(i).find((p) => p.port === port.port && p.nodePort)?.nodePort) || 0;
    if (wanted) {
      if (!alreadyHeld.includes(wanted) && !(shared === wanted)) await reserveNodePort(request, wanted, `spec.ports[${i}].nodePort`, obj, attrs);
      port.nodePort = wanted;
    } else {
      port.nodePort = await nextNodePort(request, 'failed to allocate a nodePort');
    }
    if (!shared) byServicePort.set(port.port ?? 0, port.nodePort);
  }
}

async function reserveNodePort(request: RequestAllocations, port: number, field: string, obj: KubeObject, attrs: AdmissionAttributes): Promise<void> {
  try {
    if (request.portsInRequest.has(port)) throw new AllocationError('Allocated', 'provided port is already allocated');
    await request.allocators.nodePorts.allocate(port, request.owner, request.dryRun);
  } catch (err) {
    if (!(err instanceof AllocationError)) throw err;
    throw invalidService(obj, attrs, [invalidValue(field, port, err.message)]);
  }
  request.portsInRequest.add(port);
  if (!request.dryRun) request.ports.push(port);
}

async function nextNodePort(request: RequestAllocations, what: string): Promise<number> {
  let port: number;
  try {
    port = await request.allocators.nodePorts.allocateNext(request.owner, request.dryRun, request.portsInRequest);
  } catch (err) {
    if (!(err instanceof AllocationError)) throw err;
    throw internalError(new Error(`${what}: ${err.message}`));
  }
  request.portsInRequest.add(port);
  if (!request.dryRun) request.ports.push(port);
  return port;
}

async function allocateHealthCheckNodePort(request: RequestAllocations, spec: ServiceSpecFields): Promise<void> {
  const wanted = spec.healthCheckNodePort;
  if (!wanted) {
    spec.healthCheckNodePort = await nextNodePort(request, 'failed to allocate a HealthCheck NodePort 0');
    return;
  }
  try {
    if (request.portsInRequest.has(wanted)) throw new AllocationError('Allocated', 'provided port is already allocated');
    await request.allocators.nodePorts.allocate(wanted, request.owner, request.dryRun);
  } catch (err) {
    if (!(err instanceof AllocationError)) throw err;
    throw internalError(new Error(`failed to allocate requested HealthCheck NodePort ${wanted}: ${err.message}`));
  }
  request.portsInRequest.add(wanted);
  if (!request.dryRun) request.ports.push(wanted);
}

async function updateHealthCheckNodePort(
  request: RequestAllocations, spec: ServiceSpecFields, old: ServiceSpecFields, releasePorts: number[], obj: KubeObject, attrs: AdmissionAttributes,
): Promise<void> {
  const needed = needsHealthCheckNodePort(old);
  const needs = needsHealthCheckNodePort(spec);
  if (!needed && needs) await allocateHealthCheckNodePort(request, spec);
  else if (needed && !needs && old.healthCheckNodePort) releasePorts.push(old.healthCheckNodePort);
  else if (needed && needs && old.healthCheckNodePort !== spec.healthCheckNodePort) {
    throw invalidService(obj, attrs, [
      invalidValue('spec.healthCheckNodePort', spec.healthCheckNodePort ?? 0, 'cannot change healthCheckNodePort on loadBalancer service with externalTraffic=Local during update'),
    ]);
  }
}
