/**
 * Repair of ClusterIP allocations (upstream RepairIPAddress, pkg/registry/core/service/
 * ipallocator/controller/repairip.go), one pass:
 * - every ClusterIP of a Service has an IPAddress naming that Service (created when missing,
 *   re-created when it names something else or lacks the allocator's labels), with upstream's
 *   event reasons (ClusterIPNotAllocated, ClusterIPOutOfRange, ClusterIPAlreadyAllocated);
 * - every allocator-managed IPAddress older than the grace period whose Service is gone, or no
 *   longer holds the address, is deleted (IPAddressNotAllocated, IPAddressWrongReference);
 * - reservation records of the previous store (`<prefix>/k8ts/serviceips/<ip>`) are removed, so
 *   a cluster written by older k8ts converges to IPAddress objects.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ServiceCIDR } from '../../pkg/api/networking/v1/servicecidr.ts';
import { formatIP, parseCidr, parseIP } from '../../pkg/net/index.ts';
import type { IpAddressRecord, IpAddressStore } from './ip-address-store.ts';
import type { ReservationOwner } from './reservation-store.ts';
import { rangeContains } from './service-cidr-ranges.ts';
import { collectClusterIPs, needsClusterIP, specOf } from './service-fields.ts';
import type { EventSink } from './storage-events.ts';
import type { AdmissionContext } from './types.ts';

/** What one pass changed, and the legacy records it removed. */
export interface IpRepairResult {
  released: string[];
  reserved: string[];
  legacyRemoved: number;
}

export interface IpRepairInput {
  ctx: AdmissionContext;
  store: IpAddressStore;
  services: readonly KubeObject[];
  /** Every ServiceCIDR (ready or not): an address in none of them is out of range. */
  serviceCIDRs: readonly ServiceCIDR[];
  /** Prefix of the old reservation records to remove. */
  legacyPrefix: string;
  now: number;
  graceMs: number;
  events: EventSink;
}

const ALLOC = 'ClusterIPAllocation';
const IP_ALLOC = 'IPAddressAllocation';

