import { describe, expect, it } from 'vitest';
import { builtinFor, builtinResources, createBuiltinRegistry } from './builtin.ts';
import { groupVersion } from './resource.ts';

const CORE_ORDER = ['namespaces', 'pods', 'podtemplates', 'replicationcontrollers', 'services', 'endpoints', 'nodes', 'configmaps', 'secrets', 'events', 'limitranges', 'serviceaccounts', 'bindings', 'componentstatuses', 'persistentvolumeclaims', 'persistentvolumes', 'resourcequotas'];
const GROUP_ORDER = ['', 'apps', 'extensions', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch', 'discovery.k8s.io', 'coordination.k8s.io', 'scheduling.k8s.io', 'certificates.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'policy', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'admissionregistration.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'flowcontrol.apiserver.k8s.io', 'metrics.k8s.io'];

describe('builtin registry', () => {
  const all = builtinResources();

  it('registers core v1 kinds in upstream discovery order, then the groups in order', () => {
    const core = all.filter((r) => r.group === '').map((r) => r.plural);
    expect(core).toEqual(CORE_ORDER.filter((p) => core.includes(p)));
    expect(core).toEqual(expect.arrayContaining(['namespaces', 'services', 'endpoints', 'nodes', 'configmaps', 'secrets', 'events', 'serviceaccounts']));
    const groups = [...new Set(all.map((r) => r.group))];
    expect(groups).toEqual(GROUP_ORDER.filter((g) => groups.includes(g)));
    expect(groups).toEqual(expect.arrayContaining(['', 'discovery.k8s.io', 'coordination.k8s.io', 'scheduling.k8s.io']));
  });

  it('lists storage.k8s.io/v1 resources in upstream discovery order', () => {
    expect(all.filter((r) => r.group === 'storage.k8s.io').map((r) => r.plural)).toEqual(['csidrivers', 'csinodes', 'csistoragecapacities', 'storageclasses', 'volumeattachments']);
  });

  it('has one entry per group/version/plural and the registry serves them all', () => {
    const keys = all.map((r) => `${groupVersion(r)}/${r.plural}`);
    expect(new Set(keys).size).toBe(keys.length);
    const registry = createBuiltinRegistry();
    expect(registry.all().map((r) => r.plural)).toEqual(all.map((r) => r.plural));
    expect(registry.lookup('', 'v1', 'services')?.kind).toBe('Service');
    expect(registry.byKind('scheduling.k8s.io', 'v1', 'PriorityClass')?.plural).toBe('priorityclasses');
  });

  it.each([
    ['namespaces', ['ns'], [], false],
    ['pods', ['po'], ['all'], true],
    ['bindings', [], [], true],
    ['deployments', ['deploy'], ['all'], true],
    ['replicasets', ['rs'], ['all'], true],
    ['daemonsets', ['ds'], ['all'], true],
    ['statefulsets', ['sts'], ['all'], true],
    ['services', ['svc'], ['all'], true],
    ['endpoints', ['ep'], [], true],
    ['nodes', ['no'], [], false],
    ['configmaps', ['cm'], [], true],
    ['secrets', [], [], true],
    ['events', ['ev'], [], true],
    ['serviceaccounts', ['sa'], [], true],
    ['limitranges', ['limits'], [], true],
    ['jobs', [], ['all'], true],
    ['cronjobs', ['cj'], ['all'], true],
    ['endpointslices', [], [], true],
    ['leases', [], [], true],
    ['priorityclasses', ['pc'], [], false],
    ['runtimeclasses', [], [], false],
    ['csidrivers', [], [], false],
    ['csinodes', [], [], false],
    ['csistoragecapacities', [], [], true],
    ['volumeattachments', [], [], false],
    ['flowschemas', [], [], false],
    ['prioritylevelconfigurations', [], [], false],
    ['roles', [], [], true],
    ['clusterroles', [], [], false],
    ['rolebindings', [], [], true],
    ['clusterrolebindings', [], [], false],
    ['ingresses', ['ing'], [], true],
    ['ingressclasses', [], [], false],
    ['networkpolicies', ['netpol'], [], true],
    ['poddisruptionbudgets', ['pdb'], [], true],
    ['resourcequotas', ['quota'], [], true],
    ['horizontalpodautoscalers', ['hpa'], ['all'], true],
  ])('%s: short names %j, categories %j, namespaced %s', (plural, shortNames, categories, namespaced) => {
    const info = all.find((r) => r.plural === plural);
    expect(info).toMatchObject({ shortNames, categories, namespaced });
  });

  it.each(all.map((r) => [`${groupVersion(r)} ${r.kind}`, r] as const))('%s: a minimal object decodes, defaults idempotently and validates without throwing', (_name, info) => {
    const obj = info.schema.parse({ apiVersion: groupVersion(info), kind: info.kind, metadata: { name: 'x', ...(info.namespaced ? { namespace: 'default' } : {}) } });
    info.prepareForCreate?.(obj);
    info.applyDefaults(obj);
    const once = structuredClone(obj);
    info.applyDefaults(obj);
    expect(obj).toEqual(once);
    expect(Array.isArray(info.validate(obj))).toBe(true);
    expect(Array.isArray(info.validate(obj, once))).toBe(true);
  });

  it.each([
    ['v1', 'Service', 'services'],
    ['v1', 'ConfigMap', 'configmaps'],
    ['v1', 'Pod', 'pods'],
    ['v1', 'Binding', 'bindings'],
    ['apps/v1', 'Deployment', 'deployments'],
    ['apps/v1', 'ReplicaSet', 'replicasets'],
    ['extensions/v1beta1', 'Deployment', 'deployments'],
    ['apps/v1beta2', 'ReplicaSet', 'replicasets'],
    ['apps/v1', 'DaemonSet', 'daemonsets'],
    ['extensions/v1beta1', 'DaemonSet', 'daemonsets'],
    ['apps/v1beta2', 'DaemonSet', 'daemonsets'],
    ['apps/v1', 'StatefulSet', 'statefulsets'],
    ['apps/v1beta1', 'StatefulSet', 'statefulsets'],
    ['apps/v1beta2', 'StatefulSet', 'statefulsets'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'],
    ['autoscaling/v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'],
    ['batch/v1', 'Job', 'jobs'],
    ['batch/v1', 'CronJob', 'cronjobs'],
    ['discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices'],
    ['coordination.k8s.io/v1', 'Lease', 'leases'],
    ['rbac.authorization.k8s.io/v1', 'Role', 'roles'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings'],
    ['networking.k8s.io/v1', 'Ingress', 'ingresses'],
    ['networking.k8s.io/v1', 'IngressClass', 'ingressclasses'],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies'],
    ['networking.k8s.io/v1', 'ServiceCIDR', 'servicecidrs'],
    ['networking.k8s.io/v1', 'IPAddress', 'ipaddresses'],
    ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets'],
    ['node.k8s.io/v1', 'RuntimeClass', 'runtimeclasses'],
    ['storage.k8s.io/v1', 'CSIDriver', 'csidrivers'],
    ['storage.k8s.io/v1', 'CSINode', 'csinodes'],
    ['storage.k8s.io/v1', 'CSIStorageCapacity', 'csistoragecapacities'],
    ['storage.k8s.io/v1', 'VolumeAttachment', 'volumeattachments'],
    ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 'flowschemas'],
    ['flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', 'prioritylevelconfigurations'],
  ])('builtinFor(%s, %s) → %s', (apiVersion, kind, plural) => {
    expect(builtinFor(apiVersion, kind)?.plural).toBe(plural);
  });

  it('serves apps/v1 before the legacy workload versions, so it stays the preferred apps version', () => {
    const apps = all.filter((r) => r.group === 'apps').map((r) => `${r.version}/${r.plural}`);
    expect(apps.slice(0, 5)).toEqual(['v1/controllerrevisions', 'v1/daemonsets', 'v1/deployments', 'v1/replicasets', 'v1/statefulsets']);
    expect(apps.slice(5)).toEqual(['v1beta1/deployments', 'v1beta2/deployments', 'v1beta2/replicasets', 'v1beta2/daemonsets', 'v1beta1/statefulsets', 'v1beta2/statefulsets']);
    expect(all.find((r) => r.plural === 'bindings')?.verbs).toEqual(['create']);
  });

  it('serves autoscaling/v2 before autoscaling/v1, so v2 is the preferred autoscaling version; v1 is stored as v2', () => {
    const autoscaling = all.filter((r) => r.group === 'autoscaling');
    expect(autoscaling.map((r) => `${r.version}/${r.plural}`)).toEqual(['v2/horizontalpodautoscalers', 'v1/horizontalpodautoscalers']);
    expect(autoscaling[0]?.conversion).toBeUndefined();
    expect(autoscaling[1]?.conversion).toMatchObject({ storageGroup: 'autoscaling', storageVersion: 'v2' });
    expect(autoscaling.map((r) => r.subresources.status)).toEqual([true, true]);
  });

  it('serves metrics.k8s.io/v1beta1 last (upstream lists the aggregated group after the built-ins): computed nodes and pods, get and list only', () => {
    const metrics = all.filter((r) => r.group === 'metrics.k8s.io');
    expect(metrics.map((r) => ({ version: r.version, plural: r.plural, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs, singular: r.singular, computed: r.computed }))).toEqual([
      { version: 'v1beta1', plural: 'nodes', kind: 'NodeMetrics', namespaced: false, verbs: ['get', 'list'], singular: '', computed: true },
      { version: 'v1beta1', plural: 'pods', kind: 'PodMetrics', namespaced: true, verbs: ['get', 'list'], singular: '', computed: true },
    ]);
    expect(all.at(-1)?.kind).toBe('PodMetrics');
    expect(createBuiltinRegistry().lookup('metrics.k8s.io', 'v1beta1', 'pods')?.kind).toBe('PodMetrics');
  });

  it('builtinFor returns undefined for unknown kinds', () => {
    expect(builtinFor('v1', 'Nope')).toBeUndefined();
  });
});
