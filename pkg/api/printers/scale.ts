/**
 * Printer for autoscaling/v1 Scale, the `scale` subresource of the built-in workloads (upstream
 * printScale: Name — without the `name` format — Desired, Available, Age).
 */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age } from './format.ts';
import type { Printer } from './printer.ts';

export const scalePrinter: Printer = {
  columns: [
    { ...nameColumn, format: '' },
    col('Desired', 'integer', 0, 'The number of instances the scaled object should have (spec.replicas).'),
    col('Available', 'integer', 0, 'The number of instances of the scaled object observed (status.replicas).'),
    ageColumn,
  ],
  row(scale, now) {
    const { spec, status } = scale as { spec?: { replicas?: number }; status?: { replicas?: number } };
    return [scale.metadata.name ?? '', spec?.replicas ?? 0, status?.replicas ?? 0, age(scale, now)];
  },
};
