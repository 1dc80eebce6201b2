import { hash as oneShotHash } from 'node:crypto';
import type { ChainNaming } from '../model.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The first `chars` characters of the RFC 4648 base32 encoding of sha256(`input`, UTF-8). The
 * digest is taken as a 'binary' (latin1) string, one character per byte: cheaper to make and to
 * read than a Buffer or hex, and a first sync names every chain.
 */
export function sha256Base32(input: string, chars: number): string {
  const d = oneShotHash('sha256', input, 'binary');
  let out = '';
  // Five bytes make eight base32 characters.
  for (let i = 0; out.length < chars; i += 5) {
    const b0 = d.charCodeAt(i);
    const b1 = d.charCodeAt(i + 1);
    const b2 = d.charCodeAt(i + 2);
    const b3 = d.charCodeAt(i + 3);
    const b4 = d.charCodeAt(i + 4);
    out +=
      BASE32[b0 >> 3]! +
      BASE32[((b0 & 7) << 2) | (b1 >> 6)]! +
      BASE32[(b1 >> 1) & 31]! +
      BASE32[((b1 & 1) << 4) | (b2 >> 4)]! +
      BASE32[((b2 & 15) << 1) | (b3 >> 7)]! +
      BASE32[(b3 >> 2) & 31]! +
      BASE32[((b3 & 3) << 3) | (b4 >> 5)]! +
      BASE32[b4 & 31]!;
  }
  return out.slice(0, chars);
}

/** Upstream portProtoHash: first 16 chars of base32(sha256(servicePortName + protocol [+ endpoint])). */
export function portProtoHash(servicePortName: string, protocol: string, endpoint = ''): string {
  return sha256Base32(servicePortName + protocol.toLowerCase() + endpoint, 16);
}

/** KUBE-SVC-… chain of a service port (cluster traffic). */
export const serviceChain = (spn: string, proto: string): string => `KUBE-SVC-${portProtoHash(spn, proto)}`;
/** KUBE-SVL-… chain (local endpoints only). */
export const localChain = (spn: string, proto: string): string => `KUBE-SVL-${portProtoHash(spn, proto)}`;
/** KUBE-EXT-… chain (external destinations). */
export const externalChain = (spn: string, proto: string): string => `KUBE-EXT-${portProtoHash(spn, proto)}`;
/** KUBE-FW-… chain (load balancer source ranges). */
export const firewallChain = (spn: string, proto: string): string => `KUBE-FW-${portProtoHash(spn, proto)}`;
/** KUBE-SEP-… chain of one endpoint. */
export const endpointChain = (spn: string, proto: string, endpoint: string): string =>
  `KUBE-SEP-${portProtoHash(spn, proto, endpoint)}`;

/** The iptables mode's chain names, computed when ports and endpoints are tracked: KUBE-SVC/SVL/EXT/FW-<servicePort>, KUBE-SEP-<endpoint>. */
export const IPTABLES_CHAIN_NAMING: ChainNaming = {
  servicePort: (spn, protocol) => portProtoHash(spn, protocol),
  endpoint: (spn, protocol, endpoint) => portProtoHash(spn, protocol, endpoint),
};
