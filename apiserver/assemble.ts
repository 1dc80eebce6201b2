/**
 * The fully configured API server as `k8ts apiserver` runs it — bootstrap objects (default
 * namespaces, the `kubernetes` Service), admission (namespace lifecycle, Service IP/NodePort
 * allocation), discovery and OpenAPI, CustomResourceDefinitions — without choosing storage, TLS or a port. Shared by
 * `main.ts` and the in-process test control plane.
 */
import type { ComponentStatusOptions } from './componentstatus/handler.ts';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ResourceRegistry } from '../pkg/api/registry.ts';
import type { Storage } from '../pkg/storage/types.ts';
import { defaultAdmissionPlugins } from './admission/defaults.ts';
import { createServiceAllocators } from './admission/service-allocators.ts';
import type { AdmissionContext } from './admission/types.ts';
import type { AdmissionPluginConfigs } from './admission/config/plugin-configs.ts';
import { bootstrapCluster } from './bootstrap/index.ts';
import { serviceAllocationMaintenancePlugin, type ServiceAllocationMaintenanceOptions } from './bootstrap/service-allocation-maintenance.ts';
import { controlPlaneObjectsMaintenancePlugin, type ControlPlaneObjectsMaintenanceOptions } from './bootstrap/control-plane-objects-maintenance.ts';
import { apfConfigPlugin } from './flowcontrol/index.ts';
import { crdServingPlugin } from './crd/index.ts';
import { interimDiscoveryPlugin } from './handlers/interim-discovery.ts';
import type { KubeletTransport } from './handlers/kubelet-client.ts';
import type { MaxInFlightLimits } from './filters/max-in-flight.ts';
import { createApiServer, storageKey, type ApiServer, type ApiServerOptions } from './server.ts';
import type { ServerAuthOptions } from './auth/install.ts';
import type { ServiceAccountTokenConfig } from './auth/serviceaccount-keys.ts';
import type { MetricsApiOptions } from './metrics-api/index.ts';
import { createAggregation, type AggregationOptions } from './aggregator/index.ts';
import { openIdDiscoveryMetadata, registerOpenIdMetadataRoutes } from './handlers/openid-routes.ts';

/** What {@link assembleApiServer} needs; the caller owns (and closes) the storage. */
export interface AssembleOptions {
  storage: Storage;
  registry: ResourceRegistry;
  logger: Logger;
  /** etcd key prefix (default `/registry`). */
  keyPrefix?: string;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
  /** Where the `kubernetes` Service's endpoints point. */
  advertise: { ip: string; port: number };
  /** Authentication and authorization of TLS requests (none: every request is privileged). */
  auth?: ServerAuthOptions;
  /** Service-account token verification and issuing (none: no service-account tokens, no `serviceaccounts/token`). */
  serviceAccountTokens?: ServiceAccountTokenConfig;
  /**
   * `jwks_uri` of the published OpenID configuration (`--service-account-jwks-uri`; default
   * `https://<advertise ip>:<port>/openid/v1/jwks`).
   */
  serviceAccountJwksUri?: string;
  /** How kubelets are reached (default plain HTTP). */
  kubelet?: KubeletTransport;
  /** Requests served at once before more get 429 (default 400 read-only / 200 mutating). */
  maxInFlight?: MaxInFlightLimits;
  /** metrics.k8s.io tuning (summary cache age, kubelet timeout, window). */
  metricsApi?: MetricsApiOptions;
  /** Where `componentstatuses` probes the scheduler and controller-manager. */
  componentStatus?: ComponentStatusOptions;
  /** The API aggregation layer (APIServices, proxy to aggregated API servers). */
  aggregation?: AggregationOptions;
  /** Periods of the default ServiceCIDR sync and the allocation repair (default upstream's 10 s / 3 min). */
  serviceAllocationMaintenance?: ServiceAllocationMaintenanceOptions;
  /** Periods of the `kubernetes` Service and system namespaces re-creation (default upstream's 10 s / 1 min). */
  controlPlaneObjectsMaintenance?: ControlPlaneObjectsMaintenanceOptions;
  /** Admission plugin configurations (`--admission-control-config-file`, read by `loadAdmissionPluginConfigs`); default each plugin's defaults. */
  admissionPluginConfigs?: AdmissionPluginConfigs;
  /** Auditing (`--audit-policy-file` + `--audit-log-path`); the caller owns the backend. */
  audit?: ApiServerOptions['audit'];
}

/** Bootstraps the cluster objects, then builds the server (not yet listening). */
export async function assembleApiServer(options: AssembleOptions): Promise<ApiServer> {
  const { storage, registry, logger: log } = options;
  const keyFor: AdmissionContext['keyFor'] = (info, namespace, name) => storageKey(info, namespace, name, options.keyPrefix);
  const allocationOptions = { serviceClusterIpRange: options.serviceClusterIpRange, serviceNodePortRange: options.serviceNodePortRange, logger: log };
  const allocators = createServiceAllocators({ storage, keyFor }, allocationOptions);
  const bootstrap = { storage, registry, keyFor, serviceClusterIpRange: options.serviceClusterIpRange, apiserverAddress: options.advertise, allocators, logger: log };
  const report = await bootstrapCluster(bootstrap);
  log.info({ created: report.created, updated: report.updated }, 'bootstrapped');
  const aggregation = createAggregation({ ...options.aggregation, authenticated: !!options.auth });
  const issuerDiscovery = openIdDiscoveryMetadata({ serviceAccountTokens: options.serviceAccountTokens, jwksUri: options.serviceAccountJwksUri, advertise: options.advertise, logger: log });
  return createApiServer({
    storage,
    registry,
    logger: log,
    keyPrefix: options.keyPrefix,
    admission: [(ctx) => defaultAdmissionPlugins(ctx, { ...allocationOptions, allocators, pluginConfigs: options.admissionPluginConfigs })],
    plugins: [
      (app) => interimDiscoveryPlugin(app, { registry, served: { tokenRequest: !!options.serviceAccountTokens?.issuing }, remotes: aggregation.remotes }),
      crdServingPlugin,
      aggregation.plugin,
      apfConfigPlugin,
      serviceAllocationMaintenancePlugin(allocators, options.serviceAllocationMaintenance),
      controlPlaneObjectsMaintenancePlugin(bootstrap, options.controlPlaneObjectsMaintenance),
      ...(issuerDiscovery ? [(app: FastifyInstance) => registerOpenIdMetadataRoutes(app, issuerDiscovery)] : []),
    ],
    auth: options.auth,
    serviceAccountTokens: options.serviceAccountTokens,
    kubelet: options.kubelet,
    maxInFlight: options.maxInFlight,
    metricsApi: options.metricsApi,
    componentStatus: options.componentStatus,
    audit: options.audit,
  });
}
