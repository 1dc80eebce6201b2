/**
 * Reservations of cluster-wide unique values (NodePorts; ClusterIPs are IPAddress objects, see
 * ip-address-store.ts) kept in storage, one key per value: `<prefix><value>`. `storage.create` is the lock: whoever creates the key holds the
 * value, so two API servers (or a restart) can never hand out the same value twice, and nothing
 * lives only in memory.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { StorageError, type Storage } from '../../pkg/storage/types.ts';
import { createIfAbsent } from '../../pkg/storage/create-if-absent.ts';

/** The service a value is reserved for. `uid` is recorded when known at admission time. */
export interface ReservationOwner {
  namespace: string;
  name: string;
  uid?: string;
}

/** One stored reservation. `revision` is the storage mod revision (for compare-and-delete). */
export interface Reservation {
  value: string;
  owner: ReservationOwner;
  /** Epoch ms when reserved (repair leaves young reservations alone: their write may be in flight). */
  reservedAtMs: number;
  revision: number;
}

/** The stored shape of a reservation record. */
interface ReservationObject extends KubeObject {
  owner: ReservationOwner;
  reservedAt: string;
}

/** True when `owner` names the same service as `held` (uids compared only when both know one). */
export function sameOwner(held: ReservationOwner, owner: ReservationOwner): boolean {
  if (held.namespace !== owner.namespace || held.name !== owner.name) return false;
  return !held.uid || !owner.uid || held.uid === owner.uid;
}

/**
 * Contract: `reserve` is atomic across every server sharing the storage (true = now held by
 * `owner`, false = someone holds it); `release` deletes only a reservation held by `owner`
 * (compare-and-delete, so a concurrent re-reservation is never lost); `list` is a snapshot.
 */
export class ReservationStore {
  constructor(
    private readonly storage: Storage,
    /** Key prefix ending in `/`, e.g. `/registry/k8ts/nodeports/`. */
    readonly prefix: string,
    /** `kind` written into records, e.g. `NodePortReservation`. */
    private readonly kind: string,
    private readonly now: () => number = Date.now,
  ) {}

  keyOf(value: string): string {
    return `${this.prefix}${value}`;
  }

  async reserve(value: string, owner: ReservationOwner): Promise<boolean> {
    const record: ReservationObject = {
      apiVersion: 'k8ts.io/v1',
      kind: this.kind,
      metadata: { name: value },
      owner: { ...owner },
      reservedAt: new Date(this.now()).toISOString(),
    };
    if (!owner.uid) delete record.owner.uid;
    return createIfAbsent(this.storage, this.keyOf(value), record);
  }

  async get(value: string): Promise<Reservation | undefined> {
    const obj = await this.storage.get(this.keyOf(value));
    return obj && toReservation(obj);
  }

  /** Releases `value` if `owner` holds it (or unconditionally when `owner` is undefined). */
  async release(value: string, owner?: ReservationOwner): Promise<boolean> {
    const held = await this.get(value);
    if (!held) return false;
    if (owner && !sameOwner(held.owner, owner)) return false;
    return this.deleteAt(value, held.revision);
  }

  /** Deletes the reservation if it is still at `revision`. */
  async deleteAt(value: string, revision: number): Promise<boolean> {
    try {
      await this.storage.delete(this.keyOf(value), revision);
      return true;
    } catch (err) {
      if (err instanceof StorageError && (err.code === 'NotFound' || err.code === 'Conflict')) return false;
      throw err;
    }
  }

  /** Rewrites the owner of a reservation (repair: a reservation made before the uid was known). */
  async setOwner(value: string, owner: ReservationOwner): Promise<void> {
    await this.storage.guaranteedUpdate(this.keyOf(value), (current) => {
      if (!current) throw new StorageError('NotFound', `reservation ${value} vanished`);
      return { ...current, owner: { ...owner } };
    });
  }

  /** Every reservation, keyed by value. */
  async list(): Promise<Map<string, Reservation>> {
    const out = new Map<string, Reservation>();
    const { items } = await this.storage.list(this.prefix);
    for (const obj of items) {
      const reservation = toReservation(obj);
      out.set(reservation.value, reservation);
    }
    return out;
  }
}

function toReservation(obj: KubeObject): Reservation {
  const record = obj as Partial<ReservationObject>;
  const owner = record.owner ?? { namespace: '', name: '' };
  const reservedAtMs = record.reservedAt ? Date.parse(record.reservedAt) : 0;
  return {
    value: obj.metadata.name ?? '',
    owner: { namespace: owner.namespace ?? '', name: owner.name ?? '', ...(owner.uid ? { uid: owner.uid } : {}) },
    reservedAtMs: Number.isNaN(reservedAtMs) ? 0 : reservedAtMs,
    revision: Number(obj.metadata.resourceVersion ?? 0),
  };
}
