/**
 * Writers that create ConfigMaps through several API servers at once and record every
 * outcome, and the pure checks an HA test makes afterwards: every acknowledged (2xx) write is
 * readable with the content and resourceVersion it was acknowledged with, and how long the
 * writes stalled. Writers are bounded in count and time.
 */
import type { ApiTarget } from './apiserver-in-netns.ts';

/** The outcome of one create. `status` 0 = no HTTP answer (timeout, connection error). */
export interface WriteRecord {
  name: string;
  via: string;
  startedAt: number;
  endedAt: number;
  status: number;
  /** From the 2xx response. */
  resourceVersion?: string;
  data: Record<string, string>;
  error?: string;
}

/** A ConfigMap as listed: what the checks compare. */
export interface StoredConfigMap {
  name: string;
  resourceVersion: string;
  data: Record<string, string>;
}

export interface RunWritersOptions {
  targets: ApiTarget[];
  namespace: string;
  /** Concurrent writers per target. */
  writersPerTarget: number;
  /** Writers stop when this aborts… */
  signal: AbortSignal;
  /** …or after this many creates each (bounded). */
  maxWritesPerWriter: number;
  /** A writer starts a create at most this often (default 0: back to back). */
  minIntervalMs?: number;
  requestTimeoutMs: number;
  /** Label put on every ConfigMap (for listing them back). */
  label: Record<string, string>;
}

/** Runs the writers to completion and returns every record, in completion order. */
export async function runConfigMapWriters(options: RunWritersOptions): Promise<WriteRecord[]> {
  const records: WriteRecord[] = [];
  const writer = async (target: ApiTarget, id: number) => {
    for (let seq = 0; seq < options.maxWritesPerWriter && !options.signal.aborted; seq++) {
      const name = `cm-${target.name}-${id}-${seq}`;
      const data = { writer: `${target.name}/${id}`, seq: String(seq), payload: `${name}:${Math.random().toString(36).slice(2)}` };
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: options.label }, data };
      const startedAt = Date.now();
      const pace = options.minIntervalMs ? new Promise((r) => setTimeout(r, options.minIntervalMs)) : undefined;
      const record: WriteRecord = { name, via: target.name, startedAt, endedAt: 0, status: 0, data };
      try {
        const res = await target.call('POST', `/api/v1/namespaces/${options.namespace}/configmaps`, body, options.requestTimeoutMs);
        record.status = res.status;
        if (res.status >= 200 && res.status < 300) record.resourceVersion = res.json?.metadata?.resourceVersion;
        else record.error = res.json?.message ?? JSON.stringify(res.json);
      } catch (err) {
        record.error = String(err);
        await new Promise((r) => setTimeout(r, 50)); // a dead connection fails at once: do not spin
      }
      record.endedAt = Date.now();
      records.push(record);
      await pace;
    }
  };
  await Promise.all(options.targets.flatMap((t) => Array.from({ length: options.writersPerTarget }, (_, i) => writer(t, i))));
  return records;
}

/** True for a 2xx outcome. */
export function acknowledged(r: WriteRecord): boolean {
  return r.status >= 200 && r.status < 300;
}

/**
 * Every acknowledged write that is missing from `stored` or differs from what was acknowledged
 * (data or resourceVersion — nothing modifies these objects after creation); pure.
 */
export function lostOrChangedWrites(records: WriteRecord[], stored: StoredConfigMap[]): string[] {
  const byName = new Map(stored.map((s) => [s.name, s]));
  const problems: string[] = [];
  for (const r of records.filter(acknowledged)) {
    const s = byName.get(r.name);
    if (!s) problems.push(`${r.name}: acknowledged (${r.status} via ${r.via}) but missing`);
    else if (JSON.stringify(s.data) !== JSON.stringify(r.data)) problems.push(`${r.name}: data ${JSON.stringify(s.data)} != acknowledged ${JSON.stringify(r.data)}`);
    else if (r.resourceVersion !== undefined && s.resourceVersion !== r.resourceVersion) problems.push(`${r.name}: resourceVersion ${s.resourceVersion} != acknowledged ${r.resourceVersion}`);
  }
  return problems;
}

/** The longest time within [from, to] in which no acknowledged write of `via` completed; pure. */
export function longestAckGapMs(records: WriteRecord[], via: string, from: number, to: number): number {
  const ends = records.filter((r) => r.via === via && acknowledged(r) && r.endedAt >= from && r.endedAt <= to).map((r) => r.endedAt).sort((a, b) => a - b);
  let gap = 0;
  let prev = from;
  for (const t of [...ends, to]) {
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  return gap;
}

/** Counts of outcomes by status (`0` = no answer); pure. */
export function outcomeCounts(records: WriteRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records) counts[String(r.status)] = (counts[String(r.status)] ?? 0) + 1;
  return counts;
}
