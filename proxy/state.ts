import { ChangeTracker, type PendingChange } from './change-tracker.ts';
import { endpointsOfSlices, servicePortsOf, type ChainNaming, type EndpointInfo, type ServicePortInfo } from './model.ts';
import type { ProxiedServicePort } from './iptables/render.ts';
import { SERVICE_NAME_LABEL, type EndpointSliceLike, type ServiceLike } from './types.ts';

/** What changed since the last drain, and the full current state. */
export interface ProxySnapshot {
  all: ProxiedServicePort[];
  /** Service port keys whose service or endpoints changed. */
  changedPorts: Set<string>;
  /** The current entries of `changedPorts` (cheap: no walk over every service). */
  changed: ProxiedServicePort[];
  /** Port keys that existed before this drain in a changed service and exist no more. */
  removedPorts: Set<string>;
  endpointChanges: Map<string, PendingChange<Map<string, EndpointInfo[]>>>;
  servicePorts: ReadonlyMap<string, Map<string, ServicePortInfo>>;
}

/** Shared empty endpoint list, so unchanged services keep identical inputs across syncs. */
const NO_ENDPOINTS: EndpointInfo[] = [];

/**
 * The proxier's input: Services and EndpointSlices fed by informer events, tracked per Service
 * (`ns/name`) with change trackers that drop no-ops. Shared by every proxy mode; a mode that
 * names chains after ports and endpoints passes its {@link ChainNaming}.
 */
export class ProxyState {
  private readonly services = new ChangeTracker<Map<string, ServicePortInfo>>();
  private readonly endpoints = new ChangeTracker<Map<string, EndpointInfo[]>>();
  private readonly slices = new Map<string, Map<string, EndpointSliceLike>>();

  constructor(
    private readonly nodeName: string,
    private readonly naming?: ChainNaming,
  ) {}

  /** Record a Service add/update (`svc`) or delete (`undefined`); true when a change is pending. */
  onService(key: string, svc: ServiceLike | undefined): boolean {
    return this.services.update(key, svc ? servicePortsOf(svc, this.naming) : undefined);
  }

  /** Record an EndpointSlice add/update or delete; true when a change is pending. */
  onEndpointSlice(slice: EndpointSliceLike, deleted = false): boolean {
    const ns = slice.metadata.namespace ?? 'default';
    const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svcName) return false;
    const svcKey = `${ns}/${svcName}`;
    const forSvc = this.slices.get(svcKey) ?? new Map<string, EndpointSliceLike>();
    if (deleted) forSvc.delete(slice.metadata.name);
    else forSvc.set(slice.metadata.name, slice);
    if (forSvc.size === 0) this.slices.delete(svcKey);
    else this.slices.set(svcKey, forSvc);
    const eps = forSvc.size === 0 ? undefined : endpointsOfSlices([...forSvc.values()], ns, svcName, this.nodeName, this.naming, this.naming && this.endpoints.latest(svcKey));
    return this.endpoints.update(svcKey, eps);
  }

  /** Whether anything is pending. */
  get hasPending(): boolean {
    return this.services.pendingCount + this.endpoints.pendingCount > 0;
  }

  /** Take pending changes and return the full state plus what changed. */
  drain(): ProxySnapshot {
    const svcChanges = this.services.drain();
    const endpointChanges = this.endpoints.drain();
    const changedSvcs = new Set([...svcChanges.keys(), ...endpointChanges.keys()]);
    const changedPorts = new Set<string>();
    const removedPorts = new Set<string>();
    const changed: ProxiedServicePort[] = [];
    const epsBySvc = this.endpoints.appliedValues();
    const svcPorts = this.services.appliedValues();
    for (const svcKey of changedSvcs) {
      const ports = svcPorts.get(svcKey);
      const eps = epsBySvc.get(svcKey);
      for (const [key, info] of ports ?? []) {
        changedPorts.add(key);
        changed.push({ key, info, endpoints: eps?.get(key) ?? NO_ENDPOINTS });
      }
      for (const key of svcChanges.get(svcKey)?.previous?.keys() ?? []) if (!ports?.has(key)) removedPorts.add(key);
    }
    let all: ProxiedServicePort[] | undefined;
    return {
      // Built on first use: a partial nftables sync never needs every service.
      get all() {
        if (all) return all;
        all = [];
        for (const [svcKey, ports] of svcPorts) {
          const eps = epsBySvc.get(svcKey);
          for (const [key, info] of ports) all.push({ key, info, endpoints: eps?.get(key) ?? NO_ENDPOINTS });
        }
        return all;
      },
      changedPorts,
      changed,
      removedPorts,
      endpointChanges,
      servicePorts: svcPorts,
    };
  }
}
