/** Timestamps as Kubernetes serialises `metav1.Time`. */

/** RFC 3339 in UTC with second precision (`2026-01-02T03:04:05Z`), from a Date or epoch ms. */
export function rfc3339(time: Date | number): string {
  return (typeof time === 'number' ? new Date(time) : time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
