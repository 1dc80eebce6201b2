/**
 * Endpoints subsets in canonical form (upstream `endpoints.RepackSubsets`), which the mirroring
 * controller applies before it mirrors. Pure.
 */
import type { EndpointAddress, EndpointPort, EndpointSubset } from '../../../pkg/api/core/v1/endpoints.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

type Address = DeepReadonly<EndpointAddress>;
type Port = DeepReadonly<EndpointPort>;

/** A canonical subset: every list present, addresses sorted by IP then target UID. */
export interface RepackedSubset {
  readonly addresses: readonly Address[];
  readonly notReadyAddresses: readonly Address[];
  readonly ports: readonly Port[];
}

/** Addresses are one address when IP and target UID agree (two pods may share a node IP). */
const addressKey = (a: Address) => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;
const portKey = (p: Port) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]);

function compareAddresses(a: Address, b: Address): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid;
  const ub = b.targetRef?.uid;
  if (ua === ub) return 0;
  if (ub === undefined) return 1;
  if (ua === undefined) return -1;
  return ua < ub ? -1 : 1;
}

/**
 * The same (address, port, readiness) facts regrouped: an address listed more than once counts
 * once, not-ready wins over ready for the same port, and ports offered by exactly the same
 * addresses (with the same readiness) share one subset. Addresses of a subset without ports are
 * kept, in a subset without ports. Subset order is deterministic but carries no meaning.
 */
export function repackSubsets(subsets: readonly DeepReadonly<EndpointSubset>[]): RepackedSubset[] {
  const firstSeen = new Map<string, Address>();
  // Port key (undefined port = "no ports" sentinel) → address key → ready.
  const byPort = new Map<string, { port: Port | undefined; readiness: Map<string, boolean> }>();
  const record = (port: Port | undefined, address: Address, ready: boolean) => {
    const key = addressKey(address);
    if (!firstSeen.has(key)) firstSeen.set(key, address);
    const pk = port ? portKey(port) : '';
    const entry = byPort.get(pk) ?? { port, readiness: new Map<string, boolean>() };
    byPort.set(pk, entry);
    if (entry.readiness.get(key) !== false) entry.readiness.set(key, ready);
  };
  for (const subset of subsets) {
    const ports: readonly (Port | undefined)[] = subset.ports?.length ? subset.ports : [undefined];
    for (const port of ports) {
      for (const a of subset.addresses ?? []) record(port, a, true);
      for (const a of subset.notReadyAddresses ?? []) record(port, a, false);
    }
  }

  const groups = new Map<string, { readiness: Map<string, boolean>; ports: Port[] }>();
  for (const { port, readiness } of byPort.values()) {
    const fingerprint = JSON.stringify([...readiness.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const group = groups.get(fingerprint) ?? { readiness, ports: [] };
    groups.set(fingerprint, group);
    if (port) group.ports.push(port);
  }

  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { readiness, ports }]) => {
      const pick = (ready: boolean) => [...readiness.entries()].filter(([, r]) => r === ready).map(([key]) => firstSeen.get(key) as Address).sort(compareAddresses);
      return { addresses: pick(true), notReadyAddresses: pick(false), ports: [...ports].sort((a, b) => (portKey(a) < portKey(b) ? -1 : 1)) };
    });
}
