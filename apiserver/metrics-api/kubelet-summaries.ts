/**
 * The kubelets' resource summaries (`GET /stats/summary?only_cpu_and_memory=true`) through the
 * API server's kubelet transport (scheme, CA, client certificate: the same as logs and exec),
 * with a short per-node cache: a summary fetched less than `maxAgeMs` ago is reused, and
 * requests that arrive while one is being fetched share it. Each fetch has its own timeout; a
 * failure (unreachable, non-200, not a summary) rejects with a {@link SummaryError} and is not
 * cached, so the next request asks again.
 */
import { request as undiciRequest } from 'undici';
import type { KubeletTransport } from '../handlers/kubelet-client.ts';
import { SummarySchema, type Summary } from '../../pkg/api/stats/v1alpha1/summary.ts';

/** Why a kubelet gave no summary: `unreachable` (connection, timeout), `status` (not 200) or `invalid` (not a summary). */
export class SummaryError extends Error {
  constructor(
    readonly code: 'unreachable' | 'status' | 'invalid',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SummaryError';
  }
}

/** The I/O edge: GET `url`, resolve to the status and the body's text (tests inject a fake). */
export type SummaryGet = (url: string, options: { signal: AbortSignal; transport?: KubeletTransport }) => Promise<{ status: number; text: string }>;

/** GET through undici with the transport's dispatcher (HTTPS with the kubelet CA and client certificate). */
export const undiciSummaryGet: SummaryGet = async (url, { signal, transport }) => {
  const res = await undiciRequest(url, { method: 'GET', signal, headers: { accept: 'application/json' }, ...(transport?.dispatcher ? { dispatcher: transport.dispatcher } : {}) });
  if (res.statusCode !== 200) {
    await res.body.dump();
    return { status: res.statusCode, text: '' };
  }
  return { status: res.statusCode, text: await res.body.text() };
};

/** How summaries are fetched and cached. */
export interface KubeletSummariesOptions {
  transport?: KubeletTransport;
  /** Reuse a node's summary fetched less than this long ago (default 5 s). */
  maxAgeMs?: number;
  /** Give up on a kubelet after this long (default 5 s). */
  timeoutMs?: number;
  /** Milliseconds since the epoch (injected in tests). */
  now?: () => number;
  get?: SummaryGet;
}

interface Entry {
  url: string;
  at: number;
  summary: Promise<Summary>;
}

/** Per-node summaries, cached briefly. One instance per API server (per worker with `--workers`). */
export class KubeletSummaries {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly get: SummaryGet;
  private lastSweep = 0;

  constructor(private readonly options: KubeletSummariesOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.get = options.get ?? undiciSummaryGet;
  }

  /** `node`'s summary from the kubelet at `baseUrl` (`http(s)://host:port`), cached or fetched. */
  summary(node: string, baseUrl: string): Promise<Summary> {
    const url = `${baseUrl}/stats/summary?only_cpu_and_memory=true`;
    const now = this.now();
    const cached = this.entries.get(node);
    if (cached && cached.url === url && now - cached.at < this.maxAgeMs) return cached.summary;
    this.sweep(now);
    const entry: Entry = { url, at: now, summary: this.fetch(url) };
    this.entries.set(node, entry);
    entry.summary.catch(() => {
      if (this.entries.get(node) === entry) this.entries.delete(node);
    });
    return entry.summary;
  }

  /** Drops expired entries (nodes that went away), at most once per `maxAgeMs`. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.maxAgeMs) return;
    this.lastSweep = now;
    for (const [node, entry] of this.entries) if (now - entry.at >= this.maxAgeMs) this.entries.delete(node);
  }

  private async fetch(url: string): Promise<Summary> {
    let res: { status: number; text: string };
    try {
      res = await this.get(url, { signal: AbortSignal.timeout(this.timeoutMs), transport: this.options.transport });
    } catch (err) {
      throw new SummaryError('unreachable', `Get "${url}": ${(err as Error).message}`, { cause: err });
    }
    if (res.status !== 200) throw new SummaryError('status', `Get "${url}": request failed, status: ${res.status}`);
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch (err) {
      throw new SummaryError('invalid', `Get "${url}": not JSON: ${(err as Error).message}`, { cause: err });
    }
    const parsed = SummarySchema.safeParse(body);
    if (!parsed.success) throw new SummaryError('invalid', `Get "${url}": not a summary: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }
}
