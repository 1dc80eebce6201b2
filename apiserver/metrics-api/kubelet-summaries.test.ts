import { describe, expect, it } from 'vitest';
import { KubeletSummaries, SummaryError, type SummaryGet } from './kubelet-summaries.ts';
import { summaryOf } from './testing/fake-kubelet.ts';

/** A fake HTTP edge answering per URL, counting calls; `answer` may be changed between calls. */
function fakeGet(answer: (url: string) => { status: number; text: string } | Error) {
  const calls: string[] = [];
  const get: SummaryGet = async (url) => {
    calls.push(url);
    const a = answer(url);
    if (a instanceof Error) throw a;
    return a;
  };
  return { get, calls };
}

const ok = (node: string) => ({ status: 200, text: JSON.stringify(summaryOf({ node, cpu: 1, memory: 1 })) });

describe('KubeletSummaries', () => {
  it('asks the kubelet once per node within maxAge, again after it', async () => {
    let now = 1_000;
    const { get, calls } = fakeGet(() => ok('n1'));
    const s = new KubeletSummaries({ get, now: () => now, maxAgeMs: 5_000 });
    expect((await s.summary('n1', 'http://10.0.0.1:10250')).node.nodeName).toBe('n1');
    now += 4_999;
    await s.summary('n1', 'http://10.0.0.1:10250');
    expect(calls).toEqual(['http://10.0.0.1:10250/stats/summary?only_cpu_and_memory=true']);
    now += 1;
    await s.summary('n1', 'http://10.0.0.1:10250');
    expect(calls).toHaveLength(2);
  });

  it('shares one fetch between concurrent requests, and asks again when the node moved', async () => {
    const { get, calls } = fakeGet(() => ok('n1'));
    const s = new KubeletSummaries({ get, now: () => 0 });
    await Promise.all([s.summary('n1', 'http://a:1'), s.summary('n1', 'http://a:1'), s.summary('n1', 'http://a:1')]);
    expect(calls).toHaveLength(1);
    await s.summary('n1', 'http://b:1');
    expect(calls).toEqual(['http://a:1/stats/summary?only_cpu_and_memory=true', 'http://b:1/stats/summary?only_cpu_and_memory=true']);
  });

  it.each([
    ['unreachable', new Error('connect ECONNREFUSED 10.0.0.1:10250'), 'Get "http://a:1/stats/summary?only_cpu_and_memory=true": connect ECONNREFUSED 10.0.0.1:10250'],
    ['status', { status: 403, text: '' }, 'Get "http://a:1/stats/summary?only_cpu_and_memory=true": request failed, status: 403'],
    ['invalid', { status: 200, text: '{"pods":[]}' }, /^Get "http:\/\/a:1\/stats\/summary\?only_cpu_and_memory=true": not a summary: node: /],
    ['invalid', { status: 200, text: '<html>' }, /not JSON/],
  ] as const)('fails with %s and caches no failure', async (code, answer, message) => {
    let current: { status: number; text: string } | Error = answer as { status: number; text: string } | Error;
    const { get, calls } = fakeGet(() => current);
    const s = new KubeletSummaries({ get, now: () => 0 });
    const err = await s.summary('n1', 'http://a:1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SummaryError);
    expect((err as SummaryError).code).toBe(code);
    expect((err as SummaryError).message).toMatch(message);
    current = ok('n1');
    expect((await s.summary('n1', 'http://a:1')).node.nodeName).toBe('n1');
    expect(calls).toHaveLength(2);
  });

  it('gives up on a kubelet that does not answer within the timeout', async () => {
    const get: SummaryGet = (_url, { signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const s = new KubeletSummaries({ get, timeoutMs: 50 });
    const started = Date.now();
    const err = (await s.summary('n1', 'http://a:1').catch((e: unknown) => e)) as SummaryError;
    expect(err.code).toBe('unreachable');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
