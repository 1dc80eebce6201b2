/**
 * Node pod-CIDR allocation (upstream `RangeAllocator` of the nodeipam controller), pure: the
 * cluster CIDR is cut into subnets of `maskSize` bits; the first free one (not used by any node)
 * goes to the next node without one. Returns undefined when the range is full.
 */
import { formatCidr, parseCidr, type Cidr } from '../../../pkg/net/index.ts';

/** The `index`-th subnet of `clusterCidr` with `maskSize`. */
export function subnetAt(cluster: Cidr, maskSize: number, index: number): Cidr {
  const bits = cluster.family === 'IPv4' ? 32 : 128;
  const base = cluster.base + (BigInt(index) << BigInt(bits - maskSize));
  return { family: cluster.family, base, prefixLength: maskSize };
}

/** The first subnet not in `used`, or undefined when all are taken (or the mask is too wide). */
export function nextFreeSubnet(clusterCidr: string, maskSize: number, used: ReadonlySet<string>): string | undefined {
  const cluster = parseCidr(clusterCidr);
  if (!cluster || maskSize < cluster.prefixLength) return undefined;
  const count = 2 ** Math.min(30, maskSize - cluster.prefixLength);
  for (let i = 0; i < count; i++) {
    const candidate = formatCidr(subnetAt(cluster, maskSize, i));
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}
