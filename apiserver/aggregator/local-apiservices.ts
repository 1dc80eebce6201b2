/**
 * The local APIServices (upstream's autoregister controller): one APIService without
 * `spec.service` for every group/version the API server serves itself — built-ins labelled
 * `kube-aggregator.kubernetes.io/automanaged: onstart`, CustomResourceDefinition group versions
 * `true` — and the sync plan that brings the stored ones to that set. Pure.
 */
import { apiServiceName, AUTOMANAGED_LABEL, type APIService } from '../../pkg/api/apiregistration/v1/apiservice.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';

/** Upstream kube-apiserver's priorities of its own group versions (group minimum, version). */
const PRIORITIES: Readonly<Record<string, readonly [number, number]>> = {
  'v1.': [18000, 1],
  'v1.apiregistration.k8s.io': [18000, 15],
  'v1.apps': [17800, 15],
  'v1beta1.extensions': [17900, 1],
  'v1beta1.apps': [17800, 1],
  'v1beta2.apps': [17800, 9],
  'v1.events.k8s.io': [17750, 15],
  'v1.authentication.k8s.io': [17700, 15],
  'v1.authorization.k8s.io': [17600, 15],
  'v1.autoscaling': [17500, 15],
  'v2.autoscaling': [17500, 30],
  'v1.batch': [17400, 15],
  'v1.certificates.k8s.io': [17300, 15],
  'v1.networking.k8s.io': [17200, 15],
  'v1.policy': [17100, 15],
  'v1.rbac.authorization.k8s.io': [17000, 15],
  'v1.storage.k8s.io': [16800, 15],
  'v1.apiextensions.k8s.io': [16700, 15],
  'v1beta1.apiextensions.k8s.io': [16700, 9],
  'v1.admissionregistration.k8s.io': [16700, 15],
  'v1.scheduling.k8s.io': [16600, 15],
  'v1.coordination.k8s.io': [16500, 15],
  'v1.node.k8s.io': [16300, 15],
  'v1.discovery.k8s.io': [16200, 15],
  'v1.flowcontrol.apiserver.k8s.io': [16100, 21],
  // metrics-server registers v1beta1.metrics.k8s.io with these values
  'v1beta1.metrics.k8s.io': [100, 100],
};

/** A CRD group version's priorities upstream (crdregistration controller). */
const CRD_PRIORITY: readonly [number, number] = [1000, 100];

/** The group/versions of `infos`, in order, each with whether a CRD serves it. */
export function servedGroupVersions(infos: readonly ResourceInfo[]): Array<{ group: string; version: string; crd: boolean }> {
  const seen = new Map<string, { group: string; version: string; crd: boolean }>();
  for (const info of infos) {
    const name = apiServiceName(info.group, info.version);
    const prev = seen.get(name);
    if (!prev) seen.set(name, { group: info.group, version: info.version, crd: !!info.customResource });
    else if (!info.customResource) prev.crd = false;
  }
  return [...seen.values()];
}

/** The local APIService for one served group/version (spec and labels only). */
export function localApiService(gv: { group: string; version: string; crd: boolean }): APIService {
  const name = apiServiceName(gv.group, gv.version);
  const [groupPriorityMinimum, versionPriority] = gv.crd ? CRD_PRIORITY : (PRIORITIES[name] ?? [1000, 15]);
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name, labels: { [AUTOMANAGED_LABEL]: gv.crd ? 'true' : 'onstart' } },
    spec: { group: gv.group, version: gv.version, groupPriorityMinimum, versionPriority },
  };
}

function updatable(current: APIService, desired: APIService, startup: boolean): boolean {
  const label = current.metadata.labels?.[AUTOMANAGED_LABEL];
  if (!label || current.spec?.service) return false;
  return startup || label === 'true' || desired.metadata.labels?.[AUTOMANAGED_LABEL] === 'true';
}

/** What to do to the stored APIServices: create, update (spec/labels replaced), delete by name. */
export interface LocalSyncPlan {
  create: APIService[];
  update: APIService[];
  delete: string[];
}

/**
 * Compares the desired local APIServices with the stored ones: missing ones are created; an
 * automanaged one whose spec or label differs is updated — `onstart` ones only at startup, as
 * upstream; one without the label, or pointing at a service (someone registered an aggregated
 * server for a group version served here, e.g. a real metrics-server), belongs to its user and is
 * left alone; one labelled `true` that is no longer served is deleted. Pure.
 */
export function planLocalSync(desired: readonly APIService[], stored: readonly APIService[], options: { startup: boolean } = { startup: true }): LocalSyncPlan {
  const byName = new Map(stored.map((s) => [s.metadata.name ?? '', s]));
  const wanted = new Set(desired.map((d) => d.metadata.name ?? ''));
  const plan: LocalSyncPlan = { create: [], update: [], delete: [] };
  for (const d of desired) {
    const current = byName.get(d.metadata.name ?? '');
    if (!current) plan.create.push(d);
    else if (updatable(current, d, options.startup) && (JSON.stringify(current.spec) !== JSON.stringify(d.spec) || current.metadata.labels?.[AUTOMANAGED_LABEL] !== d.metadata.labels?.[AUTOMANAGED_LABEL])) plan.update.push(d);
  }
  for (const s of stored) {
    if (s.metadata.labels?.[AUTOMANAGED_LABEL] === 'true' && !wanted.has(s.metadata.name ?? '')) plan.delete.push(s.metadata.name ?? '');
  }
  return plan;
}
