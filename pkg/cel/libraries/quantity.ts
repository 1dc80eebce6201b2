/**
 * Kubernetes' CEL quantity library (apiserver/pkg/cel/library/quantity.go): `quantity("1.5Gi")`,
 * `isQuantity`, and on a Quantity `sign`, `isGreaterThan`, `isLessThan`, `compareTo`, `add`,
 * `sub`, `asInteger`, `isInteger` and `asApproximateFloat`. Values are exact (nano-units).
 */
import { EvaluationError, type Environment } from '@marcbachmann/cel-js';
import { formatQuantity, parseQuantity, QUANTITY_FORMAT_ERROR, type QuantityFormat } from '../../api/quantity.ts';

const NANO = 10n ** 9n;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** A resource quantity in CEL. */
export class CelQuantity {
  constructor(
    readonly nano: bigint,
    readonly format: QuantityFormat,
  ) {}

  toString(): string {
    return formatQuantity(this.nano, this.format);
  }
}

function parse(text: string): CelQuantity {
  const q = parseQuantity(text);
  if (!q) throw new EvaluationError(QUANTITY_FORMAT_ERROR);
  return new CelQuantity(q.nano, q.format);
}

const cmp = (a: CelQuantity, b: CelQuantity) => (a.nano < b.nano ? -1n : a.nano > b.nano ? 1n : 0n);

function asInteger(q: CelQuantity): bigint {
  if (q.nano % NANO !== 0n) throw new EvaluationError('cannot convert value to integer');
  const v = q.nano / NANO;
  if (v > INT64_MAX || v < INT64_MIN) throw new EvaluationError('cannot convert value to integer');
  return v;
}

/** Registers the Quantity type and functions on `env`. */
export function registerQuantityLibrary(env: Environment): void {
  env
    .registerType('kubernetes.Quantity', CelQuantity)
    .registerFunction('quantity(string): kubernetes.Quantity', parse)
    .registerFunction('isQuantity(string): bool', (s: string) => parseQuantity(s) !== undefined)
    .registerFunction('kubernetes.Quantity.sign(): int', (q: CelQuantity) => (q.nano > 0n ? 1n : q.nano < 0n ? -1n : 0n))
    .registerFunction('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: CelQuantity, b: CelQuantity) => cmp(a, b) > 0n)
    .registerFunction('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: CelQuantity, b: CelQuantity) => cmp(a, b) < 0n)
    .registerFunction('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', cmp)
    .registerFunction('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: CelQuantity, b: CelQuantity) => new CelQuantity(a.nano + b.nano, a.format))
    .registerFunction('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: CelQuantity, b: bigint) => new CelQuantity(a.nano + b * NANO, a.format))
    .registerFunction('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: CelQuantity, b: CelQuantity) => new CelQuantity(a.nano - b.nano, a.format))
    .registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: CelQuantity, b: bigint) => new CelQuantity(a.nano - b * NANO, a.format))
    .registerFunction('kubernetes.Quantity.isInteger(): bool', (q: CelQuantity) => q.nano % NANO === 0n && q.nano / NANO <= INT64_MAX && q.nano / NANO >= INT64_MIN)
    .registerFunction('kubernetes.Quantity.asInteger(): int', asInteger)
    .registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (q: CelQuantity) => Number(q.nano) / 1e9)
    .registerOperator('kubernetes.Quantity == kubernetes.Quantity', (a: CelQuantity, b: CelQuantity) => a.nano === b.nano);
}
