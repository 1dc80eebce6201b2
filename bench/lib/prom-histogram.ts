/**
 * Request-latency histograms from a Prometheus text exposition (e.g. the API server's
 * `/metrics`): parse the `_bucket` series of one histogram, sum them per label (e.g. per verb),
 * subtract an earlier scrape, and read quantiles. Pure functions.
 */
import { histogramQuantile } from './measure.ts';

/** Cumulative bucket counts keyed by upper bound (`le`, +Inf included), for one group of series. */
export type Buckets = Map<number, number>;

/** One histogram grouped by one label's value (e.g. verb → buckets). */
export type GroupedHistogram = Map<string, Buckets>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The labels of one `{a="x",b="y"}` body. */
export function parseLabels(body: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of body.matchAll(LABEL)) labels[m[1]] = m[2].replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
  return labels;
}

/**
 * Sums the `<name>_bucket` series of `text` per value of `groupBy` (series without that label
 * are skipped; `keep` filters series by their labels). Counts of equal `le` add up.
 */
export function parseHistogram(text: string, name: string, groupBy: string, keep: (labels: Record<string, string>) => boolean = () => true): GroupedHistogram {
  const out: GroupedHistogram = new Map();
  const series = `${name}_bucket`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(series)) continue;
    const m = SAMPLE.exec(line);
    if (!m || m[1] !== series) continue;
    const labels = parseLabels(m[2]);
    const group = labels[groupBy];
    if (group === undefined || labels.le === undefined || !keep(labels)) continue;
    const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
    const buckets = out.get(group) ?? new Map<number, number>();
    buckets.set(le, (buckets.get(le) ?? 0) + Number(m[3]));
    out.set(group, buckets);
  }
  return out;
}

/** `later − earlier` per group and bucket: the observations made between two scrapes. */
export function subtractHistogram(later: GroupedHistogram, earlier: GroupedHistogram): GroupedHistogram {
  const out: GroupedHistogram = new Map();
  for (const [group, buckets] of later) {
    const before = earlier.get(group);
    const diff: Buckets = new Map();
    for (const [le, count] of buckets) diff.set(le, Math.max(0, count - (before?.get(le) ?? 0)));
    out.set(group, diff);
  }
  return out;
}

/** Observations in a group (the +Inf bucket). */
export function observationCount(buckets: Buckets): number {
  return buckets.get(Infinity) ?? Math.max(0, ...buckets.values());
}

/** p50/p99 (milliseconds) and count per group; groups with no observations are left out. */
export function quantilesMs(histogram: GroupedHistogram): Record<string, { p50: number; p99: number; count: number }> {
  const out: Record<string, { p50: number; p99: number; count: number }> = {};
  for (const [group, buckets] of [...histogram].sort(([a], [b]) => a.localeCompare(b))) {
    const count = observationCount(buckets);
    if (count === 0) continue;
    const list = [...buckets].map(([le, c]) => ({ le, count: c }));
    out[group] = { p50: round(histogramQuantile(0.5, list) * 1000), p99: round(histogramQuantile(0.99, list) * 1000), count };
  }
  return out;
}

const round = (n: number) => Math.round(n * 10) / 10;
