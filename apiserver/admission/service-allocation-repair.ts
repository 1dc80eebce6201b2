/**
 * Repair of Service allocations (upstream's ClusterIP and NodePort repair controllers): for
 * ClusterIPs, IPAddress objects are made to match the Services ({@link repairServiceIPs}); for
 * NodePorts, reservations whose Service no longer holds the value are released, and values held
 * by Services without a reservation are re-reserved. Run once at start-up and then periodically.
 *
 * Reservations younger than `graceMs` are left alone: their Service write may still be in
 * flight on this or another API server.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ReservationOwner, ReservationStore } from './reservation-store.ts';
import type { ServiceAllocators } from './service-allocators.ts';
import { collectNodePorts, specOf } from './service-fields.ts';
import { repairServiceIPs } from './service-ip-repair.ts';
import type { AdmissionContext } from './types.ts';

export interface RepairOptions {
  /** Minimum age (ms) of a reservation before it may be released as a leak (default 60 s). */
  graceMs?: number;
  now?: () => number;
}

/** What a repair pass changed (values as stored: IP text, port number text). */
export interface RepairReport {
  releasedIps: string[];
  releasedPorts: string[];
  reservedIps: string[];
  reservedPorts: string[];
}

const SERVICES = { group: '', plural: 'services', namespaced: true } as const;

/** The storage prefix of all Services in all namespaces. */
export function servicesPrefix(ctx: AdmissionContext): string {
  const sample = ctx.keyFor(SERVICES, 'ns', 'name');
  return sample.slice(0, sample.length - 'ns/name'.length);
}

export async function repairServiceAllocations(ctx: AdmissionContext, allocators: ServiceAllocators, options: RepairOptions = {}): Promise<RepairReport> {
  const graceMs = options.graceMs ?? 60_000;
  const now = (options.now ?? Date.now)();
  const portHolders = new Map<string, ReservationOwner>();
  const { items } = await ctx.storage.list(servicesPrefix(ctx));
  for (const svc of items) {
    const owner = ownerOfStored(svc);
    const spec = specOf(svc);
    for (const port of collectNodePorts(spec)) {
      if (allocators.nodePorts.contains(port)) portHolders.set(String(port), owner);
      else allocators.logger.warn({ service: `${owner.namespace}/${owner.name}`, port }, 'node port outside the configured range');
    }
  }
  const ipResult = await repairServiceIPs({
    ctx, store: allocators.ips.reservations, services: items, serviceCIDRs: await allocators.ips.serviceCIDRs(),
    legacyPrefix: allocators.legacyIpPrefix, now, graceMs, events: allocators.events,
  });
  const ips = { released: ipResult.released, reserved: ipResult.reserved };
  const ports = await reconcile(allocators.nodePorts.reservations, portHolders, now, graceMs);
  const report = { releasedIps: ips.released, reservedIps: ips.reserved, releasedPorts: ports.released, reservedPorts: ports.reserved };
  if (ips.released.length + ips.reserved.length + ports.released.length + ports.reserved.length > 0) {
    allocators.logger.info(report, 'repaired service allocations');
  }
  return report;
}

function ownerOfStored(svc: KubeObject): ReservationOwner {
  const { namespace = '', name = '', uid } = svc.metadata;
  return { namespace, name, ...(uid ? { uid } : {}) };
}

async function reconcile(store: ReservationStore, holders: Map<string, ReservationOwner>, now: number, graceMs: number) {
  const released: string[] = [];
  const reserved: string[] = [];
  const existing = await store.list();
  for (const [value, reservation] of existing) {
    const holder = holders.get(value);
    if (holder) {
      const same = reservation.owner.namespace === holder.namespace && reservation.owner.name === holder.name && reservation.owner.uid === holder.uid;
      if (!same) await store.setOwner(value, holder);
      continue;
    }
    if (now - reservation.reservedAtMs < graceMs) continue;
    if (await store.deleteAt(value, reservation.revision)) released.push(value);
  }
  for (const [value, holder] of holders) {
    if (existing.has(value)) continue;
    if (await store.reserve(value, holder)) reserved.push(value);
  }
  return { released, reserved };
}
