/**
 * Kubernetes' CEL IP and CIDR libraries (apiserver/pkg/cel/library/ip.go, cidr.go): `ip()`,
 * `isIP`, `ip.isCanonical`, `family`, `isUnspecified`, `isLoopback`, `isLinkLocalMulticast`,
 * `isLinkLocalUnicast`, `isGlobalUnicast`; `cidr()`, `isCIDR`, `containsIP`, `containsCIDR`,
 * `ip`, `masked`, `prefixLength`; `string()` of both.
 */
import { EvaluationError, type Environment } from '@marcbachmann/cel-js';
import { formatAddress, maskOf, parseAddress, type ParsedAddress } from './ip-address.ts';

/** An IP address in CEL. */
export class CelIP {
  constructor(readonly address: ParsedAddress) {}
  toString(): string {
    return formatAddress(this.address);
  }
}

/** A CIDR (address and prefix length) in CEL. */
export class CelCIDR {
  constructor(
    readonly address: ParsedAddress,
    readonly prefix: number,
  ) {}
  toString(): string {
    return `${formatAddress(this.address)}/${this.prefix}`;
  }
}

function parseIP(text: string): CelIP {
  const a = parseAddress(text);
  if (!a) throw new EvaluationError(`IP Address "${text}" parse error during conversion from string: ParseAddr("${text}"): unable to parse IP`);
  return new CelIP(a);
}

function parseCIDRText(text: string): CelCIDR | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const a = m && parseAddress(m[1]!);
  if (!a || Number(m![2]) > a.bits) return undefined;
  return new CelCIDR(a, Number(m![2]));
}

function parseCIDR(text: string): CelCIDR {
  const c = parseCIDRText(text);
  if (!c) throw new EvaluationError(`network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("${text}"): invalid prefix`);
  return c;
}

function inRange(a: ParsedAddress, base: string, prefix: number): boolean {
  const b = parseAddress(base)!;
  return a.family === b.family && (a.value & maskOf(a.bits, prefix)) === (b.value & maskOf(b.bits, prefix));
}

function contains(c: CelCIDR, a: ParsedAddress): boolean {
  return c.address.family === a.family && (a.value & maskOf(a.bits, c.prefix)) === (c.address.value & maskOf(a.bits, c.prefix));
}

const ipOf = (v: CelIP | string) => (typeof v === 'string' ? parseIP(v).address : v.address);
const cidrOf = (v: CelCIDR | string) => (typeof v === 'string' ? parseCIDR(v) : v);

function isLoopback(a: ParsedAddress): boolean {
  return a.family === 4 ? inRange(a, '127.0.0.0', 8) : a.value === 1n;
}

function isLinkLocalUnicast(a: ParsedAddress): boolean {
  return a.family === 4 ? inRange(a, '169.254.0.0', 16) : inRange(a, 'fe80::', 10);
}

function isLinkLocalMulticast(a: ParsedAddress): boolean {
  return a.family === 4 ? inRange(a, '224.0.0.0', 24) : inRange(a, 'ff02::', 16);
}

function isGlobalUnicast(a: ParsedAddress): boolean {
  const multicast = a.family === 4 ? inRange(a, '224.0.0.0', 4) : inRange(a, 'ff00::', 8);
  const broadcast = a.family === 4 && a.value === 0xffffffffn;
  return a.value !== 0n && !isLoopback(a) && !multicast && !broadcast && !isLinkLocalUnicast(a);
}

/** The receiver of `ip.isCanonical(…)` (a namespace beside the `ip()` function). */
class IPNamespace {}

/** Registers the IP and CIDR types and functions on `env`. */
export function registerIPLibrary(env: Environment): void {
  env
    .registerType('IPNamespace', IPNamespace)
    .registerConstant('ip', 'IPNamespace', new IPNamespace())
    .registerType('net.IP', CelIP)
    .registerType('net.CIDR', CelCIDR)
    .registerFunction('ip(string): net.IP', parseIP)
    .registerFunction('isIP(string): bool', (s: string) => parseAddress(s) !== undefined)
    .registerFunction('IPNamespace.isCanonical(string): bool', (_: unknown, s: string) => formatAddress(parseIP(s).address) === s)
    .registerFunction('string(net.IP): string', (v: CelIP) => v.toString())
    .registerFunction('net.IP.family(): int', (v: CelIP) => BigInt(v.address.family))
    .registerFunction('net.IP.isUnspecified(): bool', (v: CelIP) => v.address.value === 0n)
    .registerFunction('net.IP.isLoopback(): bool', (v: CelIP) => isLoopback(v.address))
    .registerFunction('net.IP.isLinkLocalMulticast(): bool', (v: CelIP) => isLinkLocalMulticast(v.address))
    .registerFunction('net.IP.isLinkLocalUnicast(): bool', (v: CelIP) => isLinkLocalUnicast(v.address))
    .registerFunction('net.IP.isGlobalUnicast(): bool', (v: CelIP) => isGlobalUnicast(v.address))
    .registerOperator('net.IP == net.IP', (a: CelIP, b: CelIP) => a.address.family === b.address.family && a.address.value === b.address.value)
    .registerFunction('cidr(string): net.CIDR', parseCIDR)
    .registerFunction('isCIDR(string): bool', (s: string) => parseCIDRText(s) !== undefined)
    .registerFunction('string(net.CIDR): string', (v: CelCIDR) => v.toString())
    .registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CelCIDR, v: CelIP) => contains(c, ipOf(v)))
    .registerFunction('net.CIDR.containsIP(string): bool', (c: CelCIDR, v: string) => contains(c, ipOf(v)))
    .registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (c: CelCIDR, o: CelCIDR) => o.prefix >= c.prefix && contains(c, o.address))
    .registerFunction('net.CIDR.containsCIDR(string): bool', (c: CelCIDR, s: string) => {
      const o = cidrOf(s);
      return o.prefix >= c.prefix && contains(c, o.address);
    })
    .registerFunction('net.CIDR.ip(): net.IP', (c: CelCIDR) => new CelIP(c.address))
    .registerFunction('net.CIDR.masked(): net.CIDR', (c: CelCIDR) => new CelCIDR({ ...c.address, value: c.address.value & maskOf(c.address.bits, c.prefix) }, c.prefix))
    .registerFunction('net.CIDR.prefixLength(): int', (c: CelCIDR) => BigInt(c.prefix))
    .registerOperator('net.CIDR == net.CIDR', (a: CelCIDR, b: CelCIDR) => a.prefix === b.prefix && a.address.value === b.address.value && a.address.family === b.address.family);
}
