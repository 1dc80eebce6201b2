/**
 * Non-resource endpoints: `/version`, `/healthz`, `/livez`, `/readyz` (storage reachable), `/metrics`.
 */
import type { FastifyInstance } from 'fastify';
import type { Storage } from '../../pkg/storage/types.ts';
import type { ApiServerMetrics } from '../metrics.ts';

/** What `/version` reports (kubectl warns when minors differ by more than one). */
export const SERVER_VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.0+k8ts' };

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

/** The `/version` body (upstream `version.Info`). */
export function versionInfo(): Record<string, string> {
  return {
    major: SERVER_VERSION.major,
    minor: SERVER_VERSION.minor,
    emulationMajor: SERVER_VERSION.major,
    emulationMinor: SERVER_VERSION.minor,
    minCompatibilityMajor: '1',
    minCompatibilityMinor: '32',
    gitVersion: SERVER_VERSION.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsx',
    platform: `${process.platform}/${goArch[process.arch] ?? process.arch}`,
  };
}

const STORAGE_CHECK_TIMEOUT_MS = 2000;

async function storageHealthy(storage: Storage): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      storage.currentRevision().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), STORAGE_CHECK_TIMEOUT_MS);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Registers /version, /healthz, /livez, /readyz and /metrics. */
export function registerSystemRoutes(app: FastifyInstance, deps: { storage: Storage; metrics: ApiServerMetrics }): void {
  app.get('/version', async (_req, reply) => reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(versionInfo(), null, 2))));
  const ok = async (_req: unknown, reply: import('fastify').FastifyReply) => reply.header('content-type', 'text/plain; charset=utf-8').send('ok');
  for (const path of ['/healthz', '/livez', '/healthz/ping', '/livez/ping', '/readyz/ping']) app.get(path, ok);
  const ready = async (_req: unknown, reply: import('fastify').FastifyReply) => {
    if (await storageHealthy(deps.storage)) return reply.header('content-type', 'text/plain; charset=utf-8').send('ok');
    return reply.code(500).header('content-type', 'text/plain; charset=utf-8').send('[-]etcd failed: reason withheld\nreadyz check failed\n');
  };
  app.get('/readyz', ready);
  app.get('/healthz/etcd', ready);
  app.get('/metrics', async (_req, reply) => reply.header('content-type', deps.metrics.contentType).send(await deps.metrics.text()));
}
