/**
 * `host:port` as Go's `net.JoinHostPort` writes it: an IPv6 host in brackets. With an empty
 * `port` the (bracketed) host alone, as a URL authority without a port. Pure.
 */
export function joinHostPort(host: string, port: string | number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return port === '' ? h : `${h}:${port}`;
}
