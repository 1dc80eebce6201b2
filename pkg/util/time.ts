/** Timestamps as Kubernetes serialises `metav1.Time`. */

/** RFC 3339 in UTC with second precision (`2026-01-02T03:04:05Z`), from a Date or epoch ms. */
export function rfc3339(time: Date | number): string {
  const iso = (typeof time === 'number' ? new Date(time) : time).toISOString();
  // `YYYY-MM-DDTHH:MM:SS.sssZ` (years 0–9999) loses its milliseconds by slicing; expanded years by pattern.
  return iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
}
