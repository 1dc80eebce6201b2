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

/** `metav1.MicroTime` text: RFC 3339 UTC with six fractional digits, from epoch ms (fractions give the microseconds). Pure. */
export function microTime(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString(); // …T12:34:56.789Z
  const micros = String(Math.floor((ms % 1) * 1000)).padStart(3, '0');
  return `${iso.slice(0, -1)}${micros}Z`;
}
