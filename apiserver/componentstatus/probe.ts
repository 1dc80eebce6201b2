/**
 * The health checks behind ComponentStatus (upstream pkg/registry/core/componentstatus
 * validator.go): an HTTP GET of a component's `/healthz` — 2xx/3xx is healthy with the body as
 * message; another status, or no answer, is unhealthy with the body or Go's error text as
 * message — and an etcd check through the server's storage (healthy: message `ok`; else the
 * error). Probes never throw.
 */
import { request } from 'undici';
import type { Storage } from '../../pkg/storage/types.ts';

/** One probe's outcome, as a `Healthy` condition's status, message and error. */
export interface ProbeResult {
  status: 'True' | 'False' | 'Unknown';
  message: string;
  error: string;
}

/** A component's check. */
export type Probe = () => Promise<ProbeResult>;

/** Upstream probeTimeOut. */
export const PROBE_TIMEOUT_MS = 20_000;

/** Go's net/http error text for a failed GET (`Get "<url>": dial tcp <host>: connect: connection refused`). Pure. */
export function goGetError(url: string, err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string; name?: string };
  const code = e.cause?.code ?? e.code;
  const { hostname, port, protocol } = new URL(url);
  const host = `${hostname.replace(/^\[|\]$/g, '').includes(':') ? `[${hostname.replace(/^\[|\]$/g, '')}]` : hostname}:${port || (protocol === 'https:' ? '443' : '80')}`;
  const detail =
    code === 'ECONNREFUSED' ? `dial tcp ${host}: connect: connection refused`
    : code === 'EHOSTUNREACH' ? `dial tcp ${host}: connect: no route to host`
    : code === 'ENOTFOUND' ? `dial tcp: lookup ${hostname}: no such host`
    : e.name === 'TimeoutError' || e.name === 'AbortError' ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
    : (e.cause?.message ?? e.message ?? String(err));
  return `Get "${url}": ${detail}`;
}

/**
 * An HTTP `/healthz` probe (upstream HttpServer.DoServerCheck with the http prober). undici's
 * `request`, not `fetch`, which refuses the ports the Fetch standard blocks.
 */
export function httpProbe(url: string, options: { timeoutMs?: number } = {}): Probe {
  return async () => {
    try {
      const res = await request(url, { method: 'GET', signal: AbortSignal.timeout(options.timeoutMs ?? PROBE_TIMEOUT_MS) });
      const body = await res.body.text();
      return { status: res.statusCode >= 200 && res.statusCode < 400 ? 'True' : 'False', message: body, error: '' };
    } catch (err) {
      return { status: 'False', message: goGetError(url, err), error: '' };
    }
  };
}

/** The etcd probe (upstream EtcdServer.DoServerCheck): a read of the current revision through the storage. */
export function storageProbe(storage: Pick<Storage, 'currentRevision'>, options: { timeoutMs?: number } = {}): Probe {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        storage.currentRevision(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('context deadline exceeded')), options.timeoutMs ?? PROBE_TIMEOUT_MS);
        }),
      ]);
      return { status: 'True', message: 'ok', error: '' };
    } catch (err) {
      return { status: 'False', message: '', error: (err as Error).message ?? String(err) };
    } finally {
      clearTimeout(timer);
    }
  };
}
