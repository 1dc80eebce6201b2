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

/** Go's `time.Duration.String()` for whole seconds and above (`10s`, `1m20s`, `5m0s`, `1h0m0s`); sub-second values as `500ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}
