/**
 * For tests whose containerd runs in a network namespace: containerd's streaming server
 * (exec/attach/port-forward URLs) listens on 127.0.0.1 inside that namespace, out of the host
 * kubelet's reach. This wraps a {@link ContainerRuntime} so each streaming URL points at a relay
 * on the host's 127.0.0.1 instead: a TCP listener here hands every connection over a unix socket
 * to e2e/harness/unix-to-tcp-forwarder.mjs started inside the namespace (nsenter), which connects it to the
 * real port. No veth, route or address changes anywhere. `close()` stops both ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerRuntime } from '../runtime/types.ts';

/** The forwarder the e2e harness also starts inside namespaces (`node SCRIPT SOCKET HOST PORT`). */
const FORWARDER = fileURLToPath(new URL('../../e2e/harness/unix-to-tcp-forwarder.mjs', import.meta.url));

/** A runtime whose streaming URLs reach into the namespace, and the relays' shutdown. */
export interface RelayedRuntime {
  runtime: ContainerRuntime;
  close(): Promise<void>;
}

function splice(a: Socket, b: Socket): void {
  a.pipe(b).pipe(a);
  const close = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', close).on('close', close);
  b.on('error', close).on('close', close);
}

/** Wraps `runtime`; `dir` holds the unix sockets, `netns` names `/var/run/netns/<netns>`. */
export function relayStreamsFromNetns(runtime: ContainerRuntime, options: { netns: string; dir: string }): RelayedRuntime {
  const relays = new Map<string, Promise<number>>();
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const forwarders: ChildProcess[] = [];

  /** The host port relaying to `port` inside the namespace (one relay per port, started once). */
  const relayPort = (port: string): Promise<number> => {
    let started = relays.get(port);
    if (!started) {
      started = (async () => {
        const sock = join(options.dir, `stream-relay-${port}.sock`);
        const child = spawn('nsenter', [`--net=/var/run/netns/${options.netns}`, process.execPath, FORWARDER, sock, '127.0.0.1', port], { stdio: 'ignore' });
        forwarders.push(child);
        for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
        const server = createServer((outer) => {
          sockets.add(outer);
          outer.on('close', () => sockets.delete(outer));
          splice(outer, connect(sock));
        });
        servers.push(server);
        await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
        return (server.address() as AddressInfo).port;
      })();
      relays.set(port, started);
    }
    return started;
  };

  const rewrite = async (raw: string): Promise<string> => {
    const url = new URL(raw);
    url.port = String(await relayPort(url.port || '80'));
    return url.toString();
  };

  const wrapped = new Proxy(runtime, {
    get(target, prop, receiver) {
      if (prop === 'streamUrl') return async (...args: Parameters<ContainerRuntime['streamUrl']>) => rewrite(await target.streamUrl(...args));
      if (prop === 'portForwardUrl') return async (...args: Parameters<ContainerRuntime['portForwardUrl']>) => rewrite(await target.portForwardUrl(...args));
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });

  return {
    runtime: wrapped,
    close: async () => {
      for (const child of forwarders) child.kill('SIGTERM');
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
