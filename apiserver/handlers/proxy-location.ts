/**
 * Where the `proxy` subresource of pods, services and nodes goes (upstream's `ResourceLocation`
 * of each REST storage), as pure functions of the object read for the request. The id in the URL
 * is `name`, `name:port` or `scheme:name:port` (upstream `SplitSchemeNamePort`).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError, badRequest } from '../../pkg/errors/index.ts';
import { joinHostPort } from '../../pkg/net/host-port.ts';
import { nodeEndpoint } from './kubelet-location.ts';

/** A proxy id taken apart; `port` is `''` when none was given. */
export interface ProxyId {
  scheme: '' | 'http' | 'https';
  name: string;
  port: string;
}

/** Where a proxied request goes: `scheme://host[:port]`, and whether it is the kubelet's own port (its TLS transport). */
export interface ProxyLocation {
  origin: string;
  kubelet: boolean;
}

/** Splits `name`, `name:port` or `scheme:name:port`; undefined when invalid (empty name, other scheme, more parts). Pure. */
export function splitSchemeNamePort(id: string): ProxyId | undefined {
  const parts = id.split(':');
  let out: ProxyId;
  if (parts.length === 1) out = { scheme: '', name: parts[0]!, port: '' };
  else if (parts.length === 2) out = { scheme: '', name: parts[0]!, port: parts[1]! };
  else if (parts.length === 3) out = { scheme: parts[0] as ProxyId['scheme'], name: parts[1]!, port: parts[2]! };
  else return undefined;
  if (!out.name || !['', 'http', 'https'].includes(out.scheme)) return undefined;
  return out;
}

/** Whether `ip` is a global unicast address (not unspecified, loopback, link-local or multicast), as Go's `IsGlobalUnicast`. */
export function isGlobalUnicast(ip: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const o = ip.split('.').map(Number);
    if (o.some((n) => n > 255)) return false;
    const [a, b] = o as [number, number];
    return !(a === 0 || a === 127 || a >= 224 || (a === 169 && b === 254) || ip === '255.255.255.255');
  }
  if (!ip.includes(':')) return false;
  const lower = ip.toLowerCase();
  return !(lower === '::' || lower === '::1' || lower.startsWith('fe8') || lower.startsWith('fe9') || lower.startsWith('fea') || lower.startsWith('feb') || lower.startsWith('ff'));
}

type PodShape = KubeObject & { spec?: { containers?: Array<{ ports?: Array<{ containerPort?: number }> }> }; status?: { podIP?: string; podIPs?: Array<{ ip?: string }> } };

/** A pod's location: the id's port, else the first declared container port; the pod IP must be global unicast. */
export function podProxyLocation(pod: KubeObject, id: ProxyId): ProxyLocation {
  const p = pod as PodShape;
  let port = id.port;
  if (port === '') {
    const declared = (p.spec?.containers ?? []).find((c) => (c.ports ?? []).length > 0)?.ports?.[0]?.containerPort;
    if (declared !== undefined) port = String(declared);
  }
  const ip = p.status?.podIP ?? p.status?.podIPs?.[0]?.ip ?? '';
  if (!isGlobalUnicast(ip)) throw badRequest('address not allowed');
  return { origin: `${id.scheme || 'http'}://${joinHostPort(ip, port)}`, kubelet: false };
}

type ServiceShape = KubeObject & { spec?: { ports?: Array<{ name?: string; port?: number }> } };
type EndpointsShape = KubeObject & { subsets?: Array<{ addresses?: Array<{ ip?: string }>; ports?: Array<{ name?: string; port?: number }> }> };

const serviceUnavailable = (message: string) => new ApiError({ code: 503, reason: 'ServiceUnavailable', message });

/**
 * A service's location: a numeric port is first mapped to its service port's name, then a random
 * ready address of a subset serving that port name (`random(n)`: an integer in [0, n)).
 */
export function serviceProxyLocation(service: KubeObject | undefined, endpoints: KubeObject | undefined, id: ProxyId, rawId: string, random: (n: number) => number): ProxyLocation {
  let portName = id.port;
  if (/^[+-]?\d+$/.test(portName)) {
    const num = Number(portName);
    const match = ((service as ServiceShape | undefined)?.spec?.ports ?? []).find((p) => p.port === num);
    if (!match) throw serviceUnavailable(`no service port ${num} found for service "${id.name}"`);
    portName = match.name ?? '';
  }
  const subsets = (endpoints as EndpointsShape | undefined)?.subsets ?? [];
  if (subsets.length === 0) throw serviceUnavailable(`no endpoints available for service "${id.name}"`);
  const start = random(subsets.length);
  for (let s = 0; s < subsets.length; s++) {
    const subset = subsets[(start + s) % subsets.length]!;
    const addresses = (subset.addresses ?? []).filter((a) => a.ip);
    const port = (subset.ports ?? []).find((p) => (p.name ?? '') === portName);
    if (addresses.length === 0 || !port?.port) continue;
    const address = addresses[random(addresses.length)]!;
    return { origin: `${id.scheme || 'http'}://${joinHostPort(address.ip!, port.port)}`, kubelet: false };
  }
  throw serviceUnavailable(`no endpoints available for service "${rawId}"`);
}

/**
 * A node's location: its kubelet (scheme of the server's kubelet transport) when no port or the
 * kubelet's port is asked for, else plain `scheme://address:port`.
 */
export function nodeProxyLocation(node: KubeObject, id: ProxyId, kubeletScheme: 'http' | 'https'): ProxyLocation {
  const { address, kubeletPort } = nodeEndpoint(node);
  if (!address) throw serviceUnavailable(`no kubelet connection is available for node "${id.name}"`);
  if (id.port === '' || id.port === String(kubeletPort)) {
    if (!kubeletPort) throw serviceUnavailable(`no kubelet connection is available for node "${id.name}"`);
    return { origin: `${kubeletScheme}://${joinHostPort(address, kubeletPort)}`, kubelet: true };
  }
  return { origin: `${id.scheme || 'http'}://${joinHostPort(address, id.port)}`, kubelet: false };
}

/**
 * The path a proxied request asks for (upstream `JoinPreservingTrailingSlash` of the location's
 * empty path and the request's): `''` when the request named nothing after `/proxy`, else a
 * cleaned absolute path keeping its trailing slash. Percent-encoding is kept. Pure.
 */
export function proxyTargetPath(proxyPath: string): string {
  if (proxyPath === '' ) return '';
  const out: string[] = [];
  for (const seg of proxyPath.split('/')) {
    const plain = seg.toLowerCase().replace(/%2e/g, '.');
    if (seg === '' || plain === '.') continue;
    if (plain === '..') out.pop();
    else out.push(seg);
  }
  const joined = `/${out.join('/')}`;
  return proxyPath.endsWith('/') && joined !== '/' ? `${joined}/` : joined;
}
