/**
 * Cross-apiserver read freshness under faults: a probe creates a ConfigMap through one API
 * server and then reads it through the other until it appears, over and over, recording how long
 * each write took to become visible there (each API server serves reads from its own watch
 * cache, fed by its own etcd watch). Bounded in count and time.
 */
import type { ApiTarget } from './apiserver-in-netns.ts';

/** One probe: written through `writer` at `ackedAt`, seen through `reader` at `visibleAt` (undefined: never, within the wait). */
export interface VisibilityRecord {
  name: string;
  writer: string;
  reader: string;
  ackedAt: number;
  visibleAt?: number;
}

export interface RunProbesOptions {
  /** Exactly two API servers; probes alternate direction. */
  targets: [ApiTarget, ApiTarget];
  namespace: string;
  signal: AbortSignal;
  label: Record<string, string>;
  /** Pause between probes (default 500 ms). */
  intervalMs?: number;
  /** Give up on one probe after this long (default 30 s). */
  maxWaitMs?: number;
  maxProbes?: number;
}

/** Runs probes until the signal aborts (or `maxProbes`); returns the acknowledged ones. */
export async function runVisibilityProbes(options: RunProbesOptions): Promise<VisibilityRecord[]> {
  const records: VisibilityRecord[] = [];
  const maxWait = options.maxWaitMs ?? 30_000;
  for (let i = 0; i < (options.maxProbes ?? 1000) && !options.signal.aborted; i++) {
    const writer = options.targets[i % 2]!;
    const reader = options.targets[(i + 1) % 2]!;
    const name = `probe-${i}`;
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: options.label }, data: { i: String(i) } };
    const res = await writer.call('POST', `/api/v1/namespaces/${options.namespace}/configmaps`, body, 20_000).catch(() => undefined);
    if (res && res.status === 201) {
      const record: VisibilityRecord = { name, writer: writer.name, reader: reader.name, ackedAt: Date.now() };
      records.push(record);
      while (Date.now() - record.ackedAt < maxWait) {
        const got = await reader.call('GET', `/api/v1/namespaces/${options.namespace}/configmaps/${name}`, undefined, 5000).catch(() => undefined);
        if (got?.status === 200) {
          record.visibleAt = Date.now();
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
  }
  return records;
}

/** How long each probe took to become visible (maxWait+ for never); pure. */
export function visibilityDelays(records: VisibilityRecord[], from = -Infinity, to = Infinity): number[] {
  return records.filter((r) => r.ackedAt >= from && r.ackedAt <= to).map((r) => (r.visibleAt === undefined ? Infinity : r.visibleAt - r.ackedAt));
}
