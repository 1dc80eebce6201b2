import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { Logger } from 'pino';

/** A NodePort to hold open. */
export interface HeldPort {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/**
 * Holds every NodePort open with a listening socket (as upstream kube-proxy does) so no other
 * process on the node can take it. `reconcile` opens new ports and closes vanished ones; a port
 * that cannot be opened is logged and retried on the next reconcile.
 */
export class NodePortHolder {
  private readonly open = new Map<string, Server | Socket>();

  constructor(private readonly log?: Logger) {}

  async reconcile(ports: Iterable<HeldPort>): Promise<void> {
    const want = new Set<string>();
    for (const p of ports) if (p.port > 0 && p.protocol !== 'SCTP') want.add(`${p.protocol}/${p.port}`);
    for (const [key, sock] of this.open) {
      if (want.has(key)) continue;
      sock.close();
      this.open.delete(key);
    }
    for (const key of want) {
      if (this.open.has(key)) continue;
      const [protocol, port] = key.split('/') as ['TCP' | 'UDP', string];
      try {
        this.open.set(key, await listen(protocol, Number(port)));
      } catch (err) {
        this.log?.warn({ err, port: Number(port), protocol }, 'cannot hold NodePort open');
      }
    }
  }

  /** Keys (`TCP/30080`) of the ports held open. */
  held(): string[] {
    return [...this.open.keys()];
  }

  close(): void {
    for (const sock of this.open.values()) sock.close();
    this.open.clear();
  }
}

function listen(protocol: 'TCP' | 'UDP', port: number): Promise<Server | Socket> {
  return new Promise((resolve, reject) => {
    if (protocol === 'UDP') {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(port, () => resolve(s));
    } else {
      const s = createServer((c) => c.destroy());
      s.once('error', reject);
      s.listen(port, () => resolve(s));
    }
  });
}
