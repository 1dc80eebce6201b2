import type { Logger } from 'pino';
import type { Exec } from '../iptables/exec.ts';
import { applySysctls, type ProxierHost } from '../iptables/proxier.ts';
import { matchesAllAddresses, selectNodePortIPs } from '../node-port-addresses.ts';
import { ProxyState } from '../state.ts';
import { staleUdpEntries } from '../stale-udp.ts';
import type { EndpointSliceLike, ServiceLike } from '../types.ts';
import { interactiveLine, NftSession, type Spawn } from './session.ts';
import { nftPortRules, nftPresetRules, nodePortIPsRules, renderNftDelta, renderNftFull, type NftChange, type NftPortRules, type NftRenderOptions } from './render.ts';

/**
 * Endpoint counts whose dispatch chains and maps every full sync creates up front, so a later
 * change in a service's endpoint count only moves elements (see nftPresetRules).
 */
export const PRESET_ENDPOINT_COUNTS = 16;

/** Options of the nftables proxier. */
export interface NftProxierOptions {
  nodeName: string;
  clusterCIDR?: string;
  /**
   * --nodeport-addresses with `primary` already resolved: NodePorts answer only on local IPv4
   * addresses inside these CIDRs. Empty/undefined (or a /0) = every local address.
   */
  nodePortAddresses?: readonly string[];
  /** The node's IP (loadBalancerSourceRanges containing it admit the LB IPs as sources, as upstream). */
  nodeIP?: string;
  /** The node's `topology.kubernetes.io/zone` at start (see {@link NftProxier.onNodeZone}). */
  zone?: string;
  /**
   * Starts long-lived processes: when given, partial syncs go through one `nft -i` session
   * (session.ts) instead of a new `nft -f -` each; full syncs always use `nft -f -`. If the
   * session fails once (no answer, exit), the proxier logs it and uses `nft -f -` from then on.
   */
  spawn?: Spawn;
  logger?: Logger;
}

/** Keys of the pseudo "ports" holding the preset dispatch objects and the nodeport-ips elements. */
const PRESET = '\0preset';
const NODE_PORT_IPS = '\0nodeport-ips';

/**
 * The nftables proxier: one table `ip kube-proxy` (layout in render.ts). A full sync recreates the
 * table atomically in one `nft -f`; later syncs add/delete only the elements, and rewrite only the
 * chains, of the service ports that changed. A failed sync makes the next one full. Call
 * {@link NftProxier.setup} once before the first sync.
 */
export class NftProxier {
  private readonly state: ProxyState;
  private readonly render: NftRenderOptions;
  /** False until a full sync succeeded, and again after any failure (next sync is full). */
  private synced = false;
  /** What each service port (and the NodePort address list) put into the table at the last successful sync. */
  private perPort = new Map<string, NftPortRules>();
  /** Shared objects (dispatch-N, endpoints-N, …) that exist in the table. */
  private present = new Set<string>();
  /** Elements in the table after the last successful sync. */
  private elements = 0;
  private nodePortIPsNow: string[] | undefined;
  private session: NftSession | undefined;
  private payload = '';

  constructor(
    private readonly exec: Exec,
    private readonly host: ProxierHost,
    private readonly options: NftProxierOptions,
  ) {
    this.state = new ProxyState(options.nodeName);
    this.render = { clusterCIDR: options.clusterCIDR, nodePortsOnAllAddresses: matchesAllAddresses(options.nodePortAddresses ?? []), nodeIP: options.nodeIP, zone: options.zone };
    if (options.spawn) this.session = new NftSession(options.spawn);
  }

  /** The payload of the last sync ('' when nothing changed); for benchmarks and debugging. */
  get lastPayload(): string {
    return this.payload;
  }

  /** Ends the `nft -i` session, if any. */
  close(): void {
    this.session?.close();
    this.session = undefined;
  }

  /**
   * Set once before the first sync (upstream NewProxier): ip_forward. No route_localnet: NodePorts
   * never answer on 127.0.0.0/8 in this mode (upstream). Throws when it cannot be set.
   */
  async setup(): Promise<void> {
    await applySysctls(this.host, [['net/ipv4/ip_forward', '1']]);
  }

  /** Record a Service add/update (`svc`) or delete (`undefined`). */
  onService(key: string, svc: ServiceLike | undefined): boolean {
    return this.state.onService(key, svc);
  }

  /** Record an EndpointSlice add/update or delete. */
  onEndpointSlice(slice: EndpointSliceLike, deleted = false): boolean {
    return this.state.onEndpointSlice(slice, deleted);
  }

