/**
 * metav1.Time (`2006-01-02T15:04:05Z`) and metav1.MicroTime (`2006-01-02T15:04:05.000000Z`)
 * wire formats: RFC 3339 in, UTC out with the kind's precision.
 */
import { z } from 'zod';
import { goRFC3339ParseError } from './go-time-parse.ts';
import { jsonKindName } from './json-kind.ts';

const rfc3339Re = /^(\d{4}-\d{2}-\d{2})[Tt](\d{1,2}:\d{2}:\d{2})([.,]\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** True for a timestamp Go's `time.Parse(time.RFC3339, text)` accepts (what metav1.Time decodes). */
export function isRFC3339(text: string): boolean {
  return goRFC3339ParseError(text) === undefined;
}

/**
 * Why `metav1.Time.UnmarshalJSON` refuses a JSON value, in its words, or undefined when it takes
 * it: a string must parse as RFC 3339 (`parsing time "yesterday" as "2006-01-02T15:04:05Z07:00":
 * cannot parse "yesterday" as "2006"`); any other JSON type fails its inner string decode.
 * `null` (a zero time) is taken.
 */
export function timeDecodeError(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return goRFC3339ParseError(value);
  return `json: cannot unmarshal ${jsonKindName(value)} into Go value of type string`;
}

/** A timestamp string that must be RFC 3339; otherwise a decode error in Go's words, as upstream. */
export const TimeStringSchema = z.string().superRefine((text, ctx) => {
  const message = goRFC3339ParseError(text);
  if (message) ctx.addIssue({ code: 'custom', message });
});

/** Re-renders an RFC 3339 timestamp in UTC with `fractionDigits` (0 for Time, 6 for MicroTime). */
export function formatTimestamp(text: string, fractionDigits: 0 | 6): string {
  const m = rfc3339Re.exec(text);
  if (!m) return text;
  const seconds = Date.parse(`${m[1]}T${m[2].padStart(8, '0')}${m[4].toUpperCase()}`);
  if (Number.isNaN(seconds)) return text; // offsets beyond ±23:59, which Go takes and JS does not
  const base = new Date(seconds).toISOString().slice(0, 19);
  if (fractionDigits === 0) return `${base}Z`;
  const fraction = (m[3] ?? '.').slice(1).padEnd(6, '0').slice(0, 6);
  return `${base}.${fraction}Z`;
}

/** MicroTime rendering of a timestamp: `2024-01-02T03:04:05.123456Z`. */
export function formatMicroTime(text: string): string {
  return formatTimestamp(text, 6);
}
