/**
 * `bootstrapCluster`: run once when an API server starts (before it serves HTTP); idempotent and
 * safe to run from several servers at once. Creates the system namespaces, the two system
 * PriorityClasses, the default RBAC roles and bindings (reconciled when present, see
 * ./ensure-rbac-object.ts), the API Priority and Fairness configuration objects
 * (see ./flowcontrol.ts), the default ServiceCIDR `kubernetes` (./default-service-cidr.ts), the
 * `kubernetes` Service in `default` (first address of the service range, its IPAddress made) and its
 * Endpoints and EndpointSlice pointing at this API server, updating them when the address or
 * port changed. Objects are written straight to storage with full server-set metadata.
 * The system namespaces and the `kubernetes` Service passes are exported for the loops that
 * re-ensure them while the server runs (./control-plane-objects-maintenance.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import { ipFamilyOf } from '../../pkg/net/index.ts';
import { SYSTEM_PRIORITY_CLASSES } from '../../pkg/api/scheduling/v1/priorityclass.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { repairServiceAllocations, type RepairReport } from '../admission/service-allocation-repair.ts';
import { createServiceAllocators, type ServiceAllocators } from '../admission/service-allocators.ts';
import { firstServiceIp } from '../admission/service-ip-allocator.ts';
import type { AdmissionContext } from '../admission/types.ts';
import {
  kubeTimestamp, kubernetesEndpoints, kubernetesEndpointsSubsets, kubernetesEndpointSlice, kubernetesService, kubernetesServiceSpec,
  kubernetesSliceFields, systemNamespace, SYSTEM_NAMESPACES, systemPriorityClass, type ApiserverAddress, type NewObjectMeta,
} from './objects.ts';
import { defaultClusterRoleBindings, defaultClusterRoles } from './rbac-defaults.ts';
import { ensureFlowControlConfiguration } from './flowcontrol.ts';
import { ensureDefaultServiceCIDR } from './default-service-cidr.ts';
import { ensureRbacObject } from './ensure-rbac-object.ts';
import { DEFAULT_SERVICE_CIDR_NAME } from '../../pkg/api/networking/v1/servicecidr.ts';
import { RBAC_GROUP } from '../../pkg/api/rbac/v1/group.ts';
import { jsonEqual } from '../../pkg/util/json-equal.ts';
import { createIfAbsent } from '../../pkg/storage/create-if-absent.ts';

export interface BootstrapOptions {
  storage: Storage;
  /** Used to apply each kind's defaults to what bootstrap writes, when the kind is registered. */
  registry?: ResourceRegistry;
  keyFor: AdmissionContext['keyFor'];
  /** `--service-cluster-ip-range` (default 10.96.0.0/12). */
  serviceClusterIpRange?: string;
  /** Where clients reach this API server: the `kubernetes` Endpoints target. */
  apiserverAddress: ApiserverAddress;
  /** Share the server's allocators (else built from `serviceClusterIpRange`). */
  allocators?: ServiceAllocators;
  now?: () => number;
  newUid?: () => string;
  logger?: Logger;
  /**
   * Repair Service allocations after bootstrapping (default true): reserve values of Services
   * that lack a reservation, release reservations older than `repairGraceMs` (default 60 s)
   * whose Service is gone.
   */
  repair?: boolean;
  repairGraceMs?: number;
}

/** What bootstrap created or changed (for logs and tests). */
export interface BootstrapReport {
  created: string[];
  updated: string[];
  /** Present when the allocation repair ran. */
  repair?: RepairReport;
}

const NAMESPACES = { group: '', plural: 'namespaces', namespaced: false };
const PRIORITY_CLASSES = { group: 'scheduling.k8s.io', plural: 'priorityclasses', namespaced: false };
const SERVICES = { group: '', plural: 'services', namespaced: true };
const ENDPOINTS = { group: '', plural: 'endpoints', namespaced: true };
const ENDPOINT_SLICES = { group: 'discovery.k8s.io', plural: 'endpointslices', namespaced: true };
const CLUSTER_ROLES = { group: RBAC_GROUP, plural: 'clusterroles', namespaced: false };
const CLUSTER_ROLE_BINDINGS = { group: RBAC_GROUP, plural: 'clusterrolebindings', namespaced: false };

