/**
 * The numeric value of an IP address text that already passed the IPv4/IPv6 syntax checks
 * (`isIPv4`/`isIPv6`): 32 bits for IPv4, 128 for IPv6 (an embedded dotted IPv4 tail included).
 * Pure; shared by the strict IP/CIDR checks and the NetworkPolicy CIDR arithmetic.
 */

/** `a.b.c.d` as a 32-bit value (leading zeros read as decimal, as Go's parser did). */
export function ipv4Bits(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** An IPv6 text (with `::` and an optional dotted IPv4 tail) as a 128-bit value. */
export function ipv6Bits(ip: string): bigint {
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4Bits(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const missing = text.includes('::') ? 8 - headGroups.length - restGroups.length : 0;
  return [...headGroups, ...Array<string>(missing).fill('0'), ...restGroups].reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}
