/**
 * The Prometheus text exposition format (0.0.4) as client_golang writes it: families sorted by
 * name, series by label values, label names sorted, numbers as Go's shortest `%g`
 * (`1.6243962483020916e+09`, `5.24288e+07`, `10`), optional millisecond timestamps. Pure.
 */

/** One series: labels, value, and an optional timestamp in ms since the epoch. */
export interface PromSeries {
  labels?: Record<string, string>;
  value: number;
  timestampMs?: number;
}

/** A metric family; families without series are not written. */
export interface PromFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  series: PromSeries[];
}

/** The Content-Type of this format. */
export const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A float as Go's `strconv.FormatFloat(v, 'g', -1, 64)` (exponent form from 1e+06 and below 1e-04). */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return '0';
  const [mantissa, exp] = v.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(v);
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function labelText(labels: Record<string, string> | undefined): string {
  const names = Object.keys(labels ?? {}).sort();
  if (!names.length) return '';
  return `{${names.map((n) => `${n}="${escapeLabel((labels as Record<string, string>)[n])}"`).join(',')}}`;
}

/** Compares series by their label values in label-name order (client_golang's sort). */
function compareSeries(a: PromSeries, b: PromSeries): number {
  const names = [...new Set([...Object.keys(a.labels ?? {}), ...Object.keys(b.labels ?? {})])].sort();
  for (const n of names) {
    const x = a.labels?.[n] ?? '';
    const y = b.labels?.[n] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The exposition text of `families`. */
export function renderPrometheusText(families: readonly PromFamily[]): string {
  const lines: string[] = [];
  for (const f of [...families].filter((x) => x.series.length).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of [...f.series].sort(compareSeries)) {
      const ts = s.timestampMs === undefined ? '' : ` ${Math.floor(s.timestampMs)}`;
      lines.push(`${f.name}${labelText(s.labels)} ${goFloat(s.value)}${ts}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
