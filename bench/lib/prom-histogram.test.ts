import { describe, expect, it } from 'vitest';
import { observationCount, parseHistogram, parseLabels, quantilesMs, subtractHistogram } from './prom-histogram.ts';

const scrape = (post: number[], get: number[]) =>
  [
    '# HELP apiserver_request_duration_seconds Response latency',
    '# TYPE apiserver_request_duration_seconds histogram',
    ...[0.1, 1, '+Inf'].map((le, i) => `apiserver_request_duration_seconds_bucket{le="${le}",verb="POST",group="",version="v1",resource="pods",subresource="",scope="resource",component="apiserver"} ${post[i]}`),
    ...[0.1, 1, '+Inf'].map((le, i) => `apiserver_request_duration_seconds_bucket{le="${le}",verb="GET",group="",version="v1",resource="pods",subresource="",scope="resource",component="apiserver"} ${get[i]}`),
    ...[0.1, 1, '+Inf'].map((le) => `apiserver_request_duration_seconds_bucket{le="${le}",verb="WATCH",group="",version="v1",resource="pods",subresource="",scope="resource",component="apiserver"} 9`),
    'apiserver_request_duration_seconds_sum{verb="POST"} 12',
    'apiserver_request_total{verb="POST",code="201"} 100',
  ].join('\n');

describe('parseLabels', () => {
  it('reads quoted values with escapes', () => expect(parseLabels('a="x",b="say \\"hi\\"",c=""')).toEqual({ a: 'x', b: 'say "hi"', c: '' }));
});

describe('parseHistogram', () => {
  it('groups bucket series by a label and skips other series and filtered ones', () => {
    const h = parseHistogram(scrape([50, 90, 100], [10, 10, 10]), 'apiserver_request_duration_seconds', 'verb', (l) => l.verb !== 'WATCH');
    expect([...h.keys()].sort()).toEqual(['GET', 'POST']);
    expect(h.get('POST')).toEqual(new Map([[0.1, 50], [1, 90], [Infinity, 100]]));
  });

  it('adds up series of the same group', () => {
    const text = ['m_bucket{verb="GET",resource="a",le="1"} 2', 'm_bucket{verb="GET",resource="b",le="1"} 3', 'm_bucket{verb="GET",resource="a",le="+Inf"} 2', 'm_bucket{verb="GET",resource="b",le="+Inf"} 5'].join('\n');
    expect(parseHistogram(text, 'm', 'verb').get('GET')).toEqual(new Map([[1, 5], [Infinity, 7]]));
  });
});

describe('subtractHistogram + quantilesMs', () => {
  it('gives the quantiles of the observations between two scrapes', () => {
    const before = parseHistogram(scrape([50, 90, 100], [10, 10, 10]), 'apiserver_request_duration_seconds', 'verb');
    const after = parseHistogram(scrape([50, 190, 200], [20, 20, 20]), 'apiserver_request_duration_seconds', 'verb');
    const diff = subtractHistogram(after, before);
    expect(observationCount(diff.get('POST') as Map<number, number>)).toBe(100);
    const q = quantilesMs(diff);
    // 100 new POSTs all in (0.1, 1]: p50 interpolates to 0.1 + 0.9 × 0.5 = 0.55 s.
    expect(q.POST).toEqual({ p50: 550, p99: 991, count: 100 });
    // 10 new GETs all ≤ 0.1: p50 = 0.05 s.
    expect(q.GET.p50).toBe(50);
    expect(q.WATCH).toBeUndefined(); // WATCH had no new observations
  });

  it('leaves out groups without observations', () => {
    const same = parseHistogram(scrape([1, 1, 1], [2, 2, 2]), 'apiserver_request_duration_seconds', 'verb');
    expect(quantilesMs(subtractHistogram(same, same))).toEqual({});
  });
});
