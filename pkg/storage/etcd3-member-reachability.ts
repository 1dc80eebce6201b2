/**
 * Which etcd members calls may go to. etcd's Go client (and so kube-apiserver) balances over its
 * endpoints with gRPC's round_robin, which picks only connected members: a killed or cut-off
 * member drops out at once and comes back when a background reconnect succeeds. The `etcd3`
 * client instead picks a member at random for each call and, after a failure, dials it again
 * for the next call that lands on it — that call then waits for a connection to an address
 * that no longer answers, until its deadline. With a killed etcd leader every write stalled
 * this way for 10–15 s, until the member was back.
 *
 * `MemberReachability` restores round_robin's behaviour as the `etcd3` host policy. It keeps a
 * monitoring connection to each member; a member is unreachable from the moment that connection
 * is lost (a killed process closes it at once) or a call to the member fails because it could
 * not be reached (a deadline: a black-holed member closes nothing), until a fresh connection is
 * up again. An unreachable member's calls are refused (the pool tries the next member) while
 * another member is reachable; when every member is unreachable calls go through (there is
 * nowhere better), and one that succeeds marks its member reachable.
 */
import { Client, connectivityState, credentials as grpcCredentials, type ChannelCredentials } from '@grpc/grpc-js';
import { BrokenCircuitError } from 'cockatiel';
import { hostPolicyOf, isMemberUnreachable, runCall, type HostPolicy, type PolicyCall } from './etcd3-host-policy.ts';

/** One monitoring connection to a member. */
export interface MemberConnection {
  /** Resolves true once the connection is up (the server answered), false if it is not within the connector's timeout; never rejects. */
  ready(): Promise<boolean>;
  /** After `ready()` was true: resolves when the connection is lost or closed. */
  lost(): Promise<void>;
  /** Closes the connection (`lost()` resolves). */
  close(): void;
}

/** Opens a monitoring connection to `address` (`host:port`), separate from the connections calls use. */
export type MemberConnector = (address: string) => MemberConnection;

/** `host:port` of an etcd endpoint URL, as the `etcd3` client dials it. */
export function memberAddress(endpoint: string): string {
  return endpoint.replace(/^[a-z]+:\/\//i, '');
}

export interface MemberReachabilityOptions {
  /** How members are monitored (default `grpcMemberConnector` with insecure credentials). */
  connect?: MemberConnector;
  /** Pause before reconnecting after a connection that did not come up (default 200 ms). */
  retryMs?: number;
  /** Told each time a member becomes unreachable or reachable again (for logs). */
  onChange?: (member: string, reachable: boolean) => void;
}

/**
 * The reachability of a fixed set of members; one instance serves every client of a storage.
 * With several members it opens a monitoring connection to each at once; `close()` closes them.
 */
export class MemberReachability {
  private readonly unreachable = new Set<string>();
  private readonly connections = new Map<string, MemberConnection>();
  private readonly connect: MemberConnector;
  private readonly retryMs: number;
  /** Each endpoint once (one listed twice is still one member). */
  private readonly members: readonly string[];
  private readonly onChange: (member: string, reachable: boolean) => void;
  private closed = false;

  /** `members`: the endpoint strings exactly as given to the `etcd3` client (its host policy factory receives these). */
  constructor(members: readonly string[], options: MemberReachabilityOptions = {}) {
    this.members = [...new Set(members)];
    this.connect = options.connect ?? grpcMemberConnector(grpcCredentials.createInsecure());
    this.retryMs = options.retryMs ?? 200;
    this.onChange = options.onChange ?? (() => undefined);
    if (this.members.length > 1) for (const member of this.members) void this.monitor(member);
  }

  /** Whether calls go to `member` now. */
  isReachable(member: string): boolean {
    return !this.unreachable.has(member);
  }

  /** The members currently skipped, in endpoint order. */
  unreachableMembers(): string[] {
    return this.members.filter((m) => this.unreachable.has(m));
  }

  /**
   * The host policy of `member`: refuses a call (a `BrokenCircuitError`, so the pool moves on)
   * while the member is unreachable and another is not; a call failing with
   * `isMemberUnreachable` marks the member unreachable, one that succeeds marks it reachable.
   */
  policyFor(member: string): HostPolicy {
    const execute: PolicyCall = async (fn, signal) => {
      if (this.unreachable.has(member) && this.unreachable.size < this.members.length) {
        throw new BrokenCircuitError(`etcd member ${member} is unreachable`);
      }
      try {
        const result = await runCall(fn, signal);
        this.setReachable(member, true);
        return result;
      } catch (err) {
        if (isMemberUnreachable(err)) this.markUnreachable(member);
        throw err;
      }
    };
    return hostPolicyOf(execute);
  }

  /** Skips `member` until a fresh monitoring connection to it is up (its current one, which may look healthy, is dropped). */
  markUnreachable(member: string): void {
    if (this.closed || this.unreachable.has(member)) return;
    this.setReachable(member, false);
    this.connections.get(member)?.close();
  }

  /** Closes the monitoring connections; every member counts as reachable again. */
  close(): void {
    this.closed = true;
    this.unreachable.clear();
    for (const connection of this.connections.values()) connection.close();
  }

  private setReachable(member: string, reachable: boolean): void {
    if (reachable !== this.unreachable.has(member)) return;
    if (reachable) this.unreachable.delete(member);
    else this.unreachable.add(member);
    this.onChange(member, reachable);
  }

  private async monitor(member: string): Promise<void> {
    while (!this.closed) {
      const connection = this.connect(memberAddress(member));
      this.connections.set(member, connection);
      const up = await connection.ready();
      if (up && !this.closed) {
        this.setReachable(member, true);
        await connection.lost();
      }
      connection.close();
      if (this.closed) return;
      this.setReachable(member, false);
      if (!up) await new Promise((resolve) => setTimeout(resolve, this.retryMs).unref());
    }
  }
}

/**
 * Monitoring connections over gRPC (never shared with the calls' channels). `ready()` waits up
 * to `readyTimeoutMs` for TCP, TLS and the server's HTTP/2 settings, so a frozen process behind
 * an open port is not reachable; `lost()` resolves when the channel leaves READY.
 */
export function grpcMemberConnector(credentials: ChannelCredentials, readyTimeoutMs = 2_000): MemberConnector {
  return (address) => {
    const client = new Client(address, credentials, {
      // A connection of its own: from the global pool a new client could get the subchannel of an
      // earlier one, still backing off (up to 2 min) after failed attempts.
      'grpc.use_local_subchannel_pool': 1,
      // Never idle: an idle channel would drop its connection after 30 min and look like a lost member.
      'grpc.client_idle_timeout_ms': 2 ** 31 - 1,
    });
    const channel = client.getChannel();
    let closed = false;
    const lostWaiters: Array<() => void> = [];
    const close = () => {
      if (closed) return;
      closed = true;
      client.close();
      for (const resolve of lostWaiters.splice(0)) resolve();
    };
    return {
      ready: () => new Promise((resolve) => client.waitForReady(Date.now() + readyTimeoutMs, (err) => resolve(!err && !closed))),
      lost: () =>
        new Promise<void>((resolve) => {
          if (closed) return resolve();
          lostWaiters.push(resolve);
          const watch = () =>
            channel.watchConnectivityState(connectivityState.READY, Infinity, () => {
              if (closed) return;
              if (channel.getConnectivityState(false) === connectivityState.READY) watch();
              else close();
            });
          watch();
        }),
      close,
    };
  };
}