export async function bootstrapCluster(options: BootstrapOptions): Promise<BootstrapReport> {
  const { storage, keyFor } = options;
  const ctx: AdmissionContext = { storage, keyFor };
  const allocators = options.allocators ?? createServiceAllocators(ctx, { serviceClusterIpRange: options.serviceClusterIpRange });
  const logger = bootstrapLogger(options);
  const now = options.now ?? Date.now;
  const meta = newMetaFactory(options);
  const report: BootstrapReport = { created: [], updated: [] };
  const writer = new Writer(options, report);

  await ensureSystemNamespaces(options, report);

  for (const [name, value] of Object.entries(SYSTEM_PRIORITY_CLASSES)) {
    await writer.ensure(keyFor(PRIORITY_CLASSES, undefined, name), `priorityclasses/${name}`, () => systemPriorityClass(name, value, meta()));
  }

  // The default RBAC roles and bindings: created when missing, else given what this version's
  // defaults add (a user's additions are kept; `autoupdate: "false"` opts out).
  await Promise.all([
    ...defaultClusterRoles(meta).map((role) => writer.ensureRbac(keyFor(CLUSTER_ROLES, undefined, role.metadata.name ?? ''), `clusterroles/${role.metadata.name}`, role, logger)),
    ...defaultClusterRoleBindings(meta).map((binding) => writer.ensureRbac(keyFor(CLUSTER_ROLE_BINDINGS, undefined, binding.metadata.name ?? ''), `clusterrolebindings/${binding.metadata.name}`, binding, logger)),
  ]);

  // API Priority and Fairness: mandatory and suggested configuration, FlowSchema Dangling conditions.
  await ensureFlowControlConfiguration({ ctx, ensure: (...args) => writer.ensure(...args), meta, now: kubeTimestamp(now()) });

  // The default ServiceCIDR, before the `kubernetes` Service's address is taken from it.
  const defaultCidr = await ensureDefaultServiceCIDR({ ctx, cidrs: [allocators.ips.rangeText], meta, now: kubeTimestamp(now()), events: allocators.events, logger });
  if (defaultCidr === 'create') report.created.push(`servicecidrs/${DEFAULT_SERVICE_CIDR_NAME}`);
  if (defaultCidr === 'set-ready') report.updated.push(`servicecidrs/${DEFAULT_SERVICE_CIDR_NAME}`);

  await ensureKubernetesService({ ...options, allocators }, report, { reconcileService: true });

  if (options.repair !== false) report.repair = await repairServiceAllocations(ctx, allocators, { graceMs: options.repairGraceMs, now });
  logger.info(report, 'cluster bootstrap done');
  return report;
}

/** Creates whichever of the system namespaces (default, kube-system, kube-public, kube-node-lease) is missing. */
export async function ensureSystemNamespaces(options: BootstrapOptions, report: BootstrapReport = { created: [], updated: [] }): Promise<BootstrapReport> {
  const writer = new Writer(options, report);
  const meta = newMetaFactory(options);
  for (const name of SYSTEM_NAMESPACES) await writer.ensure(options.keyFor(NAMESPACES, undefined, name), `namespaces/${name}`, () => systemNamespace(name, meta()));
  return report;
}

/**
 * The `kubernetes` Service in `default` (its namespace and first service address included) and its
 * Endpoints and EndpointSlice pointing at this API server: created when missing, the Endpoints
 * and slice corrected when they point elsewhere. The Service's ports and type are corrected only
 * with `reconcileService` (upstream does so at start only, so a user's edit lasts until a restart).
 */
