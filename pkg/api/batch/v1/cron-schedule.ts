/**
 * Cron schedules as upstream CronJobs read them (robfig/cron v3 `ParseStandard`): five fields
 * (minute, hour, day of month, month, day of week) with `*`, `?`, ranges, steps, lists and month /
 * weekday names; the descriptors `@yearly` `@annually` `@monthly` `@weekly` `@daily` `@midnight`
 * `@hourly` and `@every <duration>`; an optional `TZ=` / `CRON_TZ=` prefix. Parse errors carry
 * robfig's messages (the API server returns them in validation errors). `next` follows robfig's
 * SpecSchedule.Next: the first matching second after a time, in the schedule's time zone, or
 * undefined when none comes within five years (e.g. `0 0 30 2 *`). Pure, no dependencies.
 */
import { goDurationMs } from './go-duration.ts';

/** A parsed schedule. `next(ms)` is strictly after `ms`. */
export interface CronSchedule {
  next(afterMs: number): number | undefined;
}

interface Bounds { min: number; max: number; names?: Record<string, number> }

const SECONDS: Bounds = { min: 0, max: 59 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *', '@annually': '0 0 0 1 1 *', '@monthly': '0 0 0 1 * *', '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *', '@midnight': '0 0 0 * * *', '@hourly': '0 0 * * * *',
};

/** The result of {@link parseCronSchedule}: the schedule or robfig's error text. */
export type ParseResult = { schedule: CronSchedule; error?: undefined } | { schedule?: undefined; error: string };

/** A field: the set of allowed values plus whether it was written as `*` / `?` (robfig's star bit). */
interface Field { values: Set<number>; star: boolean }

/** Go strconv.Atoi + robfig mustParseInt. */
function parseInt10(expr: string): number | string {
  if (!/^[+-]?\d+$/.test(expr)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`;
  const n = Number(expr);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`;
  if (n < 0) return `negative number (${n}) not allowed: ${expr}`;
  return n;
}

function parseIntOrName(expr: string, bounds: Bounds): number | string {
  const named = bounds.names?.[expr.toLowerCase()];
  return named !== undefined ? named : parseInt10(expr);
}

/** robfig getRange: `*`, `?`, `a`, `a-b`, with an optional `/step`. */
function parseRange(expr: string, bounds: Bounds, into: Field): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    const s = parseIntOrName(lowAndHigh[0]!, bounds);
    if (typeof s === 'string') return s;
    start = s;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const e = parseIntOrName(lowAndHigh[1]!, bounds);
      if (typeof e === 'string') return e;
      end = e;
    } else return `too many hyphens: ${expr}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const s = parseInt10(rangeAndStep[1]!);
    if (typeof s === 'string') return s;
    step = s;
    if (lowAndHigh.length === 1) end = bounds.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  for (let v = start; v <= end; v += step) into.values.add(v);
  if (star) into.star = true;
  return undefined;
}

function parseField(text: string, bounds: Bounds): Field | string {
  const field: Field = { values: new Set(), star: false };
  for (const expr of text.split(',')) {
    const err = parseRange(expr, bounds, field);
    if (err) return err;
  }
  return field;
}

/** Wall-clock fields of an instant in a time zone (`undefined` = UTC). */
interface Wall { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function wallClock(ms: number, timeZone: string | undefined): Wall {
  if (!timeZone || timeZone === 'UTC') {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
  }
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value;
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), weekday: WEEKDAYS[parts.weekday!] ?? 0 };
}

/**
 * RFC 3339 text of an instant in a time zone, as Go's `t.In(loc).Format(time.RFC3339)`:
 * `2026-01-01T09:00:00+09:00`, or `…Z` for UTC (undefined).
 */
export function formatRFC3339In(ms: number, timeZone: string | undefined): string {
  const w = wallClock(ms, timeZone);
  const pad = (n: number, len = 2) => String(n).padStart(len, '0');
  const wallMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const offsetMin = Math.round((wallMs - Math.floor(ms / 1000) * 1000) / 60_000);
  const zone = offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${zone}`;
}

