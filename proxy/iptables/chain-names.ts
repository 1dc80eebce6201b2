import { hash as oneShotHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (standard alphabet, with padding omitted — only prefixes are used). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The first `chars` characters of the RFC 4648 base32 encoding of the bytes written as `hex`
 * (base32 of a hex digest without making a Buffer: strings are cheaper to allocate and collect).
 */
export function base32OfHex(hex: string, chars: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; out.length < chars && i < hex.length; i++) {
    value = ((value << 4) | parseInt(hex[i]!, 16)) & 0xff;
    bits += 4;
    if (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Upstream portProtoHash: first 16 chars of base32(sha256(servicePortName + protocol [+ endpoint])). */
export function portProtoHash(servicePortName: string, protocol: string, endpoint = ''): string {
  const input = servicePortName + protocol.toLowerCase() + endpoint;
  let hash = hashCache.get(input);
  if (hash === undefined) {
    // 16 base32 characters are the first 80 bits: 10 bytes of the digest. The one-shot hash is ~3×
    // faster than createHash for inputs this small, and a first sync names every chain.
    hash = base32OfHex(oneShotHash('sha256', input, 'hex') as string, 16);
    // Bounded memo: chain names are recomputed for every service on every sync.
    if (hashCache.size >= HASH_CACHE_LIMIT) hashCache.clear();
    hashCache.set(input, hash);
  }
  return hash;
}

const HASH_CACHE_LIMIT = 500_000;
const hashCache = new Map<string, string>();

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
