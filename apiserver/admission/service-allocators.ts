/**
 * The two storage-backed allocators a Service needs, built from the server flags. One pair per
 * API server; any number of servers may share the same storage.
 */
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AdmissionContext } from './types.ts';
import { ReservationStore } from './reservation-store.ts';
import { DEFAULT_SERVICE_CLUSTER_IP_RANGE, parseServiceCidr, ServiceIpAllocator } from './service-ip-allocator.ts';
import { storageEventSink, type EventSink } from './storage-events.ts';
import { formatCidr } from '../../pkg/net/index.ts';
import { IpAddressStore } from './ip-address-store.ts';
import { storageServiceCidrSource } from './service-cidr-source.ts';
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
  /** Where the repair records its events (core/v1 Events from `ipallocator-repair-controller`). */
  events: EventSink;
  /** Prefix of the ClusterIP reservation records older k8ts wrote (removed by the repair). */
  legacyIpPrefix: string;
}

/**
 * Storage key prefix for reservations of one kind: `<prefix>/k8ts/<plural>/`. Only NodePorts are
 * kept there now; `serviceips` is where clusters written before IPAddress objects kept their
 * ClusterIPs (the repair removes those records).
 */
export function reservationPrefix(ctx: AdmissionContext, plural: 'serviceips' | 'nodeports'): string {
  return ctx.keyFor({ group: 'k8ts', plural, namespaced: false }, undefined, '');
}

/** Throws a plain Error at start-up when a range flag is malformed. */
export function createServiceAllocators(ctx: AdmissionContext, options: ServiceAllocationOptions = {}): ServiceAllocators {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const range = formatCidr(parseServiceCidr(options.serviceClusterIpRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE));
  const logger = (options.logger ?? pino({ level: 'warn' })).child({ component: 'service-allocation' });
  const ipStore = new IpAddressStore(ctx, now);
  const portStore = new ReservationStore(ctx.storage, reservationPrefix(ctx, 'nodeports'), 'NodePortReservation', now);
  return {
    ips: new ServiceIpAllocator(ipStore, storageServiceCidrSource(ctx, [range]), range, random),
    nodePorts: new NodePortAllocator(portStore, options.serviceNodePortRange ?? DEFAULT_SERVICE_NODE_PORT_RANGE, random),
    logger,
    events: storageEventSink(ctx, { controller: 'ipallocator-repair-controller', now, logger }),
    legacyIpPrefix: reservationPrefix(ctx, 'serviceips'),
  };
}
