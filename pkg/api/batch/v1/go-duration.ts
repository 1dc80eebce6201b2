/** Go's time.ParseDuration (for cron's `@every`): milliseconds, or Go's error text. Pure. */

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function goDurationMs(text: string): number | string {
  const invalid = `time: invalid duration ${JSON.stringify(text)}`;
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return invalid;
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(\.\d*)?/.exec(s)!;
    if (num[0] === '' || num[0] === '.') return invalid;
    s = s.slice(num[0].length);
    const unit = /^[^\d.]+/.exec(s)?.[0];
    if (!unit) return `time: missing unit in duration ${JSON.stringify(text)}`;
    const factor = UNITS[unit];
    if (factor === undefined) return `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`;
    total += Number(num[0]) * factor;
    s = s.slice(unit.length);
  }
  return sign * total;
}
