/**
 * IP addresses as numbers: parse and format IPv4 (dotted quad) and IPv6 (RFC 4291 text,
 * including `::` compression and an embedded IPv4 tail). Pure; no DNS, no zones.
 */

export type IpFamily = 'IPv4' | 'IPv6';

/** A parsed address: its family and its value as an unsigned integer (32 or 128 bits). */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** Bit width of each family. */
export const FAMILY_BITS: Readonly<Record<IpFamily, number>> = { IPv4: 32, IPv6: 128 };

const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/;

/** Parses `10.96.0.1`; undefined unless it is exactly four decimal octets 0–255 (no leading zeros). */
export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_PART.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

/** Parses IPv6 text (`fd00::1`, `::ffff:10.0.0.1`); undefined if malformed. */
export function parseIPv6(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups: number[] = [];
  const decode = (parts: string[], isLastBlock: boolean): number[] | undefined => {
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (isLastBlock && i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIPv4(part);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
      out.push(parseInt(part, 16));
    }
    return out;
  };
  const headGroups = decode(head, tail.length === 0);
  const tailGroups = decode(tail, true);
  if (!headGroups || !tailGroups) return undefined;
  if (halves.length === 2) {
    const missing = 8 - headGroups.length - tailGroups.length;
    if (missing < 1) return undefined;
    groups.push(...headGroups, ...new Array<number>(missing).fill(0), ...tailGroups);
  } else {
    groups.push(...headGroups);
  }
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Parses either family; undefined if the text is not an IP address. */
export function parseIP(text: string): IpAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: 'IPv4', value: v4 };
  const v6 = parseIPv6(text);
  if (v6 !== undefined) return { family: 'IPv6', value: v6 };
  return undefined;
}

/** The family of an address text, or undefined if it is not an address. */
export function ipFamilyOf(text: string): IpFamily | undefined {
  return parseIP(text)?.family;
}

/** Formats an address in canonical text (RFC 5952 for IPv6: lower case, longest zero run as `::`). */
export function formatIP(address: IpAddress): string {
  if (address.family === 'IPv4') {
    const v = address.value;
    return [24n, 16n, 8n, 0n].map((shift) => String((v >> shift) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((address.value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
