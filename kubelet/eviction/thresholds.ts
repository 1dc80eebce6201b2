/**
 * Eviction thresholds (upstream `ParseThresholdConfig`): `--eviction-hard` / `--eviction-soft`
 * statements (`memory.available<100Mi,nodefs.available<10%`), soft grace periods and minimum
 * reclaims (`signal=value`), upstream's Linux defaults and parse errors, and the threshold
 * quantity against a capacity (a percentage is taken of the observed capacity as upstream does,
 * in float32). Pure.
 */
import { formatQuantity, integerQuantity, parseQuantity, QUANTITY_FORMAT_ERROR } from '../../pkg/api/quantity.ts';
import { parseDuration } from '../../pkg/util/duration.ts';
import { isSignal, type Observation, type Signal } from './signals.ts';

/** A quantity (bytes or a count) or a fraction of the capacity (`0.1` for `10%`). */
export type ThresholdValue = { quantity: string } | { percentage: number };

/**
 * One threshold. Hard ones have `gracePeriodMs` 0 (upstream: a threshold with no grace period
 * is hard); `minReclaim` is what must be freed beyond the threshold before it clears.
 */
export interface Threshold {
  signal: Signal;
  value: ThresholdValue;
  gracePeriodMs: number;
  minReclaim?: ThresholdValue;
}

/** Upstream's Linux `DefaultEvictionHard` (kubelet 1.33). */
export const DEFAULT_EVICTION_HARD: Readonly<Record<string, string>> = {
  'memory.available': '100Mi',
  'nodefs.available': '10%',
  'nodefs.inodesFree': '5%',
  'imagefs.available': '15%',
  'imagefs.inodesFree': '5%',
};

/** Upstream's default `evictionPressureTransitionPeriod` (5m). */
export const DEFAULT_PRESSURE_TRANSITION_MS = 5 * 60_000;

/**
 * A `key<value,key<value` (separator `<`) or `key=value,…` (separator `=`) flag as a map, with
 * upstream's `cliflag` errors; later keys win.
 */
export function parseFlagMap(text: string, separator: '<' | '='): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(',')) {
    const pair = raw.trim();
    if (pair === '') continue;
    const i = pair.indexOf(separator);
    if (i < 0) throw new Error(`malformed pair, expect string${separator}string`);
    const key = pair.slice(0, i).trim();
    if (key === '') throw new Error('empty key');
    out[key] = pair.slice(i + 1).trim();
  }
  return out;
}

function parsePercentage(signal: string, text: string): number {
  const body = text.slice(0, -1);
  const n = Number(body);
  if (body.trim() === '' || !Number.isFinite(n)) throw new Error(`strconv.ParseFloat: parsing "${body}": invalid syntax`);
  return Math.fround(Math.fround(n) / 100);
}

/** One statement; undefined for `0%` and `100%`, which upstream ignores. */
function parseStatement(signal: string, text: string): Threshold | undefined {
  if (!isSignal(signal)) throw new Error(`unsupported eviction signal ${signal}`);
  if (text.endsWith('%')) {
    if (text === '0%' || text === '100%') return undefined;
    const percentage = parsePercentage(signal, text);
    if (percentage < 0) throw new Error(`eviction percentage threshold ${signal} must be >= 0%: ${text}`);
    if (percentage > 1) throw new Error(`eviction percentage threshold ${signal} must be <= 100%: ${text}`);
    return { signal, value: { percentage }, gracePeriodMs: 0 };
  }
  const q = parseQuantity(text);
  if (!q) throw new Error(QUANTITY_FORMAT_ERROR);
  if (q.nano <= 0n) throw new Error(`eviction threshold ${signal} must be positive: ${formatQuantity(q.nano, q.format)}`);
  return { signal, value: { quantity: formatQuantity(q.nano, q.format) }, gracePeriodMs: 0 };
}

function parseMinimumReclaim(signal: string, text: string): ThresholdValue {
  if (!isSignal(signal)) throw new Error(`unsupported eviction signal ${signal}`);
  if (text.endsWith('%')) {
    const percentage = parsePercentage(signal, text);
    if (percentage <= 0) throw new Error(`eviction percentage minimum reclaim ${signal} must be positive: ${text}`);
    return { percentage };
  }
  const q = parseQuantity(text);
  if (!q) throw new Error(QUANTITY_FORMAT_ERROR);
  if (q.nano < 0n) throw new Error(`negative eviction minimum reclaim specified for ${signal}`);
  return { quantity: formatQuantity(q.nano, q.format) };
}

