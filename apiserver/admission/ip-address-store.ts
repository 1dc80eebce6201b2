/**
 * ClusterIP reservations kept as networking.k8s.io/v1 IPAddress objects (upstream's
 * ipallocator.Allocator): one object per address, named by the address, labelled
 * `ipaddress.kubernetes.io/ip-family` and `ipaddress.kubernetes.io/managed-by: ipallocator.k8s.io`,
 * with `spec.parentRef` naming the Service. `storage.create` is the lock: whoever creates the
 * object holds the address, across every API server sharing the storage.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../pkg/api/meta.ts';
import {
  IP_ALLOCATOR_MANAGER, LABEL_IP_ADDRESS_FAMILY, LABEL_MANAGED_BY, type IPAddress, type ParentReference,
} from '../../pkg/api/networking/v1/ipaddress.ts';
import { ipFamilyOf } from '../../pkg/net/index.ts';
import { StorageError, type Storage } from '../../pkg/storage/types.ts';
import { rfc3339 } from '../../pkg/util/time.ts';
import type { Reservation, ReservationOwner } from './reservation-store.ts';
import type { AdmissionContext } from './types.ts';
import { createIfAbsent } from '../../pkg/storage/create-if-absent.ts';

/** Where IPAddress objects live (the built-in kind's storage coordinates). */
export const IP_ADDRESSES = { group: 'networking.k8s.io', plural: 'ipaddresses', namespaced: false } as const;

/** One stored IPAddress seen as a reservation. `owner` is empty when the parent is not a Service. */
export interface IpAddressRecord extends Reservation {
  parentRef?: ParentReference;
  /** Carries `managed-by: ipallocator.k8s.io` (only those are the allocator's to repair). */
  managed: boolean;
  /** The family label matches the address. */
  labelsValid: boolean;
}

/** The IPAddress the allocator writes for `ip` held by the Service `owner`. */
export function newServiceIPAddress(ip: string, owner: ReservationOwner, meta: { uid: string; creationTimestamp: string }): IPAddress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: {
      name: ip,
      uid: meta.uid,
      creationTimestamp: meta.creationTimestamp,
      labels: { [LABEL_IP_ADDRESS_FAMILY]: ipFamilyOf(ip) ?? 'IPv4', [LABEL_MANAGED_BY]: IP_ALLOCATOR_MANAGER },
    },
    spec: { parentRef: { group: '', resource: 'services', namespace: owner.namespace, name: owner.name } },
  };
}

/**
 * Contract: `reserve` is atomic across every server sharing the storage (true = now held by
 * `owner`, false = the address already has an IPAddress); `release` deletes only an IPAddress
 * whose parentRef names `owner` (compare-and-delete, so a concurrent re-reservation is never
 * lost); `list` is a snapshot of every IPAddress, managed or not.
 */
export class IpAddressStore {
  readonly prefix: string;

  constructor(
    private readonly ctx: AdmissionContext,
    private readonly now: () => number = Date.now,
    private readonly newUid: () => string = randomUUID,
  ) {
    this.prefix = ctx.keyFor(IP_ADDRESSES, undefined, '');
  }

  keyOf(ip: string): string {
    return this.ctx.keyFor(IP_ADDRESSES, undefined, ip);
  }

  private get storage(): Storage {
    return this.ctx.storage;
  }

  async reserve(ip: string, owner: ReservationOwner): Promise<boolean> {
    const obj = newServiceIPAddress(ip, owner, { uid: this.newUid(), creationTimestamp: rfc3339(this.now()) });
    return createIfAbsent(this.storage, this.keyOf(ip), obj);
  }

  async get(ip: string): Promise<IpAddressRecord | undefined> {
    const obj = await this.storage.get(this.keyOf(ip));
    return obj && toRecord(obj);
  }

  /** Deletes the IPAddress of `ip` if its parent is `owner` (any parent when `owner` is undefined). */
  async release(ip: string, owner?: ReservationOwner): Promise<boolean> {
    const held = await this.get(ip);
    if (!held) return false;
    if (owner && (held.owner.namespace !== owner.namespace || held.owner.name !== owner.name)) return false;
    return this.deleteAt(ip, held.revision);
  }

  /** Deletes the IPAddress if it is still at `revision`. */
  async deleteAt(ip: string, revision: number): Promise<boolean> {
    try {
      await this.storage.delete(this.keyOf(ip), revision);
      return true;
    } catch (err) {
      if (err instanceof StorageError && (err.code === 'NotFound' || err.code === 'Conflict')) return false;
      throw err;
    }
  }

  /** Replaces the IPAddress at `revision` with one held by `owner` (parentRef is immutable: delete, then create). */
  async recreate(ip: string, revision: number, owner: ReservationOwner): Promise<boolean> {
    if (!(await this.deleteAt(ip, revision))) return false;
    return this.reserve(ip, owner);
  }

  /** Every IPAddress, keyed by address. */
  async list(): Promise<Map<string, IpAddressRecord>> {
    const out = new Map<string, IpAddressRecord>();
    for (const obj of (await this.storage.list(this.prefix)).items) {
      const record = toRecord(obj);
      out.set(record.value, record);
    }
    return out;
  }
}

function toRecord(obj: KubeObject): IpAddressRecord {
  const ip = obj as IPAddress;
  const ref = ip.spec?.parentRef;
  const isService = !!ref && !ref.group && ref.resource === 'services';
  const created = Date.parse(obj.metadata.creationTimestamp ?? '');
  const name = obj.metadata.name ?? '';
  const labels = obj.metadata.labels ?? {};
  return {
    value: name,
    owner: isService ? { namespace: ref.namespace ?? '', name: ref.name ?? '' } : { namespace: '', name: '' },
    ...(ref ? { parentRef: ref } : {}),
    reservedAtMs: Number.isNaN(created) ? 0 : created,
    revision: Number(obj.metadata.resourceVersion ?? 0),
    managed: labels[LABEL_MANAGED_BY] === IP_ALLOCATOR_MANAGER,
    labelsValid: labels[LABEL_IP_ADDRESS_FAMILY] === ipFamilyOf(name) && labels[LABEL_MANAGED_BY] === IP_ALLOCATOR_MANAGER,
  };
}
