/**
 * `/stats/summary` and `/metrics/resource` on the real kubelet API server over a stub usage view:
 * the bodies, their content types, the 500 / scrape_error answer when the runtime's stats are
 * unavailable, and the authorization attributes upstream uses (nodes/stats, nodes/metrics).
 */
import { request } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SummarySchema } from '../../pkg/api/stats/v1alpha1/summary.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import type { StatsView } from '../stats/view.ts';
import type { KubeletRequestAttributes } from './auth.ts';
import { startKubeletServer, type KubeletServer } from './server.ts';

const T = Date.parse('2026-12-06T08:30:10.250Z');
const VIEW: StatsView = {
  node: { nodeName: 'node-a', startMs: Date.parse('2026-12-01T00:00:00Z'), cpu: { atMs: T, usageCoreNanoSeconds: 5e12, usageNanoCores: 1.5e9 }, memory: { atMs: T, workingSetBytes: 4e9, availableBytes: 2e10 } },
  pods: [{
    ref: { name: 'web', namespace: 'default', uid: 'u1' },
    startMs: T - 60_000,
    containers: [{ name: 'app', startMs: T - 59_000, cpu: { atMs: T, usageCoreNanoSeconds: 3e9, usageNanoCores: 9e8 }, memory: { atMs: T, workingSetBytes: 5000 } }],
    cpu: { atMs: T, usageCoreNanoSeconds: 3e9, usageNanoCores: 9e8 },
    memory: { atMs: T, workingSetBytes: 5000 },
  }],
};

let view: StatsView | undefined = VIEW;
const asked: KubeletRequestAttributes[] = [];
let server: KubeletServer;

beforeAll(async () => {
  server = await startKubeletServer(
    { log: pino({ level: 'silent' }), runtime: {} as ContainerRuntime, logRoot: '/nonexistent', pod: () => undefined, pods: () => [], stats: () => view },
    { host: '127.0.0.1', port: 0 },
    undefined,
    {
      nodeName: 'node-a',
      anonymous: true,
      authorize: async (attrs) => {
        asked.push(attrs);
        return true;
      },
    },
  );
});

afterAll(() => server?.close());

function get(path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: server.port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject).end();
  });
}

describe('kubelet usage endpoints', () => {
  it('GET /stats/summary: the Summary JSON, authorized as nodes/stats', async () => {
    asked.length = 0;
    const res = await get('/stats/summary?only_cpu_and_memory=true');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    const summary = SummarySchema.parse(JSON.parse(res.body));
    expect(summary.node).toEqual({
      nodeName: 'node-a',
      startTime: '2026-12-01T00:00:00Z',
      cpu: { time: '2026-12-06T08:30:10Z', usageNanoCores: 1_500_000_000, usageCoreNanoSeconds: 5e12 },
      memory: { time: '2026-12-06T08:30:10Z', availableBytes: 2e10, workingSetBytes: 4e9 },
    });
    expect(summary.pods[0]).toMatchObject({ podRef: { name: 'web', namespace: 'default', uid: 'u1' }, containers: [{ name: 'app', cpu: { usageNanoCores: 900_000_000 } }] });
    expect(asked).toEqual([expect.objectContaining({ verb: 'get', resource: 'nodes', subresource: 'stats', name: 'node-a' })]);
  });

  it('GET /metrics/resource: Prometheus text, authorized as nodes/metrics', async () => {
    asked.length = 0;
    const res = await get('/metrics/resource');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('container_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} 3 1796545810250\n');
    expect(res.body).toContain('node_memory_working_set_bytes 4e+09 1796545810250\n');
    expect(res.body).toContain('scrape_error 0\n');
    expect(asked).toEqual([expect.objectContaining({ verb: 'get', subresource: 'metrics' })]);
  });

  it('when the runtime\'s stats are unavailable: summary 500, metrics scrape_error 1', async () => {
    view = undefined;
    try {
      const summary = await get('/stats/summary');
      expect(summary.status).toBe(500);
      expect(summary.body).toMatch(/^Internal Error: failed to get summary stats/);
      const metrics = await get('/metrics/resource');
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain('\nscrape_error 1\n');
      expect(metrics.body).not.toContain('container_');
    } finally {
      view = VIEW;
    }
  });
});
