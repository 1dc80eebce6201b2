/**
 * `Etcd3Storage`: the production `Storage` on etcd v3 via the `etcd3` client's raw KV/Watch RPCs.
 *
 * Keys are used exactly as given (callers include their `/registry` prefix); values are JSON
 * without `metadata.resourceVersion`; resourceVersion = the key's mod revision (for a deleted
 * object, the deletion revision). Every write is a single etcd transaction — the hot path does
 * no extra reads:
 * - create: `if create_revision(key) == 0 then put else range(key)` — finding exactly the bytes
 *   being written means a retried attempt of this same create had committed: success, not KeyExists;
 * - update / delete: `if create_revision(key) > 0 [and mod_revision(key) == expected] then
 *   put / delete(prev_kv) else range(key, count_only)` — the failure branch tells NotFound from
 *   Conflict in the same round trip;
 * - list: one range `[startAfter\0 | prefix, prefixEnd)` with `limit`, optionally at `revision`;
 *   etcd's `count` minus the page gives `remaining`.
 * create and update return the written object with its new resourceVersion (`withRevision`: top
 * level and metadata copied, deeper values shared with the argument) instead of parsing back the
 * text they just wrote.
 */
import { credentials as grpcCredentials, type ChannelCredentials } from '@grpc/grpc-js';
import { CompareResult, CompareTarget, Etcd3, type ICompare, type IOptions, type IRequestOp } from 'etcd3';
import type { KubeObject } from '../api/meta.ts';
import { decodeObject, encodeObject, prefixRangeEnd, withRevision } from './codec.ts';
import { isAlreadyCompacted, toStorageError } from './etcd3-errors.ts';
import { etcdWatch, type WatchOwner } from './etcd3-watch.ts';
import { COMPACT_REV_KEY, type CompactionClient, type CompactSwapResult } from './etcd3-compactor.ts';
import { clientRetryPolicy, hostPolicyFor } from './etcd3-host-policy.ts';
import { grpcMemberConnector, MemberReachability } from './etcd3-member-reachability.ts';
import { requireLeader } from './etcd3-require-leader.ts';
import { guaranteedUpdateLoop } from './guaranteed-update.ts';
import { LeaseManager } from './etcd3-lease-manager.ts';
import { ttlSecondsFor, type KeyTtl } from './key-ttl.ts';
import { assertReached, StorageError, tooLargeRevision, type ListOptions, type ListResult, type Storage, type WatchEvent } from './types.ts';

export interface Etcd3StorageOptions {
  client: Etcd3;
  /**
   * The client watches run on (default `client`). A separate one keeps watch streams on their own
   * connection: the etcd3 library closes every gRPC client of a host after one unary call fails in
   * a way it deems recoverable (a deadline, say), and the next keepalive ping on that connection
   * then drops all its streams — every watch cache of the API server would relist at once.
   */
  watchClient?: Etcd3;
  /** Close `client` (and `watchClient`) on `close()` (default false: the caller owns them). */
  closeClient?: boolean;
  /** The members' reachability the clients' host policies share; closed (probes stopped) with the clients. */
  memberReachability?: MemberReachability;
  /** Keys that expire after their last write (each write attaches a lease, reused as upstream does). */
  keyTtls?: readonly KeyTtl[];
}

export interface CreateEtcd3StorageOptions {
  /** etcd client URLs, e.g. `['http://127.0.0.1:2379']`; the client spreads calls over them and retries elsewhere on failure. */
  endpoints: string[];
  /**
   * Deadline of each unary call attempt (default 15 s; streams have none). A member that stops
   * answering without closing the connection (frozen host, black-holed network) then costs one
   * deadline and the call is retried on another member, instead of hanging until the network
   * returns. gRPC keepalive (10 s, 5 s timeout) finds such dead connections for watches too.
   */
  requestTimeoutMs?: number;
  /** Keys that expire after their last write (e.g. events: `--event-ttl`). */
  keyTtls?: readonly KeyTtl[];
  /** Told each time one of several members becomes unreachable (calls go to the others) or reachable again. */
  onMemberReachability?: (member: string, reachable: boolean) => void;
  /** Extra `etcd3` client options (TLS, auth, gRPC options); an explicit `deadline` wins. */
  clientOptions?: Omit<IOptions, 'hosts'>;
}

