/**
 * Upstream's kube-aware version order (apimachinery `version.CompareKubeAwareVersionStrings`),
 * which ranks a CRD group's versions for discovery: GA before beta before alpha, a higher major
 * first, then a higher alpha/beta number; versions not of the `v<N>[alpha|beta<M>]` form come
 * last, alphabetically.
 */

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const STABILITY: Record<string, number> = { alpha: 0, beta: 1, '': 2 };

/** Negative when `a` ranks before `b` (a sort comparator: preferred first). */
export function compareKubeAwareVersions(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a);
  const mb = KUBE_VERSION.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const stability = STABILITY[mb[2] ?? '']! - STABILITY[ma[2] ?? '']!;
  if (stability !== 0) return stability;
  const major = Number(mb[1]) - Number(ma[1]);
  if (major !== 0) return major;
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}
