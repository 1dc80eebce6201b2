/**
 * An in-process control plane for tests and reconciler developers: the real API server (same
 * admission, bootstrap objects, discovery and OpenAPI as `k8ts apiserver`) on a free loopback
 * port over memory storage or a throw-away etcd, a kubeconfig file pointing at it and a client.
 *
 * ```ts
 * const cp = await startTestControlPlane();
 * await cp.client.namespaces.create({ metadata: { name: 'demo' } });
 * await cp.stop();
 * ```
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { assembleApiServer } from '../../apiserver/assemble.ts';
import type { ComponentStatusOptions } from '../../apiserver/componentstatus/handler.ts';
import type { ServerAuthOptions } from '../../apiserver/auth/install.ts';
import type { ApiServer, ApiServerOptions } from '../../apiserver/server.ts';
import { createWatchCachedStorage } from '../../apiserver/handlers/watch-cache.ts';
import { serviceAccountTokenConfig } from '../../apiserver/auth/serviceaccount-keys.ts';
import { parseAdmissionConfiguration } from '../../apiserver/admission/config/admission-configuration.ts';
import { admissionPluginConfigs } from '../../apiserver/admission/config/plugin-configs.ts';
import { createBuiltinRegistry } from '../api/builtin.ts';
import { createClient, writeKubeconfig, type Client } from '../client/index.ts';
import { createEtcd3Storage, MemoryStorage } from '../storage/index.ts';
import type { Storage } from '../storage/types.ts';
import { startEtcd, type EtcdProcess } from './etcd-process.ts';
import { BUILTIN_CONTROLLERS } from '../../controller-manager/controllers/index.ts';
import { DEFAULT_SETTINGS, type ControllerManagerSettings } from '../../controller-manager/controllers/types.ts';
import { selectControllers } from '../../controller-manager/select-controllers.ts';
import { Manager } from '../runtime/index.ts';

/** Options of {@link startTestControlPlane}. */
export interface TestControlPlaneOptions {
  /** `memory` (default, starts in milliseconds) or `etcd` (a real etcd process on free ports). */
  storage?: 'memory' | 'etcd';
  /** Serve reads and watches from the watch cache (default: on for etcd, as `k8ts apiserver`). */
  watchCache?: boolean;
  /** Server log (default silent). */
  logger?: Logger;
  /** Client-side rate limit of {@link TestControlPlane.client} (default unlimited). */
  qps?: number;
  /** Service ClusterIP range (default `10.96.0.0/12`). */
  serviceClusterIpRange?: string;
  /**
   * Run built-in controllers in-process (no leader election): `true` for the ones envtest lacks
   * and tests usually want — `garbagecollector`, `namespace`, `replicaset`, `deployment`, … and the
   * storage controllers (`persistentvolume-binder`, `hostpath-provisioner`, `pvc-protection`,
   * `pv-protection`) and `horizontalpodautoscaling` (reading metrics.k8s.io, which only a metrics
   * server provides) — or a
   * `--controllers`-style list such as `['*', '-nodelifecycle']`.
   */
  controllers?: boolean | readonly string[];
  /**
   * Issue service-account tokens (`serviceaccounts/<name>/token`, TokenReview answers for them)
   * with a throw-away P-256 key and the default issuer, as `k8ts up` clusters do (default true).
   */
  serviceAccountTokens?: boolean;
  /**
   * Flags of those controllers as the controller-manager would parse them (default its defaults),
   * e.g. `{ rootCaFile }` so `root-ca-cert-publisher` publishes that CA. When the plane issues
   * service-account tokens, `serviceAccountPrivateKeyFile` defaults to a file holding its signing
   * key (so `serviceaccount-token` signs legacy tokens the API server accepts).
   */
  controllerSettings?: Partial<ControllerManagerSettings>;
  /** Where `componentstatuses` probes the scheduler and controller-manager (default upstream's local ports). */
  componentStatus?: ComponentStatusOptions;
  /**
   * An AdmissionConfiguration document (`apiserver.config.k8s.io/v1`, as `--admission-control-config-file`
   * holds it, e.g. PodSecurity `defaults` and `exemptions`); relative plugin paths resolve against the
   * working directory. Invalid: `startTestControlPlane` rejects with the API server's start-up error.
   */
  admissionConfiguration?: unknown;
  /**
   * Authenticate and authorize as `k8ts apiserver` does (default: none, every request allowed and
   * anonymous to admission). The plane serves plain HTTP, whose requests then act as
   * `system:unsecured` (system:masters), e.g. for admission that looks at the user.
   */
  auth?: ServerAuthOptions;
  /** Auditing: requests the policy selects go to the backend (which the caller owns and closes). */
  audit?: ApiServerOptions['audit'];
}

