/** `HOST:PORT` flags (`--healthz-bind-address`, `--metrics-bind-address`, …). */

/** `host:port` → parts; an empty host means every address (`0.0.0.0`). Pure. */
export function splitHostPort(hp: string): { host: string; port: number } {
  const i = hp.lastIndexOf(':');
  return { host: hp.slice(0, i) || '0.0.0.0', port: Number(hp.slice(i + 1)) };
}
