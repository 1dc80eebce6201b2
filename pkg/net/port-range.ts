/**
 * Port ranges as given to `--service-node-port-range`: `30000-32767`, `30000+2767`, or a single
 * port `30000`. Pure.
 */

/** An inclusive range of ports: `base` … `base + size - 1`. */
export interface PortRange {
  readonly base: number;
  readonly size: number;
}

/** Parses the flag syntax; undefined if malformed, empty, reversed or outside 0–65535. */
export function parsePortRange(text: string): PortRange | undefined {
  const trimmed = text.trim();
  const match = /^(\d{1,5})(?:([-+])(\d{1,5}))?$/.exec(trimmed);
  if (!match) return undefined;
  const low = Number(match[1]);
  let high = low;
  if (match[2] === '-') high = Number(match[3]);
  else if (match[2] === '+') high = low + Number(match[3]);
  if (low > 65535 || high > 65535 || high < low) return undefined;
  return { base: low, size: high - low + 1 };
}

/** `30000-32767`, the form upstream prints in error messages. */
export function formatPortRange(range: PortRange): string {
  return `${range.base}-${range.base + range.size - 1}`;
}

export function portRangeContains(range: PortRange, port: number): boolean {
  return Number.isInteger(port) && port >= range.base && port < range.base + range.size;
}