/** The controllers `controllers: true` runs. */
export const DEFAULT_TEST_CONTROLLERS = ['garbagecollector', 'namespace', 'replicaset', 'deployment', 'daemonset', 'statefulset', 'job', 'cronjob', 'ttl-after-finished', 'serviceaccount', 'persistentvolume-binder', 'hostpath-provisioner', 'pvc-protection', 'pv-protection', 'ephemeral-volume', 'horizontalpodautoscaling'] as const;

/** A running control plane; `stop()` releases everything it started and is idempotent. */
export interface TestControlPlane {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** A kubeconfig file (context `k8ts`, namespace `default`) for kubectl and `createClient`. */
  readonly kubeconfigPath: string;
  /** A client for the server (unthrottled unless `qps` was given). */
  readonly client: Client;
  readonly server: ApiServer;
  readonly storage: Storage;
  /** Registers cleanup to run first on `stop()` (e.g. controllers started against this plane). */
  onStop(cleanup: () => Promise<void> | void): void;
  stop(): Promise<void>;
}

/** Starts a manager with the selected built-in controllers; returns its stop function. */
async function startControllers(options: { client: Client; logger: Logger; spec: string[]; settings?: Partial<ControllerManagerSettings> }): Promise<() => Promise<void>> {
  const manager = new Manager({ client: options.client, logger: options.logger.child({ component: 'controller-manager' }) });
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  for (const controller of selectControllers(options.spec, BUILTIN_CONTROLLERS)) controller.register({ manager, settings });
  const stop = new AbortController();
  const running = manager.start(stop.signal).catch((err: unknown) => options.logger.error({ err }, 'test controllers failed'));
  return async () => {
    stop.abort();
    await running;
  };
}

/** Starts the control plane; on failure releases whatever it had started before rejecting. */
export async function startTestControlPlane(options: TestControlPlaneOptions = {}): Promise<TestControlPlane> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => {});
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-testcp-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    let etcd: EtcdProcess | undefined;
    if (options.storage === 'etcd') {
      etcd = await startEtcd();
      cleanups.push(() => etcd?.stop());
    }
    const backend: Storage = etcd ? createEtcd3Storage({ endpoints: [etcd.endpoint] }) : new MemoryStorage();
    const registry = createBuiltinRegistry();
    const storage = (options.watchCache ?? Boolean(etcd)) ? createWatchCachedStorage({ inner: backend, registry, keyPrefix: '/registry' }) : backend;
    cleanups.push(() => storage.close());
    const logger = options.logger ?? pino({ level: 'silent' });
    const signingKey = options.serviceAccountTokens === false ? undefined : generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const serviceAccountPrivateKeyFile = signingKey ? join(dir, 'sa.key') : undefined;
    if (signingKey && serviceAccountPrivateKeyFile) await writeFile(serviceAccountPrivateKeyFile, signingKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const pluginConfigs = options.admissionConfiguration === undefined ? undefined : admissionPluginConfigs(parseAdmissionConfiguration(options.admissionConfiguration, { baseDir: process.cwd() }), logger);
    const server = await assembleApiServer({
      storage,
      registry,
      logger,
      serviceClusterIpRange: options.serviceClusterIpRange ?? '10.96.0.0/12',
      serviceNodePortRange: '30000-32767',
      advertise: { ip: '127.0.0.1', port: 6443 },
      serviceAccountTokens: signingKey ? serviceAccountTokenConfig({ signingKey, publicKeys: [], issuers: [], apiAudiences: [] }) : undefined,
      componentStatus: options.componentStatus,
      admissionPluginConfigs: pluginConfigs,
      auth: options.auth,
      audit: options.audit,
    });
    cleanups.push(() => server.close());
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const kubeconfigPath = writeKubeconfig({ server: url, path: join(dir, 'kubeconfig') });
    const client = createClient({ kubeconfig: kubeconfigPath, qps: options.qps ?? Infinity });
    cleanups.push(() => client.close());
    const stopFirst: Array<() => Promise<void> | void> = [];
    if (options.controllers) {
      const known = new Set(BUILTIN_CONTROLLERS.map((c) => c.name));
      const spec = options.controllers === true ? DEFAULT_TEST_CONTROLLERS.filter((name) => known.has(name)) : [...options.controllers];
      stopFirst.push(await startControllers({ client, logger, spec, settings: { ...(serviceAccountPrivateKeyFile ? { serviceAccountPrivateKeyFile } : {}), ...options.controllerSettings } }));
    }
    let stopped: Promise<void> | undefined;
    return {
      url,
      kubeconfigPath,
      client,
      server,
      storage,
      onStop: (cleanup) => void stopFirst.push(cleanup),
      stop: () => {
        stopped ??= (async () => {
          for (const cleanup of stopFirst.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => {});
          await runCleanups();
        })();
        return stopped;
      },
    };
  } catch (err) {
    await runCleanups();
    throw err;
  }
}
