/**
 * Formatting helpers shared by the printers, as upstream's (apimachinery util/duration
 * HumanDuration, kubectl's label-selector and label formatting).
 */
import type { KubeObject } from '../meta.ts';

/** Upstream `duration.HumanDuration`: `45s`, `3m20s`, `15m`, `5h3m`, `2d3h`, `40d`, `2y10d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const d = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return d === 0 ? `${y}y` : `${y}y${d}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Upstream `translateTimestampSince`: `<unknown>` without a timestamp. */
export function since(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

export function age(obj: KubeObject, now: Date): string {
  return since(obj.metadata.creationTimestamp, now);
}

type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a nested field defensively: `get(obj, 'spec', 'replicas')`. */
export function get(obj: unknown, ...path: string[]): unknown {
  let node = obj;
  for (const p of path) {
    if (!isObject(node)) return undefined;
    node = node[p];
  }
  return node;
}

export function arr(v: unknown): Json[] {
  return Array.isArray(v) ? (v.filter(isObject) as Json[]) : [];
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** `a=b,c=d` sorted by key; `<none>` when empty (labels.FormatLabels). */
export function formatLabels(labels: unknown): string {
  if (!isObject(labels)) return '<none>';
  const keys = Object.keys(labels).sort();
  return keys.length ? keys.map((k) => `${k}=${String(labels[k])}`).join(',') : '<none>';
}

/** metav1.FormatLabelSelector: `app=x,tier in (a,b)`; `<none>` when empty. */
export function formatLabelSelector(selector: unknown): string {
  if (!isObject(selector)) return '<none>';
  const parts: string[] = [];
  const ml = isObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const k of Object.keys(ml).sort()) parts.push(`${k}=${String(ml[k])}`);
  for (const e of arr(selector.matchExpressions)) {
    const values = Array.isArray(e.values) ? [...(e.values as string[])].sort().join(',') : '';
    switch (e.operator) {
      case 'In':
        parts.push(`${str(e.key)} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${str(e.key)} notin (${values})`);
        break;
      case 'Exists':
        parts.push(str(e.key));
        break;
      case 'DoesNotExist':
        parts.push(`!${str(e.key)}`);
        break;
    }
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** Containers and images of a pod template, comma-joined (the wide columns of workloads). */
export function containersAndImages(podSpec: unknown): [string, string] {
  const containers = arr(get(podSpec, 'containers'));
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}
