/**
 * metav1.Time (`2006-01-02T15:04:05Z`) and metav1.MicroTime (`2006-01-02T15:04:05.000000Z`)
 * wire formats: RFC 3339 in, UTC out with the kind's precision.
 */
import { z } from 'zod';

const rfc3339Re = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** True for an RFC 3339 timestamp as Go's time.RFC3339 parser accepts it. */
export function isRFC3339(text: string): boolean {
  return rfc3339Re.test(text) && !Number.isNaN(Date.parse(text.toUpperCase()));
}

/** A timestamp string that must be RFC 3339 (decode error otherwise, as upstream). */
export const TimeStringSchema = z.string().refine(isRFC3339, { message: 'parsing time: cannot parse as RFC3339' });

/** Re-renders an RFC 3339 timestamp in UTC with `fractionDigits` (0 for Time, 6 for MicroTime). */
export function formatTimestamp(text: string, fractionDigits: 0 | 6): string {
  const m = rfc3339Re.exec(text);
  if (!m) return text;
  const seconds = Date.parse(`${m[1]}T${m[2]}${m[4].toUpperCase()}`);
  const base = new Date(seconds).toISOString().slice(0, 19);
  if (fractionDigits === 0) return `${base}Z`;
  const fraction = (m[3] ?? '.').slice(1).padEnd(6, '0').slice(0, 6);
  return `${base}.${fraction}Z`;
}

/** MicroTime rendering of a timestamp: `2024-01-02T03:04:05.123456Z`. */
export function formatMicroTime(text: string): string {
  return formatTimestamp(text, 6);
}