/** Whether a time zone name is known (Go time.LoadLocation, here the ICU database of Node). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

class SpecSchedule implements CronSchedule {
  constructor(private readonly fields: { second: Field; minute: Field; hour: Field; dom: Field; month: Field; dow: Field }, private readonly timeZone: string | undefined) {}

  private dayMatches(w: Wall): boolean {
    const dom = this.fields.dom.values.has(w.day);
    const dow = this.fields.dow.values.has(w.weekday);
    return this.fields.dom.star || this.fields.dow.star ? dom && dow : dom || dow;
  }

  next(afterMs: number): number | undefined {
    let t = Math.floor(afterMs / 1000) * 1000 + 1000;
    const limit = wallClock(t, this.timeZone).year + 5;
    const f = this.fields;
    // Steps never jump past a wall-clock boundary, so daylight-saving shifts cannot skip a match.
    for (let i = 0; i < 1_000_000; i++) {
      const w = wallClock(t, this.timeZone);
      if (w.year > limit) return undefined;
      const toMidnight = ((24 - w.hour) * 60 - w.minute) * 60 - w.second;
      if (!f.month.values.has(w.month) || !this.dayMatches(w)) t += (toMidnight > 3600 ? toMidnight - 3600 : toMidnight) * 1000;
      else if (!f.hour.values.has(w.hour)) t += ((60 - w.minute) * 60 - w.second) * 1000;
      else if (!f.minute.values.has(w.minute)) t += (60 - w.second) * 1000;
      else if (!f.second.values.has(w.second)) t += 1000;
      else return t;
    }
    return undefined;
  }
}

/** robfig ConstantDelaySchedule (`@every`): whole seconds, at least one. */
class EverySchedule implements CronSchedule {
  constructor(private readonly delayMs: number) {}

  next(afterMs: number): number {
    return Math.floor(afterMs / 1000) * 1000 + this.delayMs;
  }
}

function parseSixFields(fields: string[], timeZone: string | undefined): ParseResult {
  const bounds = [SECONDS, MINUTES, HOURS, DOM, MONTHS, DOW];
  const parsed: Field[] = [];
  for (const [i, text] of fields.entries()) {
    const field = parseField(text, bounds[i]!);
    if (typeof field === 'string') return { error: field };
    parsed.push(field);
  }
  const [second, minute, hour, dom, month, dow] = parsed as [Field, Field, Field, Field, Field, Field];
  return { schedule: new SpecSchedule({ second, minute, hour, dom, month, dow }, timeZone) };
}

/**
 * robfig/cron v3 ParseStandard. `defaultTimeZone` stands for Go's `time.Local` (the zone used
 * when the spec has no TZ= prefix); undefined means UTC.
 */
export function parseCronSchedule(spec: string, defaultTimeZone?: string): ParseResult {
  if (spec.length === 0) return { error: 'empty spec string' };
  let timeZone = defaultTimeZone;
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    const name = rest.slice(rest.indexOf('=') + 1, space < 0 ? undefined : space);
    if (space < 0 || !isKnownTimeZone(name)) return { error: `provided bad location ${name}: unknown time zone ${name}` };
    timeZone = name;
    rest = rest.slice(space).trim();
  }
  if (rest.startsWith('@')) {
    if (rest.startsWith('@every ')) {
      const ms = goDurationMs(rest.slice('@every '.length));
      if (typeof ms === 'string') return { error: `failed to parse duration ${rest}: ${ms}` };
      const delay = Math.max(1000, ms - (ms % 1000));
      return { schedule: new EverySchedule(delay) };
    }
    const expanded = DESCRIPTORS[rest];
    if (!expanded) return { error: `unrecognized descriptor: ${rest}` };
    return parseSixFields(expanded.split(' '), timeZone);
  }
  const fields = rest.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return { error: `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]` };
  return parseSixFields(['0', ...fields], timeZone);
}
