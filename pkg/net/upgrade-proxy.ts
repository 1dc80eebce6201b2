/**
 * Forwards an HTTP upgrade (SPDY or WebSocket: exec, attach, port-forward) to another server
 * byte for byte: the request line and headers are re-sent to the target (Host rewritten),
 * then both sockets are piped until either side closes. The target's answer — `101 Switching
 * Protocols` or an error response — reaches the client unchanged, so protocol negotiation
 * happens end to end; any other answer is refused, as upstream's UpgradeAwareHandler does. The
 * caller hears which answer is relayed before the client sees it (auditing). An `https:` target
 * is dialled over TLS with the given options (CA to verify it, client certificate to present).
 */
import type { IncomingMessage } from 'node:http';
import { connect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';

/** Headers that describe the hop, not the request (dropped before forwarding, Host is set anew). */
const HOP_HEADERS = new Set(['host', 'content-length', 'transfer-encoding']);

/** Header lines sent in place of the request's own: name → value, or one line per value of an array. */
export type UpgradeRequestHeaders = Readonly<Record<string, string | readonly string[]>>;

/**
 * Serializes the request head for `target` (a full URL whose path and query are used): the
 * request's own header lines, or `headers` instead when given; either way less the hop headers
 * (Host, Content-Length, Transfer-Encoding), with Host set to the target's. Pure.
 */
export function upgradeRequestHead(req: Pick<IncomingMessage, 'method' | 'rawHeaders'>, target: URL, headers?: UpgradeRequestHeaders): string {
  const lines = [`${req.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`];
  const pairs: Array<[string, string]> = [];
  if (headers) {
    for (const [name, value] of Object.entries(headers)) for (const v of typeof value === 'string' ? [value] : value) pairs.push([name, v]);
  } else {
    for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  }
  for (const [name, value] of pairs) if (!HOP_HEADERS.has(name.toLowerCase())) lines.push(`${name}: ${value}`);
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

/**
 * Opens the connection to `target` and names the event that says it is usable: plain TCP for
 * `http:`, TLS (verified by `tls`) for `https:`. The name verified is `tls.servername` when given
 * (an aggregated server's `<service>.<namespace>.svc`), else the target's host name.
 */
function dial(target: URL, tls: UpgradeTlsOptions | undefined): { socket: Socket; ready: 'connect' | 'secureConnect' } {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (target.protocol !== 'https:') return { socket: connect({ host, port: Number(target.port || 80) }), ready: 'connect' };
  const servername = tls?.servername ?? (isIP(host) ? undefined : host);
  return { socket: tlsConnect({ ...tls, host, port: Number(target.port || 443), ...(servername ? { servername } : {}) }), ready: 'secureConnect' };
}

/** What {@link proxyUpgrade} is told besides the request and the target. */
export interface UpgradeProxyOptions {
  /** For `https:` targets. */
  tls?: UpgradeTlsOptions;
  /** The header lines the target gets instead of the request's own (see {@link upgradeRequestHead}). */
  headers?: UpgradeRequestHeaders;
  /**
   * The target's answer has been read and is about to reach the client: `code` is 101, or an
   * error status (≥ 400) relayed as is. Called once, before any byte of it is relayed.
   */
  onRelay?(code: number): void;
  /**
   * The target could not be reached, or did not answer the upgrade (no response, or a status that
   * is neither 101 nor an error, as upstream refuses): nothing has been relayed, the client is
   * still to be answered. A failed dial's error has the socket's error (its `code`) as `cause`.
   * Default: 502 with a Status naming the failure.
   */
  onError?(err: Error): void;
}

/** Longest response head read while waiting for the target's status line. */
const MAX_STATUS_LINE_BYTES = 4096;

/** The status code of an HTTP/1.x response's first line; undefined when it is not one (or not complete yet). Pure. */
export function responseStatusCode(head: Buffer): number | undefined {
  const end = head.indexOf('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(head.subarray(0, end < 0 ? 0 : end).toString('latin1'));
  return m ? Number(m[1]) : undefined;
}

function defaultUpgradeError(client: Duplex): (err: Error) => void {
  return (err) => writeRawResponse(client, 502, 'Bad Gateway', JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: 'InternalError', code: 500 }));
}

/** Pipes both sockets until either side closes, then closes both. */
function tunnel(upstream: Socket, client: Duplex): void {
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
}

/**
 * Proxies the upgrade to `target`; resolves when the tunnel is established or failed. The
 * target's status line is read before anything is relayed: 101 and error answers go to the client
 * unchanged (then the tunnel), anything else is refused through `onError`. A client that goes
 * away first just ends the attempt.
 */
export function proxyUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, target: URL, options: UpgradeProxyOptions = {}): Promise<void> {
  const onError = options.onError ?? defaultUpgradeError(client);
  return new Promise((resolve) => {
    const { socket: upstream, ready } = dial(target, options.tls);
    let received = Buffer.alloc(0);
    const settle = () => {
      // Whatever the outcome, a late error on the target's socket must not go unhandled.
      upstream.on('error', () => {});
      upstream.off('error', dialFailed);
      upstream.off('close', closedEarly);
      upstream.off('data', onData);
      client.off('close', clientGone);
      resolve();
    };
    const failed = (err: Error) => {
      settle();
      upstream.destroy();
      onError(err);
    };
    const dialFailed = (err: Error) => failed(new Error(`error dialing backend: ${err.message}`, { cause: err }));
    const closedEarly = () => failed(new Error('error dialing backend: the connection closed before the upgrade was answered'));
    const clientGone = () => {
      settle();
      upstream.destroy();
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const lineEnd = received.indexOf('\r\n');
      if (lineEnd < 0 && received.length < MAX_STATUS_LINE_BYTES) return;
      const code = responseStatusCode(received);
      if (code === undefined) return failed(new Error('invalid upgrade response: malformed HTTP response'));
      if (code !== 101 && code < 400) return failed(new Error(`invalid upgrade response: status code ${code}`));
      settle();
      upstream.pause();
      options.onRelay?.(code);
      client.write(received);
      tunnel(upstream, client);
    };
    upstream.once('error', dialFailed);
    client.once('close', clientGone);
    upstream.once(ready, () => {
      upstream.once('close', closedEarly);
      upstream.on('data', onData);
      upstream.write(upgradeRequestHead(req, target, options.headers));
      if (head.length) upstream.write(head);
    });
  });
}