  /** Record the node's zone label; a change makes the next sync full (every service's zone-hinted endpoints may change). */
  onNodeZone(zone: string | undefined): boolean {
    if (zone === this.render.zone) return false;
    this.render.zone = zone;
    this.synced = false;
    return true;
  }

  /** Local addresses NodePorts answer on after the last sync; undefined = every local address. */
  get nodePortIPs(): readonly string[] | undefined {
    return this.nodePortIPsNow;
  }

  /** Program the table. Throws on failure (the next sync is then full). */
  async sync(): Promise<{ full: boolean; payloadBytes: number; elements: number }> {
    const nodePortIPs = await this.selectNodePortIPs();
    const addressRules = nodePortIPsRules(nodePortIPs);
    const snapshot = this.state.drain();
    const full = !this.synced;
    let payload: string;
    let apply: () => void;
    if (full) {
      const next = new Map<string, NftPortRules>([[PRESET, nftPresetRules(PRESET_ENDPOINT_COUNTS, this.render)]]);
      for (const p of snapshot.all) next.set(p.key, nftPortRules(p, this.render, this.perPort.get(p.key)));
      next.set(NODE_PORT_IPS, addressRules);
      payload = renderNftFull(next.values(), this.render);
      apply = () => {
        this.perPort = next;
        this.present = new Set();
        this.elements = 0;
        for (const r of next.values()) this.count(r, 1);
      };
    } else {
      // Only the ports that changed or vanished are recomputed and diffed.
      const byKey = new Map(snapshot.changed.map((p) => [p.key, p]));
      const updates: Array<[string, NftPortRules | undefined]> = [];
      const changes: NftChange[] = [];
      for (const key of new Set([...snapshot.changedPorts, ...snapshot.removedPorts])) {
        const port = byKey.get(key);
        const before = this.perPort.get(key);
        const after = port ? nftPortRules(port, this.render, before) : undefined;
        updates.push([key, after]);
        changes.push({ before, after });
      }
      if (!sameList(nodePortIPs, this.nodePortIPsNow)) {
        updates.push([NODE_PORT_IPS, addressRules]);
        changes.push({ before: this.perPort.get(NODE_PORT_IPS), after: addressRules });
      }
      payload = renderNftDelta(changes, this.present);
      apply = () => {
        for (const [key, after] of updates) {
          const before = this.perPort.get(key);
          if (before) this.count(before, -1);
          if (after) {
            this.perPort.set(key, after);
            this.count(after, 1);
          } else this.perPort.delete(key);
        }
      };
    }
    this.synced = false;
    this.payload = payload;
    if (payload !== '') await this.apply(payload, full);
    apply();
    this.nodePortIPsNow = nodePortIPs;
    this.synced = true;
    // As the iptables mode: UDP flows to removed endpoints would otherwise stick to them.
    for (const e of staleUdpEntries(snapshot.endpointChanges, snapshot.servicePorts)) {
      await this.host.clearUdpConntrack(e.serviceIP, e.endpointIP).catch(() => undefined);
    }
    const elements = this.elements;
    this.options.logger?.info({ full, bytes: payload.length, elements }, 'synced nftables rules');
    return { full, payloadBytes: payload.length, elements };
  }

  /** Runs one payload: through the session when it is a small delta, else `nft -f -`. Throws on failure. */
  private async apply(payload: string, full: boolean): Promise<void> {
    const log = this.options.logger;
    const line = !full && this.session ? interactiveLine(payload) : undefined;
    if (line !== undefined && this.session) {
      let reply: { ok: boolean; message: string };
      try {
        reply = await this.session.run(line);
      } catch (err) {
        log?.warn({ err }, 'nft -i session failed; using nft -f from now on; next sync is full');
        this.close();
        throw err;
      }
      if (reply.ok) return;
      log?.error({ stderr: reply.message }, 'nft sync failed; next sync is full');
      throw new Error(`nft transaction failed: ${reply.message}`);
    }
    const r = await this.exec('nft', ['-f', '-'], payload);
    if (r.code !== 0) {
      log?.error({ stderr: r.stderr }, 'nft sync failed; next sync is full');
      throw new Error(`nft -f failed (${r.code}): ${r.stderr.trim()}`);
    }
  }

  /** Adds (sign 1) or removes (-1) a port's elements from the count and notes its shared objects. */
  private count(r: NftPortRules, sign: 1 | -1): void {
    this.elements += sign * r.elements.length;
    if (sign > 0) for (const o of r.objects) if (o.shared) this.present.add(o.name);
  }

  private async selectNodePortIPs(): Promise<string[] | undefined> {
    if (this.render.nodePortsOnAllAddresses) return undefined;
    const local = (await this.host.localAddresses?.()) ?? [];
    return selectNodePortIPs(this.options.nodePortAddresses ?? [], local) ?? [];
  }
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
