/** Timestamps as Kubernetes serialises `metav1.Time`. */

/** The last second formatted (writes arrive many per second), and its text. */
let lastSecond = Number.NaN;
let lastText = '';

/** RFC 3339 in UTC with second precision (`2026-01-02T03:04:05Z`), from a Date or epoch ms. */
export function rfc3339(time: Date | number): string {
  const date = typeof time === 'number' ? new Date(time) : time;
  const second = Math.floor(date.getTime() / 1000);
  if (second === lastSecond) return lastText;
  const iso = date.toISOString();
  // `YYYY-MM-DDTHH:MM:SS.sssZ` (years 0–9999) loses its milliseconds by slicing; expanded years by pattern.
  lastText = iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
  lastSecond = second;
  return lastText;
}
