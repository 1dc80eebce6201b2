/**
 * A small SVG line-chart renderer for benchmark reports: stacked panels, each with its own
 * y axis, sharing the figure's width; every series is a polyline with dots and a legend entry.
 * Pure: data in, SVG text out (no DOM, no fonts measured — labels are placed by character count).
 */

/** One line: (x, y) points in data units, drawn in order. */
export interface ChartSeries {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

/** One panel of the figure. `reference` draws a dashed horizontal line (e.g. a target or ratio 1). */
export interface ChartPanel {
  title: string;
  yLabel: string;
  series: ChartSeries[];
  reference?: { y: number; label: string };
  /** Labels for x positions (e.g. dates) instead of numbers. */
  xTickLabels?: ReadonlyMap<number, string>;
}

/** The figure: a title, an x-axis label and the panels top to bottom. */
export interface Chart {
  title: string;
  xLabel: string;
  panels: ChartPanel[];
  width?: number;
  panelHeight?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const MARGIN = { left: 70, right: 200, top: 28, bottom: 36 };

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** About `count` round tick values covering [min, max] (1, 2, 5 × 10ⁿ steps). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0];
  if (max === min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** A number as a short axis label (1.5k, 2M, 0.25). */
export function formatTick(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return `${Number(v.toPrecision(3))}`;
}

function extent(values: number[], fallback: [number, number]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return fallback;
  return [Math.min(...finite), Math.max(...finite)];
}

const f = (n: number) => (Math.round(n * 10) / 10).toString();

function renderPanel(panel: ChartPanel, xDomain: [number, number], top: number, width: number, height: number, xLabel: string): string {
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const ys = panel.series.flatMap((s) => s.points.map((p) => p[1]));
  if (panel.reference) ys.push(panel.reference.y);
  let [yMin, yMax] = extent(ys, [0, 1]);
  yMin = Math.min(0, yMin);
  if (yMax === yMin) yMax = yMin + 1;
  const yTicks = niceTicks(yMin, yMax);
  yMax = Math.max(yMax, yTicks.at(-1) ?? yMax);
  const [x0, x1] = xDomain[0] === xDomain[1] ? [xDomain[0] - 1, xDomain[1] + 1] : xDomain;
  const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => top + MARGIN.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH;
  const out: string[] = [];
  out.push(`<text x="${MARGIN.left}" y="${f(top + 18)}" font-size="13" font-weight="bold">${escapeXml(panel.title)}</text>`);
  out.push(`<rect x="${MARGIN.left}" y="${f(top + MARGIN.top)}" width="${f(plotW)}" height="${f(plotH)}" fill="none" stroke="#999"/>`);
  for (const t of yTicks) {
    out.push(`<line x1="${MARGIN.left}" x2="${f(MARGIN.left + plotW)}" y1="${f(sy(t))}" y2="${f(sy(t))}" stroke="#eee"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${f(sy(t) + 4)}" font-size="11" text-anchor="end">${escapeXml(formatTick(t))}</text>`);
  }
  const xTicks = panel.xTickLabels ? [...panel.xTickLabels.keys()] : niceTicks(x0, x1);
  for (const t of xTicks) {
    if (t < x0 || t > x1) continue;
    out.push(`<text x="${f(sx(t))}" y="${f(top + MARGIN.top + plotH + 14)}" font-size="11" text-anchor="middle">${escapeXml(panel.xTickLabels?.get(t) ?? formatTick(t))}</text>`);
  }
  out.push(`<text x="${f(MARGIN.left + plotW / 2)}" y="${f(top + height - 6)}" font-size="11" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${f(top + MARGIN.top + plotH / 2)}) rotate(-90)" font-size="11" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`);
  if (panel.reference) {
    const y = sy(panel.reference.y);
    out.push(`<line x1="${MARGIN.left}" x2="${f(MARGIN.left + plotW)}" y1="${f(y)}" y2="${f(y)}" stroke="#555" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${f(MARGIN.left + plotW - 4)}" y="${f(y - 4)}" font-size="10" text-anchor="end" fill="#555">${escapeXml(panel.reference.label)}</text>`);
  }
  panel.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.map(([x, y]) => `${f(sx(x))},${f(sy(y))}`).join(' ')}"/>`);
    for (const [x, y] of pts.length <= 60 ? pts : []) out.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="2.5" fill="${color}"/>`);
    const ly = top + MARGIN.top + 12 + i * 16;
    out.push(`<rect x="${f(width - MARGIN.right + 12)}" y="${f(ly - 8)}" width="10" height="10" fill="${color}"/>`);
    out.push(`<text x="${f(width - MARGIN.right + 26)}" y="${f(ly + 1)}" font-size="11">${escapeXml(s.name.length > 28 ? `${s.name.slice(0, 27)}…` : s.name)}</text>`);
  });
  return out.join('\n');
}

/** The SVG document of a chart. Panels without points still get axes (and say "no data"). */
export function renderChart(chart: Chart): string {
  const width = chart.width ?? 760;
  const panelHeight = chart.panelHeight ?? 220;
  const titleHeight = 30;
  const height = titleHeight + chart.panels.length * panelHeight;
  const xs = chart.panels.flatMap((p) => p.series.flatMap((s) => s.points.map((pt) => pt[0])));
  const xDomain = extent(xs, [0, 1]);
  const body = chart.panels.map((p, i) => {
    const top = titleHeight + i * panelHeight;
    const empty = p.series.every((s) => s.points.length === 0);
    const panel = renderPanel(p, xDomain, top, width, panelHeight, chart.xLabel);
    return empty ? `${panel}\n<text x="${f(width / 2)}" y="${f(top + panelHeight / 2)}" font-size="12" text-anchor="middle" fill="#999">no data</text>` : panel;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${f(width / 2)}" y="20" font-size="15" font-weight="bold" text-anchor="middle">${escapeXml(chart.title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
