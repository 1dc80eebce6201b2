/**
 * metrics.k8s.io printers (metrics-server's `addNodeMetricsToTable` / `addPodMetricsToTable`):
 * `Name`, one quantity column per resource (`cpu`, `memory`), `Window`. A pod's usage is the sum
 * over its containers, printed in the format of the first term (as upstream's `Quantity.Add`).
 * metrics-server takes the resource columns from the first row, so an empty list has none; here
 * they are always cpu and memory, the two resources it reports.
 */
import type { KubeObject } from '../meta.ts';
import { formatQuantity, parseQuantity } from '../quantity.ts';
import type { ColumnDefinition } from './columns.ts';
import { get, isObject } from './format.ts';
import type { Printer } from './printer.ts';

const RESOURCES = ['cpu', 'memory'] as const;

const COLUMNS: ColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 },
  ...RESOURCES.map((name) => ({ name, type: 'string', format: 'quantity', description: '', priority: 0 })),
  { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0 },
];

/** The sum of quantities (undefined ones skipped), in the first one's format; `0` for none. Pure. */
export function sumQuantities(values: readonly unknown[]): string {
  let total = 0n;
  let format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent' | undefined;
  for (const v of values) {
    const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
    if (!q) continue;
    format ??= q.format;
    total += q.nano;
  }
  return formatQuantity(total, format ?? 'DecimalSI');
}

function usageCell(usage: unknown, name: string): string {
  return sumQuantities([isObject(usage) ? usage[name] : undefined]);
}

function windowCell(obj: KubeObject): string {
  const w = get(obj, 'window');
  return typeof w === 'string' ? w : '';
}

export const nodeMetricsPrinter: Printer = {
  columns: COLUMNS,
  row: (node) => [node.metadata.name ?? '', ...RESOURCES.map((r) => usageCell(get(node, 'usage'), r)), windowCell(node)],
};

export const podMetricsPrinter: Printer = {
  columns: COLUMNS,
  row(pod) {
    const containers = get(pod, 'containers');
    const usages = Array.isArray(containers) ? containers.map((c) => get(c, 'usage')) : [];
    return [pod.metadata.name ?? '', ...RESOURCES.map((r) => sumQuantities(usages.map((u) => (isObject(u) ? u[r] : undefined)))), windowCell(pod)];
  },
};
