/**
 * ClusterIP allocation from `--service-cluster-ip-range` (default 10.96.0.0/12), persisted as
 * one reservation per address under `<prefix>/k8ts/serviceips/<ip>`.
 *
 * Usable addresses exclude the network address and (IPv4) the broadcast address. The first
 * usable address (10.96.0.1) belongs to the `kubernetes` Service: it may be requested
 * explicitly but is never handed out by random allocation.
 */
import { addressAt, cidrSize, formatCidr, formatIP, indexOf, parseCidr, parseIP, type Cidr } from '../../pkg/net/index.ts';
import { AllocationError, rangeFull } from './allocation-error.ts';
import { pickFreeSlot, serviceIpRangeOffset } from './banded-range.ts';
import type { ReservationOwner, ReservationStore } from './reservation-store.ts';

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';

/** Usable slots are capped so that scans stay cheap on huge IPv6 ranges. */
const MAX_SLOTS = 1 << 20;

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

/**
 * Contract: `allocate` / `allocateNext` reserve in storage (atomic across servers) unless
 * `dryRun`, in which case they only check and return a value that was free at the time.
 * Failures throw {@link AllocationError} with upstream's message.
 */
export class ServiceIpAllocator {
  readonly range: Cidr;
  readonly rangeText: string;
  /** Usable slot i is address index i+1. */
  private readonly slots: number;
  private readonly offset: number;

  constructor(
    private readonly store: ReservationStore,
    rangeText: string = DEFAULT_SERVICE_CLUSTER_IP_RANGE,
    private readonly random: () => number = Math.random,
  ) {
    this.range = parseServiceCidr(rangeText);
    this.rangeText = formatCidr(this.range);
    const size = cidrSize(this.range);
    const usable = this.range.family === 'IPv4' ? size - 2n : size - 1n;
    this.slots = Number(usable < BigInt(MAX_SLOTS) ? usable : BigInt(MAX_SLOTS));
    this.offset = serviceIpRangeOffset(Number(size < BigInt(MAX_SLOTS) ? size : BigInt(MAX_SLOTS)));
  }

  /** The slot of an address text, or undefined when it is not a usable address of the range. */
  slotOf(ipText: string): number | undefined {
    const ip = parseIP(ipText);
    const index = ip && indexOf(this.range, ip);
    if (index === undefined || index < 1n) return undefined;
    const slot = Number(index - 1n);
    return slot < this.slots ? slot : undefined;
  }

  /** Canonical text of the address in `slot`. */
  ipAt(slot: number): string {
    return formatIP(addressAt(this.range, BigInt(slot) + 1n)!);
  }

  /** Reserves a requested address. */
  async allocate(ipText: string, owner: ReservationOwner, dryRun: boolean): Promise<string> {
    const slot = this.slotOf(ipText);
    if (slot === undefined) {
      throw new AllocationError('NotInRange', `the provided IP (${ipText}) is not in the valid range. The range of valid IPs is ${this.rangeText}`);
    }
    const ip = this.ipAt(slot);
    const taken = dryRun ? (await this.store.get(ip)) !== undefined : !(await this.store.reserve(ip, owner));
    if (taken) throw new AllocationError('Allocated', 'provided IP is already allocated');
    return ip;
  }

  /** Reserves a random free address (never the `kubernetes` Service's address). */
  async allocateNext(owner: ReservationOwner, dryRun: boolean): Promise<string> {
    const taken = new Set<number>();
    for (const value of (await this.store.list()).keys()) {
      const slot = this.slotOf(value);
      if (slot !== undefined) taken.add(slot);
    }
    const excluded = new Set([0]);
    for (;;) {
      const slot = pickFreeSlot({ size: this.slots, offset: this.offset, taken, excluded, random: this.random });
      if (slot === undefined) throw rangeFull();
      const ip = this.ipAt(slot);
      if (dryRun || (await this.store.reserve(ip, owner))) return ip;
      taken.add(slot); // another writer got there first; pick again
    }
  }

  /** Releases an address held by `owner`; false when it was not held by them. */
  async release(ipText: string, owner?: ReservationOwner): Promise<boolean> {
    const slot = this.slotOf(ipText);
    if (slot === undefined) return false;
    return this.store.release(this.ipAt(slot), owner);
  }

  get reservations(): ReservationStore {
    return this.store;
  }
}