function familyOf(ip: string): string {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

function ownerOf(svc: KubeObject): ReservationOwner {
  return { namespace: svc.metadata.namespace ?? '', name: svc.metadata.name ?? '' };
}

/** Upstream servicecidr.ContainsIP over every ServiceCIDR, ready or not. */
function inAnyServiceCIDR(ip: string, serviceCIDRs: readonly ServiceCIDR[]): boolean {
  return serviceCIDRs.some((sc) => (sc.spec?.cidrs ?? []).some((text) => {
    const cidr = parseCidr(text);
    return !!cidr && rangeContains(cidr, ip);
  }));
}

export async function repairServiceIPs(input: IpRepairInput): Promise<IpRepairResult> {
  const { store, events } = input;
  const result: IpRepairResult = { released: [], reserved: [], legacyRemoved: 0 };
  const existing = await store.list();
  const holders = new Map<string, KubeObject>();
  for (const svc of input.services) {
    const spec = specOf(svc);
    if (!needsClusterIP(spec)) continue;
    for (const text of collectClusterIPs(spec)) {
      const parsed = parseIP(text);
      if (!parsed) {
        await events({ involved: svc, type: 'Warning', reason: 'ClusterIPNotValid', action: 'ClusterIPValidation', message: `Cluster IP ${text} is not a valid IP; please recreate Service` });
        continue;
      }
      const ip = formatIP(parsed);
      const family = familyOf(ip);
      // The Service holds the address even when it is out of range: its IPAddress is not a leak.
      holders.set(ip, svc);
      if (!inAnyServiceCIDR(ip, input.serviceCIDRs)) {
        await events({ involved: svc, type: 'Warning', reason: 'ClusterIPOutOfRange', action: ALLOC, message: `Cluster IP [${family}]: ${ip} is not within any configured Service CIDR; please recreate service` });
        continue;
      }
      await repairServiceAddress({ input, svc, ip, family, record: existing.get(ip), result, holders });
    }
  }
  // A fresh snapshot: the Service pass may have created or re-created some.
  for (const record of (await store.list()).values()) await repairIPAddress(input, record, holders, result);
  result.legacyRemoved = await removeLegacyRecords(input);
  return result;
}

async function repairServiceAddress(args: {
  input: IpRepairInput; svc: KubeObject; ip: string; family: string; record: IpAddressRecord | undefined; result: IpRepairResult; holders: Map<string, KubeObject>;
}): Promise<void> {
  const { input, svc, ip, family, record, result } = args;
  const owner = ownerOf(svc);
  const { namespace, name } = owner;
  if (!record) {
    await input.events({ involved: svc, type: 'Warning', reason: 'ClusterIPNotAllocated', action: ALLOC, message: `Cluster IP [${family}]: ${ip} is not allocated; repairing` });
    if (await input.store.reserve(ip, owner)) result.reserved.push(ip);
    return;
  }
  const namesService = !!record.parentRef && !record.parentRef.group && record.parentRef.resource === 'services';
  const sameService = namesService && record.owner.namespace === namespace && record.owner.name === name;
  if (!sameService) {
    const other = namesService ? input.services.find((s) => s.metadata.namespace === record.owner.namespace && s.metadata.name === record.owner.name) : undefined;
    if (other && collectClusterIPs(specOf(other)).includes(ip)) {
      await input.events({ involved: svc, type: 'Warning', reason: 'ClusterIPAlreadyAllocated', action: ALLOC, message: `Cluster IP [${family}]:${ip} was assigned to multiple services; please recreate service` });
      args.holders.set(ip, other);
      return;
    }
    await input.events({ involved: svc, type: 'Warning', reason: 'ClusterIPNotAllocated', action: ALLOC, message: `the ClusterIP [${family}]: ${ip} for Service ${namespace}/${name} has a wrong reference; repairing` });
    if (await input.store.recreate(ip, record.revision, owner)) result.reserved.push(ip);
    return;
  }
  if (!record.labelsValid && (await input.store.recreate(ip, record.revision, owner))) result.reserved.push(ip);
}

async function repairIPAddress(input: IpRepairInput, record: IpAddressRecord, holders: Map<string, KubeObject>, result: IpRepairResult): Promise<void> {
  if (!record.managed) return;
  const ip = record.value;
  const involved: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'IPAddress', metadata: { name: ip } };
  const ref = record.parentRef;
  if (!ref || ref.group || ref.resource !== 'services') {
    await input.events({ involved, type: 'Warning', reason: 'IPAddressNotAllocated', action: IP_ALLOC, message: `IPAddress ${ip} appears to have been modified, not referencing a Service ${JSON.stringify(ref ?? null)}: cleaning up` });
    if (await input.store.deleteAt(ip, record.revision)) result.released.push(ip);
    return;
  }
  // Young addresses are left alone: their Service write may be in flight on some API server.
  if (input.now - record.reservedAtMs < input.graceMs) return;
  const svc = input.services.find((s) => s.metadata.namespace === ref.namespace && s.metadata.name === ref.name);
  if (!svc) {
    await input.events({ involved, type: 'Warning', reason: 'IPAddressNotAllocated', action: IP_ALLOC, message: `IPAddress: ${ip} for Service ${ref.namespace}/${ref.name} appears to have leaked: cleaning up` });
    if (await input.store.deleteAt(ip, record.revision)) result.released.push(ip);
    return;
  }
  if (holders.get(ip) === svc) return;
  await input.events({ involved, type: 'Warning', reason: 'IPAddressWrongReference', action: IP_ALLOC, message: `IPAddress: ${ip} for Service ${ref.namespace}/${ref.name} has a wrong reference; cleaning up` });
  if (await input.store.deleteAt(ip, record.revision)) result.released.push(ip);
}

async function removeLegacyRecords(input: IpRepairInput): Promise<number> {
  let removed = 0;
  for (const obj of (await input.ctx.storage.list(input.legacyPrefix)).items) {
    try {
      await input.ctx.storage.delete(`${input.legacyPrefix}${obj.metadata.name}`, Number(obj.metadata.resourceVersion));
      removed++;
    } catch {
      // gone or changed meanwhile: the next pass looks again
    }
  }
  return removed;
}
