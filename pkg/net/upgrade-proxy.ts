/**
 * Forwards an HTTP upgrade (SPDY or WebSocket: exec, attach, port-forward) to another server
 * byte for byte: the request line and headers are re-sent to the target (Host rewritten),
 * then both sockets are piped until either side closes. The target's answer — `101 Switching
 * Protocols` or an error response — reaches the client unchanged, so protocol negotiation
 * happens end to end. An `https:` target is dialled over TLS with the given options (CA to
 * verify it, client certificate to present).
 */
import type { IncomingMessage } from 'node:http';
import { connect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';

/** Headers that describe the hop, not the request (dropped before forwarding, Host is set anew). */
const HOP_HEADERS = new Set(['host', 'content-length', 'transfer-encoding']);

/** Serializes the request head for `target` (a full URL whose path and query are used). */
export function upgradeRequestHead(req: Pick<IncomingMessage, 'method' | 'rawHeaders'>, target: URL): string {
  const lines = [`${req.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (!HOP_HEADERS.has(req.rawHeaders[i].toLowerCase())) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** How {@link writeRawResponse} describes its body. */
export interface RawResponseOptions {
  /** Default `application/json`. */
  contentType?: string;
  /** More header lines (name → value), after Content-Type. */
  headers?: Readonly<Record<string, string>>;
}

/** Writes a complete HTTP error response on a raw socket and closes it. */
export function writeRawResponse(socket: Duplex, code: number, reason: string, body: string, options: RawResponseOptions = {}): void {
  if (socket.destroyed) return;
  let extra = '';
  for (const [name, value] of Object.entries(options.headers ?? {})) extra += `${name}: ${value}\r\n`;
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: ${options.contentType ?? 'application/json'}\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** TLS options for `https:` targets (ca, cert, key, rejectUnauthorized …); host and port come from the URL. */
export type UpgradeTlsOptions = Omit<ConnectionOptions, 'host' | 'port' | 'socket'>;

/** Opens the connection to `target` and names the event that says it is usable: plain TCP for `http:`, TLS (verified by `tls`) for `https:`. */
function dial(target: URL, tls: UpgradeTlsOptions | undefined): { socket: Socket; ready: 'connect' | 'secureConnect' } {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (target.protocol !== 'https:') return { socket: connect({ host, port: Number(target.port || 80) }), ready: 'connect' };
  return { socket: tlsConnect({ ...tls, host, port: Number(target.port || 443), ...(isIP(host) ? {} : { servername: host }) }), ready: 'secureConnect' };
}

/** Proxies the upgrade to `target`; resolves when the tunnel is established or failed. */
export function proxyUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, target: URL, tls?: UpgradeTlsOptions): Promise<void> {
  return new Promise((resolve) => {
    const { socket: upstream, ready } = dial(target, tls);
    const fail = (err: Error) => {
      writeRawResponse(client, 502, 'Bad Gateway', JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `error dialing backend: ${err.message}`, reason: 'InternalError', code: 500 }));
      resolve();
    };
    upstream.once('error', fail);
    upstream.once(ready, () => {
      upstream.off('error', fail);
      upstream.write(upgradeRequestHead(req, target));
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
      const close = () => {
        upstream.destroy();
        client.destroy();
      };
      upstream.on('error', close);
      client.on('error', close);
      upstream.on('close', close);
      client.on('close', close);
      resolve();
    });
  });
}
