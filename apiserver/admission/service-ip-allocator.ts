/**
 * ClusterIP allocation from the cluster's ServiceCIDRs (upstream MetaAllocator over one
 * ipallocator.Allocator per CIDR): every Ready ServiceCIDR of the cluster's family is a source of
 * addresses, and an address is taken when an IPAddress object named by it exists
 * ({@link IpAddressStore}). `--service-cluster-ip-range` becomes the `kubernetes` ServiceCIDR;
 * users extend the range by creating more ServiceCIDRs.
 *
 * Usable addresses exclude each block's network address and (IPv4) broadcast address. The first
 * usable address of the flag's range belongs to the `kubernetes` Service: it may be requested
 * explicitly but is never handed out by random allocation.
 */
import type { ServiceCIDR } from '../../pkg/api/networking/v1/servicecidr.ts';
import { addressAt, cidrSize, formatCidr, formatIP, parseCidr, type Cidr } from '../../pkg/net/index.ts';
import { AllocationError, rangeFull } from './allocation-error.ts';
import { pickFreeSlot, serviceIpRangeOffset } from './banded-range.ts';
import type { IpAddressStore } from './ip-address-store.ts';
import type { ReservationOwner } from './reservation-store.ts';
import { allocatableRanges, rangeContains, usableIndex, type CidrRange } from './service-cidr-ranges.ts';

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';

/** Usable slots are capped so that scans stay cheap on huge IPv6 ranges. */
const MAX_SLOTS = 1 << 20;

/** Upstream ErrMismatchedNetwork: the address is in no Ready ServiceCIDR. */
export const MISMATCHED_NETWORK = 'the provided network does not match the current range';

/** Parses the flag; throws a plain Error (a start-up configuration fault) when malformed. */
export function parseServiceCidr(text: string): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`invalid --service-cluster-ip-range ${JSON.stringify(text)}`);
  if (cidrSize(cidr) < 4n) throw new Error(`--service-cluster-ip-range ${text} is too small`);
  return cidr;
}

/** The address the `kubernetes` Service gets: the first usable address of the range. */
export function firstServiceIp(range: Cidr): string {
  return formatIP(addressAt(range, 1)!);
}

/** Where the allocator reads the cluster's ServiceCIDRs from (storage, in the API server). */
export interface ServiceCidrSource {
  list(): Promise<ServiceCIDR[]>;
}

function slotCount(range: Cidr): number {
  const size = cidrSize(range);
  const usable = range.family === 'IPv4' ? size - 2n : size - 1n;
  return Number(usable < BigInt(MAX_SLOTS) ? usable : BigInt(MAX_SLOTS));
}

/**
 * Contract: `allocate` / `allocateNext` create the IPAddress (atomic across servers) unless
 * `dryRun`, in which case they only check and return a value that was free at the time.
 * Failures throw {@link AllocationError} with upstream's message. `release` deletes the
 * IPAddress only when it names the given owner.
 */
export class ServiceIpAllocator {
  /** The flag's range: the cluster's family and the `kubernetes` Service's address. */
  readonly range: Cidr;
  readonly rangeText: string;
  private readonly kubernetesIp: string;

  constructor(
    private readonly store: IpAddressStore,
    private readonly cidrs: ServiceCidrSource,
    rangeText: string = DEFAULT_SERVICE_CLUSTER_IP_RANGE,
    private readonly random: () => number = Math.random,
  ) {
    this.range = parseServiceCidr(rangeText);
    this.rangeText = formatCidr(this.range);
    this.kubernetesIp = firstServiceIp(this.range);
  }

  /** Every ServiceCIDR, ready or not (the default one stands in when not stored). */
  serviceCIDRs(): Promise<ServiceCIDR[]> {
    return this.cidrs.list();
  }

  /** The blocks addresses may come from now. */
  async ranges(): Promise<CidrRange[]> {
    return allocatableRanges(await this.cidrs.list(), this.range.family);
  }

  /** Reserves a requested address. */
  async allocate(ipText: string, owner: ReservationOwner, dryRun: boolean): Promise<string> {
    const containing = (await this.ranges()).filter((r) => rangeContains(r.cidr, ipText));
    if (!containing.length) throw new AllocationError('NotInRange', MISMATCHED_NETWORK);
    const usable = containing.find((r) => usableIndex(r.cidr, ipText) !== undefined);
    if (!usable) {
      throw new AllocationError('NotInRange', `the provided IP (${ipText}) is not in the valid range. The range of valid IPs is ${containing[0].text}`);
    }
    const ip = formatIP(addressAt(usable.cidr, usableIndex(usable.cidr, ipText)!)!);
    const taken = dryRun ? (await this.store.get(ip)) !== undefined : !(await this.store.reserve(ip, owner));
    if (taken) throw new AllocationError('Allocated', 'provided IP is already allocated');
    return ip;
  }

  /** Reserves a random free address from the first block that has one (never the `kubernetes` Service's address). */
  async allocateNext(owner: ReservationOwner, dryRun: boolean): Promise<string> {
    const ranges = await this.ranges();
    const held = [...(await this.store.list()).keys()];
    for (const range of ranges) {
      const ip = await this.allocateIn(range.cidr, held, owner, dryRun);
      if (ip) return ip;
    }
    throw rangeFull();
  }

  private async allocateIn(range: Cidr, held: readonly string[], owner: ReservationOwner, dryRun: boolean): Promise<string | undefined> {
    const size = slotCount(range);
    const total = cidrSize(range);
    const offset = serviceIpRangeOffset(Number(total < BigInt(MAX_SLOTS) ? total : BigInt(MAX_SLOTS)));
    const slotOf = (ip: string) => {
      const index = usableIndex(range, ip);
      return index === undefined || index - 1n >= BigInt(size) ? undefined : Number(index - 1n);
    };
    const taken = new Set<number>();
    for (const ip of held) {
      const slot = slotOf(ip);
      if (slot !== undefined) taken.add(slot);
    }
    const excluded = new Set<number>();
    const reserved = slotOf(this.kubernetesIp);
    if (reserved !== undefined) excluded.add(reserved);
    for (;;) {
      const slot = pickFreeSlot({ size, offset, taken, excluded, random: this.random });
      if (slot === undefined) return undefined;
      const ip = formatIP(addressAt(range, BigInt(slot) + 1n)!);
      if (dryRun || (await this.store.reserve(ip, owner))) return ip;
      taken.add(slot); // another writer got there first; pick again
    }
  }

  /** Releases an address held by `owner`; false when it was not held by them. */
  async release(ipText: string, owner?: ReservationOwner): Promise<boolean> {
    return this.store.release(ipText, owner);
  }

  get reservations(): IpAddressStore {
    return this.store;
  }
}
