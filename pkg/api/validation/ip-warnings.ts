/**
 * Upstream apimachinery's `GetWarningsForIP` / `GetWarningsForCIDR` (util/validation/ip.go,
 * Kubernetes 1.33): warnings for legacy IP and CIDR fields whose value is valid but not in the
 * standard form (IPv4 leading zeros, IPv4-mapped IPv6, non-canonical IPv6, bits set beyond a
 * CIDR's prefix length). Pure; values that do not parse at all get no warning (validation
 * rejects them).
 */
import { canonicalIP, is4In6, parseSloppy, V4_STRICT, type Parsed } from './ip-strict.ts';

/** Go's `net.IP.String()`: IPv4 (and IPv4-mapped IPv6) as a dotted quad, other IPv6 canonical. */
function netIPString(p: Parsed): string {
  return p.v6 && !is4In6(p) ? canonicalIP(p) : canonicalIP({ v6: false, value: p.value & 0xffffffffn });
}

/** Accepted by Go's sloppy parser but not by `netip` (leading zeros), or IPv4-mapped IPv6. */
function nonStandard(text: string, p: Parsed): boolean {
  return (!p.v6 && !V4_STRICT.test(text)) || is4In6(p);
}

/** GetWarningsForIP. */
export function ipWarnings(path: string, value: string): string[] {
  const p = parseSloppy(value);
  if (!p) return [];
  if (nonStandard(value, p)) return [`${path}: non-standard IP address ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(netIPString(p))}`];
  const canonical = canonicalIP(p);
  return p.v6 && canonical !== value ? [`${path}: IPv6 address ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`] : [];
}

/** GetWarningsForCIDR. */
export function cidrWarnings(path: string, value: string): string[] {
  const slash = value.indexOf('/');
  const ipText = value.slice(0, Math.max(slash, 0));
  const bitsText = value.slice(slash + 1);
  const p = slash > 0 ? parseSloppy(ipText) : undefined;
  // Go's ParseCIDR treats an IPv4-mapped address as IPv6 (128 bits) but prints the network as IPv4.
  const width = p?.v6 ? 128 : 32;
  if (!p || !/^\d+$/.test(bitsText) || Number(bitsText) > width) return [];
  const bits = Number(bitsText);
  const hostBits = BigInt(width - bits);
  const network: Parsed = { v6: p.v6, value: (p.value >> hostBits) << hostBits };
  const printedBits = is4In6(p) && bits >= 96 ? bits - 96 : bits;
  const ipnet = `${netIPString(network)}/${printedBits}`;
  const out: string[] = [];
  if (network.value !== p.value) {
    out.push(`${path}: CIDR value ${JSON.stringify(value)} is ambiguous in this context (should be ${JSON.stringify(ipnet)} or ${JSON.stringify(`${netIPString(p)}/${is4In6(p) ? 32 : width}`)}?)`);
  }
  if (nonStandard(ipText, p) || (bitsText.length > 1 && bitsText.startsWith('0'))) {
    out.push(`${path}: non-standard CIDR value ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(ipnet)}`);
  }
  const canonical = `${canonicalIP(p)}/${bits}`;
  if (out.length === 0 && p.v6 && canonical !== value) out.push(`${path}: IPv6 CIDR value ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`);
  return out;
}
