/**
 * The two storage-backed allocators a Service needs, built from the server flags. One pair per
 * API server; any number of servers may share the same storage.
 */
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AdmissionContext } from './types.ts';
import { ReservationStore } from './reservation-store.ts';
import { DEFAULT_SERVICE_CLUSTER_IP_RANGE, ServiceIpAllocator } from './service-ip-allocator.ts';
import { DEFAULT_SERVICE_NODE_PORT_RANGE, NodePortAllocator } from './service-nodeport-allocator.ts';

/** Flags and test hooks for Service allocation. */
export interface ServiceAllocationOptions {
  /** `--service-cluster-ip-range`, default `10.96.0.0/12`. */
  serviceClusterIpRange?: string;
  /** `--service-node-port-range`, default `30000-32767`. */
  serviceNodePortRange?: string;
  /** [0, 1) source for random picks (tests inject a fixed sequence). */
  random?: () => number;
  /** Clock for reservation timestamps (epoch ms). */
  now?: () => number;
  logger?: Logger;
}

export interface ServiceAllocators {
  ips: ServiceIpAllocator;
  nodePorts: NodePortAllocator;
  logger: Logger;
}

/** Storage key prefix for reservations of one kind: `<prefix>/k8ts/<plural>/`. */
export function reservationPrefix(ctx: AdmissionContext, plural: 'serviceips' | 'nodeports'): string {
  return ctx.keyFor({ group: 'k8ts', plural, namespaced: false }, undefined, '');
}

/** Throws a plain Error at start-up when a range flag is malformed. */
export function createServiceAllocators(ctx: AdmissionContext, options: ServiceAllocationOptions = {}): ServiceAllocators {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const ipStore = new ReservationStore(ctx.storage, reservationPrefix(ctx, 'serviceips'), 'ServiceIPReservation', now);
  const portStore = new ReservationStore(ctx.storage, reservationPrefix(ctx, 'nodeports'), 'NodePortReservation', now);
  return {
    ips: new ServiceIpAllocator(ipStore, options.serviceClusterIpRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE, random),
    nodePorts: new NodePortAllocator(portStore, options.serviceNodePortRange ?? DEFAULT_SERVICE_NODE_PORT_RANGE, random),
    logger: (options.logger ?? pino({ level: 'warn' })).child({ component: 'service-allocation' }),
  };
}
