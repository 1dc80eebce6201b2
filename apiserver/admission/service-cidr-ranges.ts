/**
 * Which ServiceCIDRs ClusterIPs may come from (upstream MetaAllocator.syncAllocators): a CIDR of
 * the allocator's family belonging to a ServiceCIDR that is Ready (or has no Ready condition yet:
 * the controller-manager may not run) and not being deleted. IPv6 CIDRs shorter than /64 get no
 * allocator upstream and are skipped. Pure.
 */
import { serviceCIDRReadyCondition, type ServiceCIDR } from '../../pkg/api/networking/v1/servicecidr.ts';
import { cidrSize, formatCidr, indexOf, parseCidr, parseIP, type Cidr, type IpFamily } from '../../pkg/net/index.ts';

/** One usable block: the usable addresses are indexes 1 … size-2 (IPv4) or 1 … size-1 (IPv6). */
export interface CidrRange {
  cidr: Cidr;
  text: string;
  /** Names of the ServiceCIDRs listing this block. */
  owners: string[];
}

/** Upstream isReady: Ready=True, or no Ready condition at all. */
export function isServiceCIDRReady(sc: ServiceCIDR): boolean {
  const ready = serviceCIDRReadyCondition(sc);
  return !ready || ready.status === 'True';
}

/**
 * The allocatable blocks of `family`, one per distinct CIDR, the default ServiceCIDR's first and
 * the rest by ServiceCIDR name (upstream walks a Go map; a fixed order keeps tests stable).
 */
export function allocatableRanges(serviceCIDRs: readonly ServiceCIDR[], family: IpFamily, defaultName = 'kubernetes'): CidrRange[] {
  const ordered = [...serviceCIDRs].sort((a, b) => rank(a, defaultName) - rank(b, defaultName) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const byText = new Map<string, CidrRange>();
  for (const sc of ordered) {
    if (sc.metadata.deletionTimestamp || !isServiceCIDRReady(sc)) continue;
    for (const text of sc.spec?.cidrs ?? []) {
      const cidr = parseCidr(text);
      if (!cidr || cidr.family !== family || (family === 'IPv6' && cidr.prefixLength < 64) || cidrSize(cidr) < 4n) continue;
      const key = formatCidr(cidr);
      const existing = byText.get(key);
      if (existing) existing.owners.push(sc.metadata.name ?? '');
      else byText.set(key, { cidr, text: key, owners: [sc.metadata.name ?? ''] });
    }
  }
  return [...byText.values()];
}

function rank(sc: ServiceCIDR, defaultName: string): number {
  return sc.metadata.name === defaultName ? 0 : 1;
}

/** The index of an address usable for Services in `range` (not the network or IPv4 broadcast address). */
export function usableIndex(range: Cidr, ipText: string): bigint | undefined {
  const ip = parseIP(ipText);
  const index = ip && indexOf(range, ip);
  if (index === undefined || index < 1n) return undefined;
  const last = range.family === 'IPv4' ? cidrSize(range) - 2n : cidrSize(range) - 1n;
  return index <= last ? index : undefined;
}

/** Whether the block contains the address at all. */
export function rangeContains(range: Cidr, ipText: string): boolean {
  const ip = parseIP(ipText);
  return !!ip && indexOf(range, ip) !== undefined;
}
