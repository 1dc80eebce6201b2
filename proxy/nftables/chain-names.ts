import { sha256Base32 } from '../iptables/chain-names.ts';

/** Longest chain/set name nftables accepts (knftables.NameLengthMax). */
const NAME_LENGTH_MAX = 256;
/** Longest prefix ("service-", "endpoint-", …) including its hyphen, as upstream reserves. */
const PREFIX_LENGTH_MAX = 16;
const BASE_LENGTH_MAX = NAME_LENGTH_MAX - PREFIX_LENGTH_MAX;

/**
 * Upstream hashAndTruncate: `base32(sha256(name))[0:8] + "-" + name`, cut to 240 characters
 * (ending in "...") when longer, so names stay unique and visually distinct.
 */
export function hashAndTruncate(name: string): string {
  const hash = sha256Base32(name, 8);
  const out = `${hash}-${name}`;
  return out.length > BASE_LENGTH_MAX ? `${out.slice(0, BASE_LENGTH_MAX - 3)}...` : out;
}

/** `namespace/name/protocol/portName` of a service port (upstream servicePortChainNameBase). */
function portBase(namespace: string, name: string, protocol: string, portName: string): string {
  return hashAndTruncate(`${namespace}/${name}/${protocol.toLowerCase()}/${portName}`);
}

/** `…__ip/port` of one endpoint of a service port; IPv6 colons become dots (upstream). */
function endpointBase(namespace: string, name: string, protocol: string, portName: string, ip: string, port: number): string {
  return hashAndTruncate(`${namespace}/${name}/${protocol.toLowerCase()}/${portName}__${ip.replaceAll(':', '.')}/${port}`);
}

/** Identity of a service port for naming: namespace, service name, protocol and port name. */
export interface PortIdentity {
  namespace: string;
  name: string;
  protocol: string;
  portName: string;
}

/** `service-HASH-ns/name/proto/port`: the cluster-policy chain of a service port. */
export const nftServiceChain = (p: PortIdentity): string => `service-${portBase(p.namespace, p.name, p.protocol, p.portName)}`;
/** `external-HASH-ns/name/proto/port`: the chain external (NodePort) traffic enters. */
export const nftExternalChain = (p: PortIdentity): string => `external-${portBase(p.namespace, p.name, p.protocol, p.portName)}`;
/** `endpoint-HASH-ns/name/proto/port__ip/port`: the DNAT chain of one endpoint. */
export const nftEndpointChain = (p: PortIdentity, ip: string, port: number): string =>
  `endpoint-${endpointBase(p.namespace, p.name, p.protocol, p.portName, ip, port)}`;
/** `affinity-HASH-…__ip/port`: the ClientIP affinity set of one endpoint. */
export const nftAffinitySet = (p: PortIdentity, ip: string, port: number): string =>
  `affinity-${endpointBase(p.namespace, p.name, p.protocol, p.portName, ip, port)}`;
/** `local-HASH-ns/name/proto/port`: the local-policy chain of a service port (upstream prefix). */
export const nftLocalChain = (p: PortIdentity): string => `local-${portBase(p.namespace, p.name, p.protocol, p.portName)}`;
/** `firewall-HASH-ns/name/proto/port`: drops load-balancer traffic from outside loadBalancerSourceRanges (upstream prefix). */
export const nftFirewallChain = (p: PortIdentity): string => `firewall-${portBase(p.namespace, p.name, p.protocol, p.portName)}`;