/** What the kubelet was configured with (maps as the flags and KubeletConfiguration give them). */
export interface ThresholdConfig {
  evictionHard: Readonly<Record<string, string>>;
  evictionSoft?: Readonly<Record<string, string>>;
  evictionSoftGracePeriod?: Readonly<Record<string, string>>;
  evictionMinimumReclaim?: Readonly<Record<string, string>>;
}

/** Upstream `ParseThresholdConfig` (hard ones first, then soft); throws upstream's error text. */
export function parseThresholds(config: ThresholdConfig): Threshold[] {
  const statements = (m: Readonly<Record<string, string>> | undefined) =>
    Object.entries(m ?? {}).flatMap(([signal, value]) => {
      const t = parseStatement(signal, value);
      return t ? [t] : [];
    });
  const hard = statements(config.evictionHard);
  const soft = statements(config.evictionSoft);
  const grace = new Map<string, number>();
  for (const [signal, value] of Object.entries(config.evictionSoftGracePeriod ?? {})) {
    if (!isSignal(signal)) throw new Error(`unsupported eviction signal ${signal}`);
    const ms = parseDuration(value);
    if (ms < 0) throw new Error(`invalid eviction grace period specified: ${value}, must be a positive value`);
    grace.set(signal, ms);
  }
  const reclaim = new Map(Object.entries(config.evictionMinimumReclaim ?? {}).map(([s, v]) => [s, parseMinimumReclaim(s, v)] as const));
  for (const t of soft) {
    const ms = grace.get(t.signal);
    if (ms === undefined) throw new Error(`grace period must be specified for the soft eviction threshold ${t.signal}`);
    t.gracePeriodMs = ms;
  }
  return [...hard, ...soft].map((t) => (reclaim.has(t.signal) ? { ...t, minReclaim: reclaim.get(t.signal) } : t));
}

/** {@link DEFAULT_EVICTION_HARD} parsed. */
export const DEFAULT_HARD_THRESHOLDS: readonly Threshold[] = parseThresholds({ evictionHard: DEFAULT_EVICTION_HARD });

/** A hard threshold acts at once (upstream `isHardEvictionThreshold`: no grace period). */
export function isHard(t: Threshold): boolean {
  return t.gracePeriodMs === 0;
}

/** The value in bytes or counts against `capacity` (upstream `GetThresholdQuantity`, truncated as int64). */
export function thresholdAmount(value: ThresholdValue, capacity: number): number {
  if ('quantity' in value) return Number(parseQuantity(value.quantity)?.nano ?? 0n) / 1e9;
  return Math.trunc(capacity * value.percentage);
}

/** The threshold quantity as upstream prints it in messages (`100Mi`; a percentage as BinarySI bytes). */
export function formatThresholdAmount(value: ThresholdValue, capacity: number): string {
  if ('quantity' in value) return value.quantity;
  return integerQuantity(thresholdAmount(value, capacity), 'BinarySI');
}

/** An observed amount as upstream prints it (bytes BinarySI, counts DecimalSI). */
export function formatObserved(o: Pick<Observation, 'available' | 'unit'>): string {
  return integerQuantity(Math.trunc(o.available), o.unit === 'bytes' ? 'BinarySI' : 'DecimalSI');
}

/** A stable identity of a threshold (upstream compares signal, operator, value and grace period). */
export function thresholdKey(t: Threshold): string {
  const v = 'quantity' in t.value ? t.value.quantity : `${t.value.percentage}%`;
  return `${t.signal}<${v}/${t.gracePeriodMs}`;
}

/**
 * What hard thresholds hold back from node allocatable (upstream `hardEvictionReservation`):
 * `memory.available` from memory, `nodefs.available` from ephemeral storage, each against the
 * capacity (a later threshold of the same signal wins, as upstream's map assignment).
 */
export function hardEvictionReserve(thresholds: readonly Threshold[], capacity: { memoryBytes: number; ephemeralStorageBytes: number }): { memoryBytes: number; ephemeralStorageBytes: number } {
  const reserve = { memoryBytes: 0, ephemeralStorageBytes: 0 };
  for (const t of thresholds) {
    if (!isHard(t)) continue;
    if (t.signal === 'memory.available') reserve.memoryBytes = thresholdAmount(t.value, capacity.memoryBytes);
    if (t.signal === 'nodefs.available') reserve.ephemeralStorageBytes = thresholdAmount(t.value, capacity.ephemeralStorageBytes);
  }
  return reserve;
}
