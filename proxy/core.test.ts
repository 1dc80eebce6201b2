import { describe, expect, it } from 'vitest';
import { ChangeTracker } from './change-tracker.ts';
import { endpointsOfSlices, servicePortsOf } from './model.ts';
import { BoundedFrequencyRunner, type RunnerClock } from './runner.ts';
import type { ServiceLike } from './types.ts';

class FakeClock implements RunnerClock {
  t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (let guard = 0; guard < 1000; guard++) {
      const due = [...this.timers.entries()].filter(([, v]) => v.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
      await Promise.resolve();
      await Promise.resolve();
    }
    this.t = end;
  }
}

const svc = (over: Partial<NonNullable<ServiceLike['spec']>> = {}): ServiceLike => ({
  metadata: { name: 'web', namespace: 'default' },
  spec: { clusterIP: '10.0.0.10', ports: [{ name: 'http', port: 80 }, { port: 53, protocol: 'UDP' }], ...over },
});

describe('servicePortsOf', () => {
  it('keys ports by ns/name:port and protocol', () => {
    expect([...servicePortsOf(svc()).keys()]).toEqual(['default/web:http/TCP', 'default/web/UDP']);
  });
  it.each([
    ['headless', { clusterIP: 'None' }],
    ['ExternalName', { type: 'ExternalName' as const, clusterIP: '' }],
  ])('skips %s services', (_n, over) => {
    expect(servicePortsOf(svc(over)).size).toBe(0);
  });
  it('ClientIP affinity defaults to 10800 s', () => {
    expect(servicePortsOf(svc({ sessionAffinity: 'ClientIP' })).get('default/web:http/TCP')?.stickyMaxAgeSeconds).toBe(10800);
  });
});

describe('endpointsOfSlices', () => {
  it('defaults conditions and marks node-local endpoints', () => {
    const eps = endpointsOfSlices(
      [
        {
          metadata: { name: 's1' },
          addressType: 'IPv4',
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
          endpoints: [
            { addresses: ['10.1.0.2'], nodeName: 'n1' },
            { addresses: ['10.1.0.3'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'n2' },
          ],
        },
      ],
      'default',
      'web',
      'n1',
    ).get('default/web:http/TCP');
    expect(eps).toEqual([
      { ip: '10.1.0.2', port: 8080, endpoint: '10.1.0.2:8080', ready: true, serving: true, terminating: false, isLocal: true },
      { ip: '10.1.0.3', port: 8080, endpoint: '10.1.0.3:8080', ready: false, serving: true, terminating: true, isLocal: false },
    ]);
  });
  it('names only endpoints that are new since `previous`; the others keep their chain stem', () => {
    const named: string[] = [];
    const naming = { servicePort: () => 'S', endpoint: (_spn: string, _p: string, ep: string) => (named.push(ep), `stem-${ep}`) };
    const slice = (ips: string[]) => [{ metadata: { name: 's1' }, addressType: 'IPv4' as const, ports: [{ name: 'http', port: 8080 }], endpoints: ips.map((ip) => ({ addresses: [ip] })) }];
    const first = endpointsOfSlices(slice(['10.1.0.2', '10.1.0.3']), 'default', 'web', 'n1', naming);
    expect(named).toEqual(['10.1.0.2:8080', '10.1.0.3:8080']);
    named.length = 0;
    const second = endpointsOfSlices(slice(['10.1.0.3', '10.1.0.4']), 'default', 'web', 'n1', naming, first);
    expect(named).toEqual(['10.1.0.4:8080']);
    expect(second.get('default/web:http/TCP')!.map((e) => e.chainStem)).toEqual(['stem-10.1.0.3:8080', 'stem-10.1.0.4:8080']);
  });
});

describe('ChangeTracker', () => {
  it('collapses updates and drops no-ops', () => {
    const t = new ChangeTracker<{ v: number }>();
    t.update('a', { v: 1 });
    expect(t.drain().get('a')).toEqual({ previous: undefined, current: { v: 1 } });
    t.update('a', { v: 2 });
    t.update('a', { v: 1 });
    expect(t.pendingCount).toBe(0);
    t.update('a', { v: 3 });
    t.update('a', undefined);
    expect(t.drain().get('a')).toEqual({ previous: { v: 1 }, current: undefined });
    expect(t.appliedValues().size).toBe(0);
  });
  it('latest: the pending value, else the applied one', () => {
    const t = new ChangeTracker<number>();
    t.update('a', 1);
    expect(t.latest('a')).toBe(1);
    t.drain();
    expect(t.latest('a')).toBe(1);
    t.update('a', 2);
    expect(t.latest('a')).toBe(2);
    t.update('a', undefined);
    expect(t.latest('a')).toBeUndefined();
    expect(t.latest('b')).toBeUndefined();
  });
});

describe('BoundedFrequencyRunner', () => {
  it('coalesces triggers and respects min interval', async () => {
    const clock = new FakeClock();
    const r = new BoundedFrequencyRunner(() => {}, { clock, minIntervalMs: 1000, maxIntervalMs: 30000 });
    r.start();
    r.run();
    r.run();
    await clock.advance(0);
    expect(r.runs).toBe(1);
    r.run();
    r.run();
    await clock.advance(500);
    expect(r.runs).toBe(1);
    await clock.advance(500);
    expect(r.runs).toBe(2);
    await clock.advance(30000);
    expect(r.runs).toBe(3);
    r.stop();
  });
  it('runs one sync at a time and reruns after a trigger during a run', async () => {
    const clock = new FakeClock();
    let release: () => void = () => {};
    let inFlight = 0;
    let maxInFlight = 0;
    const r = new BoundedFrequencyRunner(
      () =>
        new Promise<void>((res) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          release = () => {
            inFlight--;
            res();
          };
        }),
      { clock, minIntervalMs: 1000 },
    );
    r.start();
    r.run();
    await clock.advance(0);
    r.run();
    await clock.advance(2000);
    expect(r.runs).toBe(1);
    release();
    await clock.advance(0);
    await clock.advance(1000);
    expect(r.runs).toBe(2);
    expect(maxInFlight).toBe(1);
    release();
    r.stop();
  });
});
