import type { Logger } from 'pino';
import type { Exec } from '../iptables/exec.ts';
import type { ProxierHost } from '../iptables/proxier.ts';
import { ProxyState } from '../state.ts';
import type { EndpointSliceLike, ServiceLike } from '../types.ts';
import { mergeElements, nftElements, renderNftDelta, renderNftFull, type NftElements } from './render.ts';

/** Options of the nftables proxier. */
export interface NftProxierOptions {
  nodeName: string;
  clusterCIDR?: string;
  logger?: Logger;
}

/**
 * The nftables proxier: one table `ip kube-proxy` whose maps hold every service; a full sync
 * recreates the table atomically in one `nft -f`, later syncs only add/delete the changed map
 * elements. A failed sync makes the next one full.
 */
export class NftProxier {
  private readonly state: ProxyState;
  /** False until a full sync succeeded, and again after any failure (next sync is full). */
  private synced = false;
  /** Elements each service port contributed at the last successful sync. */
  private perPort = new Map<string, NftElements>();
  private initialized = false;
  /** Map elements in the table after the last successful sync. */
  private elements = 0;

  constructor(
    private readonly exec: Exec,
    private readonly host: ProxierHost,
    private readonly options: NftProxierOptions,
  ) {
    this.state = new ProxyState(options.nodeName);
  }

  /** Record a Service add/update (`svc`) or delete (`undefined`). */
  onService(key: string, svc: ServiceLike | undefined): boolean {
    return this.state.onService(key, svc);
  }

  /** Record an EndpointSlice add/update or delete. */
  onEndpointSlice(slice: EndpointSliceLike, deleted = false): boolean {
    return this.state.onEndpointSlice(slice, deleted);
  }

  /** Program the table. Throws on failure (the next sync is then full). */
  async sync(): Promise<{ full: boolean; payloadBytes: number; elements: number }> {
    if (!this.initialized) {
      await this.host.setSysctl('net/ipv4/conf/all/route_localnet', '1');
      await this.host.setSysctl('net/ipv4/ip_forward', '1');
      this.initialized = true;
    }
    const snapshot = this.state.drain();
    const full = !this.synced;
    let payload: string;
    let elementDelta = 0;
    const nextPerPort = full ? new Map<string, NftElements>() : new Map(this.perPort);
    if (full) {
      for (const p of snapshot.all) nextPerPort.set(p.key, nftElements([p]));
      payload = renderNftFull(mergeElements(nextPerPort.values()), { clusterCIDR: this.options.clusterCIDR });
    } else {
      // Only the ports that changed or vanished are recomputed and diffed.
      const touched = [...snapshot.changedPorts, ...snapshot.removedPorts];
      const byKey = new Map(snapshot.changed.map((p) => [p.key, p]));
      const before: NftElements[] = [];
      const after: NftElements[] = [];
      for (const key of new Set(touched)) {
        const old = this.perPort.get(key);
        if (old) {
          before.push(old);
          elementDelta -= countElements(old);
        }
        const port = byKey.get(key);
        if (port) {
          const el = nftElements([port]);
          elementDelta += countElements(el);
          after.push(el);
          nextPerPort.set(key, el);
        } else nextPerPort.delete(key);
      }
      payload = renderNftDelta(mergeElements(before), mergeElements(after));
    }
    this.synced = false;
    if (payload !== '') {
      const r = await this.exec('nft', ['-f', '-'], payload);
      if (r.code !== 0) {
        this.options.logger?.error({ stderr: r.stderr }, 'nft sync failed; next sync is full');
        throw new Error(`nft -f failed (${r.code}): ${r.stderr.trim()}`);
      }
    }
    this.perPort = nextPerPort;
    this.synced = true;
    if (full) {
      this.elements = 0;
      for (const el of this.perPort.values()) this.elements += countElements(el);
    } else this.elements += elementDelta;
    const elements = this.elements;
    this.options.logger?.info({ full, bytes: payload.length, elements }, 'synced nftables rules');
    return { full, payloadBytes: payload.length, elements };
  }
}

function countElements(el: NftElements): number {
  let n = 0;
  for (const m of Object.values(el) as Array<Map<string, string>>) n += m.size;
  return n;
}
