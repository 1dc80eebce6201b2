/**
 * One Endpoints address or port in EndpointSlice form (upstream `addressToEndpoint` and
 * `epPortsToEpsPorts`). Pure.
 */
import type { EndpointAddress, EndpointPort } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Endpoint, EndpointSlicePort } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { formatIP, parseIP, type IpFamily } from '../../../pkg/net/ip.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

/** An address as upstream's sloppy parser reads it: its family and canonical text. */
export interface CanonicalIP {
  readonly family: IpFamily;
  readonly text: string;
}

const IPV4_MAPPED_PREFIX = 0xffffn << 32n;

/** Drops leading zeros from the dotted-quad part (`010.0.0.1` reads as 10.0.0.1, as Go's ParseIPSloppy). */
function withoutLeadingZeros(text: string): string {
  const lastColon = text.lastIndexOf(':');
  const head = text.slice(0, lastColon + 1);
  const quad = text.slice(lastColon + 1);
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(quad)) return text;
  return head + quad.split('.').map((octet) => String(Number(octet))).join('.');
}

/**
 * Parses an Endpoints IP the way the mirroring controller does: leading zeros in IPv4 octets
 * accepted, IPv4-mapped IPv6 (`::ffff:a.b.c.d`) read as IPv4, text re-rendered canonically.
 * Undefined when it is not an IP address (such addresses are skipped, not mirrored).
 */
export function canonicalIP(text: string): CanonicalIP | undefined {
  const parsed = parseIP(withoutLeadingZeros(text));
  if (!parsed) return undefined;
  if (parsed.family === 'IPv6' && parsed.value >> 32n === IPV4_MAPPED_PREFIX >> 32n) {
    return { family: 'IPv4', text: formatIP({ family: 'IPv4', value: parsed.value & 0xffffffffn }) };
  }
  return { family: parsed.family, text: formatIP(parsed) };
}

/** A mirrored endpoint and the slice address type it belongs in. */
export interface MirroredEndpoint {
  readonly addressType: IpFamily;
  readonly endpoint: Endpoint;
}

/**
 * The slice endpoint for one Endpoints address: its canonical IP, `conditions.ready` as given
 * (true for `addresses`, false for `notReadyAddresses`), hostname, nodeName and targetRef copied.
 * Undefined for an address that is not an IP.
 */
export function addressToEndpoint(address: DeepReadonly<EndpointAddress>, ready: boolean): MirroredEndpoint | undefined {
  const ip = canonicalIP(address.ip);
  if (!ip) return undefined;
  const endpoint: Endpoint = { addresses: [ip.text], conditions: { ready } };
  if (address.hostname) endpoint.hostname = address.hostname;
  if (address.nodeName !== undefined) endpoint.nodeName = address.nodeName;
  if (address.targetRef) endpoint.targetRef = copyJson(address.targetRef) as Endpoint['targetRef'];
  return { addressType: ip.family, endpoint };
}

/** Endpoints ports as slice ports: name (empty when unnamed), port, protocol, appProtocol. */
export function toSlicePorts(ports: readonly DeepReadonly<EndpointPort>[]): EndpointSlicePort[] {
  return ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}) }));
}