/** The default per-attempt deadline of unary etcd calls. */
export const DEFAULT_ETCD_REQUEST_TIMEOUT_MS = 15_000;

/** A storage with its own etcd client (closed by `close()`). */
export function createEtcd3Storage(options: CreateEtcd3StorageOptions): Etcd3Storage {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_ETCD_REQUEST_TIMEOUT_MS;
  const callerDefaults = options.clientOptions?.defaultCallOptions;
  // Shared by both clients: a member the unary calls found unreachable is skipped by watches too.
  const reachability = new MemberReachability(options.endpoints, { connect: grpcMemberConnector(channelCredentials(options)), onChange: options.onMemberReachability });
  const client = (grpcOptions?: Record<string, unknown>) => new Etcd3({
    ...options.clientOptions,
    hosts: options.endpoints,
    faultHandling: { host: hostPolicyFor(options.endpoints, reachability), global: clientRetryPolicy(), ...options.clientOptions?.faultHandling },
    grpcOptions: {
      // Whole-resource lists can exceed gRPC's 4 MiB default; etcd itself sends up to 2 GiB.
      'grpc.max_receive_message_length': -1,
      // grpc-go's floor is 10 s and etcd refuses pings more often than every 5 s.
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      ...options.clientOptions?.grpcOptions,
      ...grpcOptions,
    },
    // Called for every attempt, so each retry gets a fresh deadline.
    defaultCallOptions: (context) => {
      const base = (typeof callerDefaults === 'function' ? callerDefaults(context) : callerDefaults) ?? {};
      if (context.isStream) return base;
      // A leaderless member answers at once ('no leader') instead of after its own 7 s timeout.
      const interceptors = [requireLeader, ...(base.interceptors ?? [])];
      // Object.assign, not `{ ...base, interceptors, deadline }`: Node 20's V8 adds keys to a spread copy on a slow path (≈ 1.5 µs per key, on every etcd call).
      return Object.assign({}, base, { interceptors, deadline: base.deadline ?? Date.now() + timeoutMs });
    },
  });
  // An option the unary client lacks gives the watch client its own channel and connection (grpc-js shares a connection between channels with equal options).
  return new Etcd3Storage({ client: client(), watchClient: client({ 'k8ts.etcd-connection': 'watch' }), closeClient: true, memberReachability: reachability, keyTtls: options.keyTtls });
}

/** The channel credentials the `etcd3` client builds from these options (TLS for explicit credentials or an https endpoint). */
function channelCredentials(options: CreateEtcd3StorageOptions): ChannelCredentials {
  const tls = options.clientOptions?.credentials;
  if (tls) return grpcCredentials.createSsl(tls.rootCertificate, tls.privateKey, tls.certChain);
  return options.endpoints.some((e) => e.startsWith('https:')) ? grpcCredentials.createSsl() : grpcCredentials.createInsecure();
}

/** The key etcd is asked about when only its current revision is wanted. */
const REVISION_PROBE_KEY = Buffer.from('\0k8ts-revision-probe');

export class Etcd3Storage implements Storage, CompactionClient {
  private readonly watchOwner: WatchOwner;
  private readonly keyTtls: readonly KeyTtl[];
  private readonly leases: LeaseManager;

  constructor(private readonly options: Etcd3StorageOptions) {
    this.watchOwner = { client: options.watchClient ?? options.client, active: new Set(), closed: false };
    this.keyTtls = options.keyTtls ?? [];
    this.leases = new LeaseManager({ grant: async (ttl) => (await options.client.leaseClient.leaseGrant({ TTL: ttl }).catch(rethrow(`grant a ${ttl} s lease`))).ID });
  }

