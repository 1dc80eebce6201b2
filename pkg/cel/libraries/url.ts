/**
 * Kubernetes' CEL URL library (apiserver/pkg/cel/library/urls.go): `url()`, `isURL`, and on a URL
 * `getScheme`, `getHost`, `getHostname`, `getPort`, `getEscapedPath`, `getQuery`.
 * Like Go's `url.ParseRequestURI`, only absolute URLs and absolute paths parse.
 */
import { EvaluationError, type Environment } from '@marcbachmann/cel-js';

/** A parsed URL in CEL. */
export class CelURL {
  constructor(
    readonly text: string,
    readonly url: URL | undefined,
  ) {}
  toString(): string {
    return this.text;
  }
}

function parseText(text: string): CelURL | undefined {
  if (text.startsWith('/')) return new CelURL(text, new URL(text, 'relative:///'));
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) return undefined;
  try {
    return new CelURL(text, new URL(text));
  } catch {
    return undefined;
  }
}

function parse(text: string): CelURL {
  const u = parseText(text);
  if (!u) throw new EvaluationError(`URL parse error during conversion from string: parse "${text}": invalid URI for request`);
  return u;
}

const isRelative = (u: CelURL) => u.url?.protocol === 'relative:';
const hostOf = (u: CelURL) => (isRelative(u) ? '' : (/^[^:]+:\/\/([^/?#]*)/.exec(u.text)?.[1]?.replace(/^[^@]*@/, '') ?? ''));

function query(u: CelURL): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of u.url?.searchParams ?? []) out.set(k, [...(out.get(k) ?? []), v]);
  return out;
}

/** Registers the URL type and functions on `env`. */
export function registerURLLibrary(env: Environment): void {
  env
    .registerType('net.URL', CelURL)
    .registerFunction('url(string): net.URL', parse)
    .registerFunction('isURL(string): bool', (s: string) => parseText(s) !== undefined)
    .registerFunction('net.URL.getScheme(): string', (u: CelURL) => (isRelative(u) ? '' : u.url!.protocol.slice(0, -1)))
    .registerFunction('net.URL.getHost(): string', hostOf)
    .registerFunction('net.URL.getHostname(): string', (u: CelURL) => hostOf(u).replace(/^\[([^\]]*)\](:\d*)?$/, '$1').replace(/^([^:[\]]*):\d*$/, '$1'))
    .registerFunction('net.URL.getPort(): string', (u: CelURL) => /:(\d*)$/.exec(hostOf(u).replace(/^\[[^\]]*\]/, ''))?.[1] ?? '')
    .registerFunction('net.URL.getEscapedPath(): string', (u: CelURL) => u.url?.pathname ?? '')
    .registerFunction('net.URL.getQuery(): map<string, list<string>>', query);
}
