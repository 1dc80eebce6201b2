import { describe, expect, it } from 'vitest';
import { escapeXml, formatTick, niceTicks, renderChart } from './svg-chart.ts';

describe('niceTicks', () => {
  it.each([
    [0, 10, 5, [0, 2, 4, 6, 8, 10]],
    [0, 1, 4, [0, 0.5, 1]],
    [0, 950, 5, [0, 200, 400, 600, 800]],
    [3, 3, 5, [3]],
  ])('[%d, %d] in about %d steps', (min, max, count, ticks) => expect(niceTicks(min, max, count)).toEqual(ticks));
});

describe('formatTick', () => {
  it.each([
    [0, '0'],
    [0.25, '0.25'],
    [1500, '1500'],
    [25_000, '25k'],
    [2_000_000, '2M'],
  ])('%d → %s', (v, s) => expect(formatTick(v)).toBe(s));
});

describe('escapeXml', () => {
  it('escapes markup characters', () => expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;'));
});

describe('renderChart', () => {
  const chart = renderChart({
    title: 'pods <fast>',
    xLabel: 'seconds',
    width: 600,
    panelHeight: 200,
    panels: [
      { title: 'throughput', yLabel: 'pods/s', series: [{ name: 'k8ts', points: [[0, 0], [10, 100], [20, 50]] }], reference: { y: 300, label: 'target' } },
      { title: 'latency', yLabel: 'ms', series: [{ name: 'POST', points: [] }] },
    ],
  });

  it('is one SVG document sized for its panels', () => {
    expect(chart.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="430"')).toBe(true);
    expect(chart.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('escapes the title and draws series, dots, legend and the reference line', () => {
    expect(chart).toContain('pods &lt;fast&gt;');
    expect(chart.match(/<polyline /g)).toHaveLength(1);
    expect(chart.match(/<circle /g)).toHaveLength(3);
    expect(chart).toContain('>k8ts</text>');
    expect(chart).toContain('stroke-dasharray');
    expect(chart).toContain('>target</text>');
  });

  it('maps data to the plot area: the y axis covers the reference, x spans the data', () => {
    // plot: left 70, width 600 − 70 − 200 = 330; top of panel 1 = 30 + 28 = 58, height 200 − 64 = 136; y domain 0…300.
    const points = /<polyline [^>]*points="([^"]+)"/.exec(chart)?.[1].split(' ');
    expect(points).toEqual(['70,194', '235,148.7', '400,171.3']);
  });

  it('says "no data" for a panel without points', () => expect(chart).toContain('no data'));
});
