/**
 * Lets machines inside a test's network namespace reach the Debian archive without any veth,
 * route or NAT on the host: a TCP listener on 127.0.0.1:80 inside the namespace (a one-line node
 * forwarder started with `spawnInNetns`) hands each connection over a unix socket to this
 * process, which connects it to `<archiveHost>:80` from the host's namespace. Containers sharing
 * the namespace resolve `archiveHost` to 127.0.0.1 (`--add-host`), so apt talks to the archive as
 * usual. Only that one host is relayed.
 */
import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import type { PodmanInNetns } from './podman-in-netns.ts';

/** A running relay; `stop()` closes the host side (the forwarder stops with the podman harness). */
export interface ArchiveRelay {
  archiveHost: string;
  stop(): Promise<void>;
}

/** The host name of an archive URL (`http://deb.debian.org/debian` → `deb.debian.org`); only plain http on port 80 is relayed. Pure. */
export function relayableArchiveHost(archiveUrl: string): string {
  const url = new URL(archiveUrl);
  if (url.protocol !== 'http:' || (url.port && url.port !== '80')) throw new Error(`cannot relay ${archiveUrl}: only http:// on port 80`);
  return url.hostname;
}

const FORWARDER = `const net=require('node:net');const [sock]=process.argv.slice(1);net.createServer((d)=>{const u=net.connect(sock);d.pipe(u).pipe(d);const c=()=>{d.destroy();u.destroy()};d.on('error',c).on('close',c);u.on('error',c).on('close',c)}).listen(80,'127.0.0.1')`;

/** Starts both ends for `archiveUrl`'s host. */
export async function startArchiveRelay(podman: PodmanInNetns, archiveUrl: string): Promise<ArchiveRelay> {
  const archiveHost = relayableArchiveHost(archiveUrl);
  const socket = join(podman.dir, 'archive-relay.sock');
  const server: Server = createServer((inner) => {
    const outer = connect(80, archiveHost);
    inner.pipe(outer).pipe(inner);
    const close = () => {
      inner.destroy();
      outer.destroy();
    };
    inner.on('error', close).on('close', close);
    outer.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, () => resolve()));
  podman.spawnInNetns('archive-relay', process.execPath, ['-e', FORWARDER, socket]);
  return { archiveHost, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
