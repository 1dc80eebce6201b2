/** Service, Endpoints and EndpointSlice printers (upstream printService / formatEndpoints). */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, arr, formatLabels, get, isObject, num, str } from './format.ts';
import type { Printer } from './printer.ts';

type Json = Record<string, unknown>;

/** `80:32143/TCP,88/TCP`, `<none>` without ports. */
export function servicePorts(ports: Json[]): string {
  if (!ports.length) return '<none>';
  return ports.map((p) => (num(p.nodePort) ? `${num(p.port)}:${num(p.nodePort)}/${str(p.protocol) || 'TCP'}` : `${num(p.port)}/${str(p.protocol) || 'TCP'}`)).join(',');
}

function externalIP(svc: Json): string {
  const spec = isObject(svc.spec) ? svc.spec : {};
  const external = Array.isArray(spec.externalIPs) ? (spec.externalIPs as string[]) : [];
  switch (str(spec.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = arr(get(svc, 'status', 'loadBalancer', 'ingress')).map((i) => str(i.ip) || str(i.hostname)).filter(Boolean);
      const all = [...ingress, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    col('Type', 'string', 0, 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 0, 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 0, 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 0, 'The list of ports that are exposed by this service.'),
    ageColumn,
    col('Selector', 'string', 1, 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  row(svc, now) {
    return [svc.metadata.name ?? '', str(get(svc, 'spec', 'type')) || 'ClusterIP', str(get(svc, 'spec', 'clusterIP')) || '<none>', externalIP(svc), servicePorts(arr(get(svc, 'spec', 'ports'))), age(svc, now), formatLabels(get(svc, 'spec', 'selector'))];
  },
};

/** Upstream formatEndpoints: at most three `ip:port` entries, then `+ N more...`. */
export function formatEndpoints(subsets: Json[]): string {
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = arr(ss.addresses);
    const ports = arr(ss.ports);
    const targets = ports.length ? ports.map((p) => num(p.port)) : [undefined];
    for (const port of targets) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        const ip = str(a.ip);
        list.push(port === undefined ? ip : ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn, col('Endpoints', 'string', 0, 'Endpoints is the list of endpoints of the service.'), ageColumn],
  row(ep, now) {
    return [ep.metadata.name ?? '', formatEndpoints(arr(ep.subsets)), age(ep, now)];
  },
};

export const endpointSlicePrinter: Printer = {
  columns: [nameColumn, col('AddressType', 'string', 0, 'Type of address carried by this EndpointSlice.'), col('Ports', 'string', 0, 'Ports provided by this EndpointSlice.'), col('Endpoints', 'string', 0, 'Endpoints included in this EndpointSlice.'), ageColumn],
  row(slice, now) {
    const ports = arr(slice.ports);
    const portsText = ports.length ? ports.map((p) => (p.port === undefined || p.port === null ? '<unset>' : String(p.port))).join(',') : '<unset>';
    const addresses = arr(slice.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? (e.addresses as string[]) : []));
    let endpoints = '<unset>';
    if (addresses.length) endpoints = addresses.length > 3 ? `${addresses.slice(0, 3).join(',')} + ${addresses.length - 3} more...` : addresses.join(',');
    return [slice.metadata.name ?? '', str(slice.addressType), portsText, endpoints, age(slice, now)];
  },
};
