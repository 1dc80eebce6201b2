import type { Logger } from 'pino';
import type { Exec } from '../iptables/exec.ts';
import type { ProxierHost } from '../iptables/proxier.ts';
import { ProxyState } from '../state.ts';
import type { EndpointSliceLike, ServiceLike } from '../types.ts';
import { nftElements, renderNftDelta, renderNftFull, type NftElements } from './render.ts';

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
  private applied: NftElements | undefined;
  private initialized = false;

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
    const { all } = this.state.drain();
    const next = nftElements(all);
    const prev = this.applied;
    // No listing to detect an external flush: nft fetches every set element to list anything. A delta
    // against a missing table fails, and a failed sync makes the next one full.
    const full = prev === undefined;
    const payload = full ? renderNftFull(next, { clusterCIDR: this.options.clusterCIDR }) : renderNftDelta(prev!, next);
    this.applied = undefined;
    if (payload !== '') {
      const r = await this.exec('nft', ['-f', '-'], payload);
      if (r.code !== 0) {
        this.options.logger?.error({ stderr: r.stderr }, 'nft sync failed; next sync is full');
        throw new Error(`nft -f failed (${r.code}): ${r.stderr.trim()}`);
      }
    }
    this.applied = next;
    const elements = Object.values(next).reduce((n: number, m: Map<string, string>) => n + m.size, 0);
    this.options.logger?.info({ full, bytes: payload.length, elements }, 'synced nftables rules');
    return { full, payloadBytes: payload.length, elements };
  }
}