  private get kv() {
    return this.options.client.kv;
  }

  async get(key: string, options: { minRevision?: number } = {}): Promise<KubeObject | undefined> {
    const res = await this.kv.range({ key: Buffer.from(key) }).catch(rethrow(`get ${key}`));
    assertReached(options.minRevision, Number(res.header.revision));
    const kv = res.kvs[0];
    return kv && decodeObject(kv.value.toString(), Number(kv.mod_revision));
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const start = options.startAfter !== undefined && options.startAfter >= prefix ? Buffer.from(`${options.startAfter}\0`) : Buffer.from(prefix);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const res = await this.kv.range({ key: start, range_end: prefixRangeEnd(prefix), limit, revision: options.revision || 0 }).catch(async (err) => {
      const failure = toStorageError(err, `list ${prefix}`);
      // etcd's "future revision" names neither revision; upstream's message gives both.
      if (failure instanceof StorageError && failure.code === 'TooLarge' && options.revision) throw tooLargeRevision(options.revision, await this.currentRevision());
      throw failure;
    });
    if (!options.revision) assertReached(options.minRevision, Number(res.header.revision));
    const items = res.kvs.map((kv) => decodeObject(kv.value.toString(), Number(kv.mod_revision)));
    const result: ListResult = { items, revision: options.revision || Number(res.header.revision) };
    if (res.more && res.kvs.length > 0) {
      result.nextKey = res.kvs[res.kvs.length - 1]!.key.toString();
      result.remaining = Number(res.count) - res.kvs.length;
    }
    return result;
  }

  async count(prefix: string): Promise<number> {
    const res = await this.kv.range({ key: Buffer.from(prefix), range_end: prefixRangeEnd(prefix), count_only: true }).catch(rethrow(`count ${prefix}`));
    return Number(res.count);
  }

  async create(key: string, obj: KubeObject): Promise<KubeObject> {
    const k = Buffer.from(key);
    const text = encodeObject(obj);
    const value = Buffer.from(text);
    const res = await this.withLease(key, (lease) =>
      this.kv.txn({ compare: [createRevision(k, CompareResult.Equal)], success: [{ request_put: { key: k, value, lease } }], failure: [{ request_range: { key: k } }] }),
    ).catch(rethrow(`create ${key}`));
    if (!res.succeeded) {
      // The etcd3 client retries a txn after UNAVAILABLE (a member died or the connection broke),
      // also when the first attempt had already committed: finding exactly our own bytes means
      // this create succeeded (objects carry a fresh uid, so another writer's bytes differ).
      const current = res.responses[0]?.response_range?.kvs?.[0];
      if (current && value.equals(current.value)) return withRevision(obj, Number(current.mod_revision));
      throw new StorageError('KeyExists', `key already exists: ${key}`);
    }
    return withRevision(obj, Number(res.header.revision));
  }

  async update(key: string, obj: KubeObject, expectedRevision?: number): Promise<KubeObject> {
    const k = Buffer.from(key);
    const text = encodeObject(obj);
    const res = await this.withLease(key, (lease) => this.kv.txn(this.guarded(k, expectedRevision, { request_put: { key: k, value: Buffer.from(text), lease } }))).catch(
      rethrow(`update ${key}`),
    );
    if (!res.succeeded) throw failedPrecondition(key, expectedRevision, res.responses);
    return withRevision(obj, Number(res.header.revision));
  }

  /**
   * Runs a write with the lease `key` needs (none for keys that never expire: `lease` is then
   * undefined, which etcd reads as no lease). A lease etcd no longer has (revoked, or lost in a
   * restore) is forgotten and the write retried once with a new one.
   */
  private async withLease<T>(key: string, write: (lease: string | undefined) => Promise<T>): Promise<T> {
    const ttl = ttlSecondsFor(this.keyTtls, key);
    if (ttl === undefined) return write(undefined);
    const lease = await this.leases.leaseFor(ttl);
    try {
      return await write(lease);
    } catch (err) {
      if (!String((err as Error)?.message).includes('requested lease not found')) throw err;
      this.leases.forget(lease);
      return write(await this.leases.leaseFor(ttl));
    }
  }

