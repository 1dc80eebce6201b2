/**
 * Non-resource endpoints: `/version`, `/healthz`, `/livez`, `/readyz` (./health-checks.ts) and
 * `/metrics`.
 */
import type { FastifyInstance } from 'fastify';
import { registerHealthEndpoints, type HealthCheck } from './health-checks.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import type { ApiServerMetrics } from '../metrics.ts';
import { KUBERNETES_VERSION } from '../../pkg/version.ts';

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

/** The `/version` body (upstream `version.Info`). */
export function versionInfo(): Record<string, string> {
  return {
    major: KUBERNETES_VERSION.major,
    minor: KUBERNETES_VERSION.minor,
    emulationMajor: KUBERNETES_VERSION.major,
    emulationMinor: KUBERNETES_VERSION.minor,
    minCompatibilityMajor: '1',
    minCompatibilityMinor: '32',
    gitVersion: KUBERNETES_VERSION.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsx',
    platform: `${process.platform}/${goArch[process.arch] ?? process.arch}`,
  };
}

const STORAGE_CHECK_TIMEOUT_MS = 2000;

/** Rejects unless the storage answers a read within 2 s. */
async function storageAnswers(storage: Storage): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      storage.currentRevision(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`etcd did not answer within ${STORAGE_CHECK_TIMEOUT_MS / 1000}s`)), STORAGE_CHECK_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The post-start hooks upstream lists whose work k8ts does before it serves at all (bootstrap:
 * RBAC roles, system priority classes, namespaces, the kubernetes Service, APF configuration,
 * the Service IP repair): always passing once requests are answered.
 */
const POST_START_HOOKS = [
  'poststarthook/start-system-namespaces-controller',
  'poststarthook/start-service-ip-repair-controllers',
  'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes',
  'poststarthook/priority-and-fairness-config-producer',
  'poststarthook/bootstrap-controller',
];

/** The checks of each health endpoint, in upstream's order. */
function healthChecks(storage: Storage): Record<string, HealthCheck[]> {
  const passing = (name: string): HealthCheck => ({ name, check: async () => undefined });
  const etcd = (name: string): HealthCheck => ({ name, check: () => storageAnswers(storage) });
  const live = [passing('ping'), passing('log'), etcd('etcd'), ...POST_START_HOOKS.map(passing)];
  return {
    healthz: live,
    livez: live,
    readyz: [passing('ping'), passing('log'), etcd('etcd'), etcd('etcd-readiness'), passing('informer-sync'), ...POST_START_HOOKS.map(passing), passing('shutdown')],
  };
}

/** Registers /version, /healthz, /livez, /readyz and /metrics. */
export function registerSystemRoutes(app: FastifyInstance, deps: { storage: Storage; metrics: ApiServerMetrics }): void {
  app.get('/version', async (_req, reply) => reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(versionInfo(), null, 2))));
  registerHealthEndpoints(app, healthChecks(deps.storage));
  app.get('/metrics', async (_req, reply) => reply.header('content-type', deps.metrics.contentType).send(await deps.metrics.text()));
}
