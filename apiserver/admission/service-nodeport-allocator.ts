/**
 * NodePort allocation from `--service-node-port-range` (default 30000-32767), persisted as one
 * reservation per port number under `<prefix>/k8ts/nodeports/<port>`. As upstream, a port
 * number is held regardless of protocol.
 */
import { formatPortRange, parsePortRange, portRangeContains, type PortRange } from '../../pkg/net/index.ts';
import { AllocationError, rangeFull } from './allocation-error.ts';
import { nodePortRangeOffset, pickFreeSlot } from './banded-range.ts';
import type { ReservationOwner, ReservationStore } from './reservation-store.ts';

export const DEFAULT_SERVICE_NODE_PORT_RANGE = '30000-32767';

/** Parses the flag; throws a plain Error (a start-up configuration fault) when malformed. */
export function parseNodePortRange(text: string): PortRange {
  const range = parsePortRange(text);
  if (!range) throw new Error(`invalid --service-node-port-range ${JSON.stringify(text)}`);
  return range;
}

/** Contract as {@link ServiceIpAllocator}: storage-backed, atomic, dry-run reserves nothing. */
export class NodePortAllocator {
  readonly range: PortRange;
  readonly rangeText: string;
  private readonly offset: number;

  constructor(
    private readonly store: ReservationStore,
    rangeText: string = DEFAULT_SERVICE_NODE_PORT_RANGE,
    private readonly random: () => number = Math.random,
  ) {
    this.range = parseNodePortRange(rangeText);
    this.rangeText = formatPortRange(this.range);
    this.offset = nodePortRangeOffset(this.range.size);
  }

  contains(port: number): boolean {
    return portRangeContains(this.range, port);
  }

  async allocate(port: number, owner: ReservationOwner, dryRun: boolean): Promise<number> {
    if (!this.contains(port)) {
      throw new AllocationError('NotInRange', `provided port is not in the valid range. The range of valid ports is ${this.rangeText}`);
    }
    const taken = dryRun ? (await this.store.get(String(port))) !== undefined : !(await this.store.reserve(String(port), owner));
    if (taken) throw new AllocationError('Allocated', 'provided port is already allocated');
    return port;
  }

  /**
   * A random free port. `alsoTaken` are ports this request already holds or means to
   * (dry-run allocations must not repeat within one object).
   */
  async allocateNext(owner: ReservationOwner, dryRun: boolean, alsoTaken: Iterable<number> = []): Promise<number> {
    const taken = new Set<number>();
    const mark = (port: number) => {
      if (this.contains(port)) taken.add(port - this.range.base);
    };
    for (const value of (await this.store.list()).keys()) mark(Number(value));
    for (const port of alsoTaken) mark(port);
    for (;;) {
      const slot = pickFreeSlot({ size: this.range.size, offset: this.offset, taken, random: this.random });
      if (slot === undefined) throw rangeFull();
      const port = this.range.base + slot;
      if (dryRun || (await this.store.reserve(String(port), owner))) return port;
      taken.add(slot);
    }
  }

  async release(port: number, owner?: ReservationOwner): Promise<boolean> {
    return this.store.release(String(port), owner);
  }

  get reservations(): ReservationStore {
    return this.store;
  }
}
