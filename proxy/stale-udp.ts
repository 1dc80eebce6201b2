import type { PendingChange } from './change-tracker.ts';
import { usableEndpoints } from './categorize-endpoints.ts';
import type { EndpointInfo, ServicePortInfo } from './model.ts';

/** One `conntrack -D -p udp --orig-dst <serviceIP> --dst-nat <endpointIP>` to run. */
export interface StaleUdpEntry {
  serviceIP: string;
  endpointIP: string;
}

/**
 * The conntrack entries to delete after a sync (pure): for every UDP service port whose endpoints
 * changed, each endpoint IP that was usable before and is not now, paired with every address of
 * the service (cluster IP, external IPs, LB IPs). Without this, UDP flows keep going to the gone
 * endpoint (upstream conntrack.CleanStaleEntries). TCP/SCTP ports are skipped: their entries end
 * with the connection.
 */
export function staleUdpEntries(
  changes: ReadonlyMap<string, PendingChange<Map<string, EndpointInfo[]>>>,
  servicePorts: ReadonlyMap<string, Map<string, ServicePortInfo>>,
): StaleUdpEntry[] {
  const out: StaleUdpEntry[] = [];
  const seen = new Set<string>();
  for (const [svcKey, change] of changes) {
    const ports = servicePorts.get(svcKey);
    for (const [key, before] of change.previous ?? []) {
      const info = ports?.get(key);
      if (!info || info.protocol !== 'UDP') continue;
      const now = new Set(usableEndpoints(change.current?.get(key) ?? []).map((e) => e.ip));
      const serviceIPs = [info.clusterIP, ...info.externalIPs, ...info.loadBalancerIPs];
      for (const ep of usableEndpoints(before)) {
        if (now.has(ep.ip)) continue;
        for (const serviceIP of serviceIPs) {
          const id = `${serviceIP} ${ep.ip}`;
          if (seen.has(id)) continue;
          seen.add(id);
          out.push({ serviceIP, endpointIP: ep.ip });
        }
      }
    }
  }
  return out;
}
