import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ApiServerMetrics, REQUEST_DURATION_BUCKETS, type RequestMetricLabels } from './metrics.ts';

/** The metrics as prom-client's own Counter, Histogram (and the untouched in-flight Gauge) record them. */
function reference() {
  const registry = new Registry();
  const labelNames = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
  new Gauge({ name: 'apiserver_current_inflight_requests', help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.', labelNames: ['request_kind'], registers: [registry] });
  const requests = new Counter({ name: 'apiserver_request_total', help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.', labelNames: [...labelNames, 'code'], registers: [registry] });
  const durations = new Histogram({ name: 'apiserver_request_duration_seconds', help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.', labelNames: [...labelNames], buckets: REQUEST_DURATION_BUCKETS, registers: [registry] });
  return {
    registry,
    observe(labels: RequestMetricLabels, seconds: number) {
      requests.inc(labels);
      const { code: _code, ...rest } = labels;
      durations.observe(rest, seconds);
    },
  };
}

const post = { verb: 'POST', group: '', version: 'v1', resource: 'configmaps', subresource: '', scope: 'resource', component: 'apiserver' };
const list = { ...post, verb: 'LIST', scope: 'namespace' };
const patch = { ...post, verb: 'PATCH', group: 'apps', resource: 'deployments', subresource: 'status' };

describe('ApiServerMetrics', () => {
  it('exposes the same text as prom-client Counter and Histogram fed the same requests', async () => {
    const observations: Array<[RequestMetricLabels, number]> = [
      [{ ...post, code: '201' }, 0.003],
      [{ ...post, code: '201' }, 0.005],
      [{ ...post, code: '409' }, 0.02],
      [{ ...list, code: '200' }, 0.7],
      [{ ...patch, code: '200' }, 61],
      [{ ...post, code: '201' }, 1.25],
      [{ ...list, code: '200' }, 0],
    ];
    const metrics = new ApiServerMetrics();
    const ref = reference();
    for (const [labels, seconds] of observations.slice(0, 3)) {
      metrics.observe(labels, seconds);
      ref.observe(labels, seconds);
    }
    expect(await metrics.text()).toBe(await ref.registry.metrics());
    for (const [labels, seconds] of observations.slice(3)) {
      metrics.observe(labels, seconds);
      ref.observe(labels, seconds);
    }
    expect(await metrics.text()).toBe(await ref.registry.metrics());
    expect(await metrics.registry.getMetricsAsJSON()).toEqual(await ref.registry.getMetricsAsJSON());
  });

  it('counts a request once per scrape-independent total', async () => {
    const metrics = new ApiServerMetrics();
    metrics.observe({ ...post, code: '201' }, 0.01);
    await metrics.text();
    metrics.observe({ ...post, code: '201' }, 0.01);
    expect(await metrics.text()).toMatch(/apiserver_request_total\{verb="POST",[^}]*code="201"\} 2\n/);
    expect(await metrics.text()).toMatch(/apiserver_request_duration_seconds_count\{verb="POST",[^}]*\} 2\n/);
  });
});