export async function ensureKubernetesService(
  options: BootstrapOptions & { allocators: ServiceAllocators },
  report: BootstrapReport = { created: [], updated: [] },
  { reconcileService }: { reconcileService: boolean },
): Promise<BootstrapReport> {
  const { keyFor, allocators } = options;
  const writer = new Writer(options, report);
  const meta = newMetaFactory(options);
  await writer.ensure(keyFor(NAMESPACES, undefined, 'default'), 'namespaces/default', () => systemNamespace('default', meta()));

  const family = allocators.ips.range.family;
  const clusterIP = firstServiceIp(allocators.ips.range);
  const service = await options.storage.get(keyFor(SERVICES, 'default', 'kubernetes'));
  if (!service || reconcileService) await reserveKubernetesIp({ storage: options.storage, keyFor }, allocators, clusterIP, bootstrapLogger(options));
  const spec = kubernetesServiceSpec(clusterIP, family, options.apiserverAddress.port);
  await writer.ensure(keyFor(SERVICES, 'default', 'kubernetes'), 'services/default/kubernetes', () => kubernetesService(spec, meta()), reconcileService ? (current) => {
    const currentSpec = (current.spec ?? {}) as Record<string, unknown>;
    if (jsonEqual(currentSpec.ports, spec.ports) && currentSpec.type === 'ClusterIP') return undefined;
    return { ...current, spec: { ...currentSpec, type: 'ClusterIP', ports: spec.ports } };
  } : undefined);

  const address = options.apiserverAddress;
  const subsets = kubernetesEndpointsSubsets(address);
  await writer.ensure(keyFor(ENDPOINTS, 'default', 'kubernetes'), 'endpoints/default/kubernetes', () => kubernetesEndpoints(address, meta()), (current) =>
    jsonEqual(current.subsets, subsets) ? undefined : { ...current, subsets });

  const sliceFamily = ipFamilyOf(address.ip) ?? family;
  const slice = kubernetesSliceFields(address, sliceFamily);
  await writer.ensure(keyFor(ENDPOINT_SLICES, 'default', 'kubernetes'), 'endpointslices/default/kubernetes', () => kubernetesEndpointSlice(address, sliceFamily, meta()), (current) => {
    const same = Object.entries(slice).every(([field, value]) => jsonEqual(current[field], value));
    return same ? undefined : { ...current, ...slice, metadata: { ...current.metadata, generation: (current.metadata.generation ?? 1) + 1 } };
  });
  return report;
}

function bootstrapLogger(options: BootstrapOptions): Logger {
  return (options.logger ?? pino({ level: 'warn' })).child({ component: 'bootstrap' });
}

function newMetaFactory(options: BootstrapOptions): () => NewObjectMeta {
  const now = options.now ?? Date.now;
  const newUid = options.newUid ?? randomUUID;
  return () => ({ uid: newUid(), creationTimestamp: kubeTimestamp(now()) });
}

/** Create-if-missing, else optionally reconcile with a read-modify-write. */
class Writer {
  constructor(private readonly options: BootstrapOptions, private readonly report: BootstrapReport) {}

  async ensure(key: string, label: string, build: () => KubeObject, reconcile?: (current: KubeObject) => KubeObject | undefined): Promise<void> {
    if (await createIfAbsent(this.options.storage, key, this.withDefaults(build()))) {
      this.report.created.push(label);
      return;
    }
    if (!reconcile) return;
    let changed = false;
    await this.options.storage.guaranteedUpdate(key, (current) => {
      if (!current) return this.withDefaults(build());
      const next = reconcile(current);
      changed = next !== undefined;
      return next ?? current;
    });
    if (changed) this.report.updated.push(label);
  }

  /** Creates or reconciles a default RBAC object ({@link ensureRbacObject}). */
  async ensureRbac(key: string, label: string, expected: KubeObject, logger: Logger): Promise<void> {
    const outcome = await ensureRbacObject(this.options.storage, key, this.withDefaults(expected), logger);
    if (outcome === 'created') this.report.created.push(label);
    if (outcome === 'updated' || outcome === 'recreated') this.report.updated.push(label);
  }

  private withDefaults(obj: KubeObject): KubeObject {
    const [group, version] = (obj.apiVersion ?? 'v1').includes('/') ? (obj.apiVersion ?? '').split('/', 2) : ['', obj.apiVersion ?? 'v1'];
    const info = this.options.registry?.byKind(group, version, obj.kind ?? '');
    info?.applyDefaults(obj);
    return obj;
  }
}

/** Holds the first service IP for `default/kubernetes`, taking it over from a Service that no longer exists. */
async function reserveKubernetesIp(ctx: AdmissionContext, allocators: ServiceAllocators, ip: string, logger: Logger): Promise<void> {
  const owner = { namespace: 'default', name: 'kubernetes' };
  if (await allocators.ips.reservations.reserve(ip, owner)) return;
  const held = await allocators.ips.reservations.get(ip);
  if (!held || (held.owner.namespace === owner.namespace && held.owner.name === owner.name && held.labelsValid)) return;
  const holder = held.owner.name ? await ctx.storage.get(ctx.keyFor(SERVICES, held.owner.namespace, held.owner.name)) : undefined;
  if (holder && !(held.owner.namespace === owner.namespace && held.owner.name === owner.name)) {
    logger.error({ ip, holder: `${held.owner.namespace}/${held.owner.name}` }, 'kubernetes service IP is held by another service');
    return;
  }
  await allocators.ips.reservations.recreate(ip, held.revision, owner);
}