  guaranteedUpdate(key: string, fn: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>): Promise<KubeObject> {
    return guaranteedUpdateLoop(this, key, fn);
  }

  async delete(key: string, expectedRevision?: number): Promise<KubeObject> {
    const k = Buffer.from(key);
    const res = await this.kv
      .txn(this.guarded(k, expectedRevision, { request_delete_range: { key: k, prev_kv: true } }))
      .catch(rethrow(`delete ${key}`));
    if (!res.succeeded) throw failedPrecondition(key, expectedRevision, res.responses);
    const prev = res.responses[0]?.response_delete_range?.prev_kvs?.[0];
    if (!prev) throw new StorageError('NotFound', `key not found: ${key}`);
    return decodeObject(prev.value.toString(), Number(res.header.revision));
  }

  watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent> {
    return { [Symbol.asyncIterator]: () => etcdWatch(this.watchOwner, prefix, fromRevision, signal) };
  }

  async currentRevision(): Promise<number> {
    const res = await this.kv.range({ key: REVISION_PROBE_KEY, count_only: true }).catch(rethrow('current revision'));
    return Number(res.header.revision);
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.kv.compact({ revision });
    } catch (err) {
      if (isAlreadyCompacted(err)) return;
      throw toStorageError(err, `compact ${revision}`);
    }
  }

  /** The compactors' compare-and-swap on {@link COMPACT_REV_KEY} (see `etcd3-compactor.ts`). */
  async swapCompactRevKey(expectVersion: number, value: string): Promise<CompactSwapResult> {
    const k = Buffer.from(COMPACT_REV_KEY);
    const res = await this.kv
      .txn({ compare: [{ key: k, target: CompareTarget.Version, result: CompareResult.Equal, version: expectVersion }], success: [{ request_put: { key: k, value: Buffer.from(value) } }], failure: [{ request_range: { key: k } }] })
      .catch(rethrow('swap the compaction key'));
    const revision = Number(res.header.revision);
    if (res.succeeded) return { succeeded: true, revision };
    return { succeeded: false, revision, version: Number(res.responses[0]?.response_range?.kvs?.[0]?.version ?? 0) };
  }

  async close(): Promise<void> {
    if (this.watchOwner.closed) return;
    this.watchOwner.closed = true;
    for (const stop of [...this.watchOwner.active]) stop();
    if (!this.options.closeClient) return;
    this.options.client.close();
    this.options.watchClient?.close();
    this.options.memberReachability?.close();
  }

  /** A txn running `op` only if the key exists (and has `expectedRevision`, when given). */
  private guarded(k: Buffer, expectedRevision: number | undefined, op: IRequestOp) {
    const compare: ICompare[] = [createRevision(k, CompareResult.Greater)];
    if (expectedRevision === undefined) return { compare, success: [op] };
    compare.push({ key: k, target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: expectedRevision });
    return { compare, success: [op], failure: [{ request_range: { key: k, count_only: true } }] };
  }
}

function createRevision(k: Buffer, result: CompareResult): ICompare {
  return { key: k, target: CompareTarget.Create, result, create_revision: 0 };
}

/** Why a guarded txn failed: the key is gone (NotFound) or was changed (Conflict). */
function failedPrecondition(key: string, expectedRevision: number | undefined, responses: Array<{ response_range?: { count?: string } }>): StorageError {
  const exists = expectedRevision !== undefined && Number(responses[0]?.response_range?.count ?? 0) > 0;
  if (!exists) return new StorageError('NotFound', `key not found: ${key}`);
  return new StorageError('Conflict', `revision of ${key} is not ${expectedRevision}`);
}

function rethrow(context: string): (err: unknown) => never {
  return (err) => {
    throw toStorageError(err, context);
  };
}
