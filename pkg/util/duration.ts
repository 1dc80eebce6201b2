/**
 * Go `time.ParseDuration` for command-line flags (`40s`, `1m30s`, `500ms`, `1.5h`), as every
 * Kubernetes component accepts durations. Pure.
 */

const UNITS_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go duration string; throws `Error` with Go's message on bad input. */
export function parseDuration(text: string): number {
  const input = text.trim();
  if (input === '0') return 0;
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(input);
  if (!match) throw new Error(`time: invalid duration "${text}"`);
  let total = 0;
  for (const part of input.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * UNITS_MS[part[2]];
  return match[1] === '-' ? -total : total;
}

/** Go's `time.Duration.String()` of a whole number of milliseconds: `10s`, `1m0s`, `1.5s`, `1m30.25s`, `500ms`, `0s`. */
export function formatDuration(ms: number): string {
  const whole = Math.round(ms);
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const millis = whole % 60_000;
  const seconds = `${Math.floor(millis / 1000)}${millis % 1000 ? `.${String(millis % 1000).padStart(3, '0').replace(/0+$/, '')}` : ''}s`;
  if (hours) return `${hours}h${minutes}m${seconds}`;
  if (minutes) return `${minutes}m${seconds}`;
  return seconds;
}
