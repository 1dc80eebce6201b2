/**
 * Indexed Jobs' interval lists (`1,3-5,7`): parsing and formatting as upstream's
 * validateIndexesFormat / parseIndexInterval and the controller's orderedIntervals.
 */

/** Parses one `x` or `x-y` interval below `completions`; an error message string on failure. */
function parseInterval(text: string, completions: number): [number, number] | string {
  const parts = text.split('-');
  if (parts.length > 2) return `the fragment ${JSON.stringify(text)} violates the requirement that an index interval can have at most two parts separated by '-'`;
  const nums: number[] = [];
  for (const p of parts) {
    if (!/^[+-]?\d+$/.test(p)) return `cannot convert string to integer for index: ${JSON.stringify(p)}`;
    const n = Number(p);
    if (n >= completions) return `too large index: ${JSON.stringify(p)}`;
    nums.push(n);
  }
  const [x, y = x] = nums as [number, number?];
  if (parts.length === 2 && x >= (y as number)) return `non-increasing order, previous: ${x}, current: ${y}`;
  return [x, y as number];
}

/** Upstream validateIndexesFormat: the number of indexes, or an error message. */
export function validateIndexesFormat(text: string, completions: number): number | string {
  if (text === '') return 0;
  let last: number | undefined;
  let total = 0;
  for (const interval of text.split(',')) {
    const parsed = parseInterval(interval, completions);
    if (typeof parsed === 'string') return parsed;
    const [x, y] = parsed;
    if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total += y - x + 1;
    last = y;
  }
  return total;
}

/** The indexes of a valid interval list below `completions` (invalid fragments are skipped). */
export function parseIndexes(text: string | undefined, completions: number): number[] {
  const out: number[] = [];
  for (const interval of (text ?? '').split(',')) {
    if (!interval) continue;
    const parsed = parseInterval(interval, completions);
    if (typeof parsed === 'string') continue;
    for (let i = parsed[0]; i <= parsed[1]; i++) out.push(i);
  }
  return out;
}

/** Formats sorted unique indexes as upstream's orderedIntervals.String(): `1,3-5,7`. */
export function formatIndexes(indexes: readonly number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
