/** IPv4/IPv6 addresses as (family, 128-bit or 32-bit bigint), for the CEL ip and cidr libraries. */
import { isIPv4, isIPv6 } from 'node:net';

/** A parsed address; `bits` is 32 or 128. */
export interface ParsedAddress {
  family: 4 | 6;
  bits: 32 | 128;
  value: bigint;
}

function v4Value(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6Value(text: string): bigint {
  let s = text;
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4Tail) {
    const v = v4Value(v4Tail[1]!);
    s = `${s.slice(0, -v4Tail[1]!.length)}${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses an address without zone; undefined when invalid (IPv4 with leading zeros included). */
export function parseAddress(text: string): ParsedAddress | undefined {
  if (isIPv4(text)) return { family: 4, bits: 32, value: v4Value(text) };
  if (isIPv6(text) && !text.includes('%')) return { family: 6, bits: 128, value: v6Value(text) };
  return undefined;
}

/** The canonical text (RFC 5952 for IPv6). */
export function formatAddress(a: ParsedAddress): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 0xffn)).join('.');
  if (a.value >> 32n === 0xffffn) return `::ffff:${formatAddress({ family: 4, bits: 32, value: a.value & 0xffffffffn })}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((a.value >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** The network mask of a prefix length. */
export function maskOf(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return prefix === 0 ? 0n : (all >> BigInt(bits - prefix)) << BigInt(bits - prefix);
}
