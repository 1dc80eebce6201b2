import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { Logger } from 'pino';

/** A NodePort to hold open. */
export interface HeldPort {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/**
 * The sockets to hold for `ports`: one per TCP/UDP NodePort on every address (`ip` '') when
 * `addresses` is undefined, else one per NodePort and address (--nodeport-addresses, as upstream
 * opened them per node address). Keys are `PROTOCOL/ip/port`. Pure.
 */
export function wantedSockets(ports: Iterable<HeldPort>, addresses: readonly string[] | undefined): Map<string, { protocol: 'TCP' | 'UDP'; ip: string; port: number }> {
  const out = new Map<string, { protocol: 'TCP' | 'UDP'; ip: string; port: number }>();
  for (const p of ports) {
    if (p.port <= 0 || p.protocol === 'SCTP') continue;
    for (const ip of addresses ?? ['']) out.set(`${p.protocol}/${ip}/${p.port}`, { protocol: p.protocol, ip, port: p.port });
  }
  return out;
}

/**
 * Holds every NodePort open with a listening socket (as upstream kube-proxy does) so no other
 * process on the node can take it. `reconcile` opens new sockets and closes vanished ones; a port
 * that cannot be opened is logged and retried on the next reconcile.
 */
export class NodePortHolder {
  private readonly open = new Map<string, Server | Socket>();

  constructor(private readonly log?: Logger) {}

  /** Hold `ports` on `addresses` (undefined = every address). */
  async reconcile(ports: Iterable<HeldPort>, addresses?: readonly string[]): Promise<void> {
    const want = wantedSockets(ports, addresses);
    for (const [key, sock] of this.open) {
      if (want.has(key)) continue;
      sock.close();
      this.open.delete(key);
    }
    for (const [key, { protocol, ip, port }] of want) {
      if (this.open.has(key)) continue;
      try {
        this.open.set(key, await listen(protocol, ip, port));
      } catch (err) {
        this.log?.warn({ err, port, protocol, address: ip || undefined }, 'cannot hold NodePort open');
      }
    }
  }

  /** Keys (`TCP//30080`, `TCP/192.168.1.5/30080`) of the sockets held open. */
  held(): string[] {
    return [...this.open.keys()];
  }

  close(): void {
    for (const sock of this.open.values()) sock.close();
    this.open.clear();
  }
}

function listen(protocol: 'TCP' | 'UDP', ip: string, port: number): Promise<Server | Socket> {
  return new Promise((resolve, reject) => {
    if (protocol === 'UDP') {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(port, ip || undefined, () => resolve(s));
    } else {
      const s = createServer((c) => c.destroy());
      s.once('error', reject);
      s.listen(port, ip || undefined, () => resolve(s));
    }
  });
}
