/**
 * `--controllers` semantics of kube-controller-manager: a list of names where `*` enables every
 * controller that is on by default, `name` enables one, `-name` disables one (a disable wins).
 * Both the short names (`replicaset`) and the long names upstream introduced in 1.28
 * (`replicaset-controller`) are accepted. Pure.
 */
import type { ControllerDescriptor } from './controllers/types.ts';

/** Upstream's long names → our short descriptor names. */
export const CONTROLLER_ALIASES: Readonly<Record<string, string>> = {
  'replicaset-controller': 'replicaset',
  'replicationcontroller-controller': 'replicationcontroller',
  'deployment-controller': 'deployment',
  'daemonset-controller': 'daemonset',
  'statefulset-controller': 'statefulset',
  'endpoints-controller': 'endpoint',
  'endpointslice-controller': 'endpoint',
  // One controller serves both Endpoints and EndpointSlices.
  endpointslice: 'endpoint',
  'endpointslice-mirroring-controller': 'endpointslicemirroring',
  'garbage-collector-controller': 'garbagecollector',
  'namespace-controller': 'namespace',
  'serviceaccount-controller': 'serviceaccount',
  'serviceaccount-token-controller': 'serviceaccount-token',
  'node-ipam-controller': 'nodeipam',
  'node-lifecycle-controller': 'nodelifecycle',
  'certificatesigningrequest-approving-controller': 'csrapproving',
  'certificatesigningrequest-signing-controller': 'csrsigning',
  'bootstrap-signer-controller': 'bootstrapsigner',
  'token-cleaner-controller': 'tokencleaner',
  'clusterrole-aggregation-controller': 'clusterrole-aggregation',
  'root-ca-certificate-publisher-controller': 'root-ca-cert-publisher',
  'persistentvolume-binder-controller': 'persistentvolume-binder',
  'persistentvolumeclaim-protection-controller': 'pvc-protection',
  'persistentvolume-protection-controller': 'pv-protection',
  'ephemeral-volume-controller': 'ephemeral-volume',
  'disruption-controller': 'disruption',
  'resourcequota-controller': 'resourcequota',
  'horizontal-pod-autoscaler-controller': 'horizontalpodautoscaling',
};

/** Unknown names are reported with every bad name, as a usage error. */
export class UnknownControllerError extends Error {}

/** The descriptors to run, in registry order. */
export function selectControllers(spec: readonly string[], registry: readonly ControllerDescriptor[]): ControllerDescriptor[] {
  const known = new Set(registry.map((d) => d.name));
  const canonical = (name: string) => CONTROLLER_ALIASES[name] ?? name;
  const unknown = spec
    .map((s) => s.replace(/^-/, ''))
    .filter((s) => s !== '*' && !known.has(canonical(s)));
  if (unknown.length) {
    throw new UnknownControllerError(`${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the list of known controllers: ${[...known].sort().join(', ')}`);
  }
  const disabled = new Set(spec.filter((s) => s.startsWith('-')).map((s) => canonical(s.slice(1))));
  const enabled = new Set(spec.filter((s) => s !== '*' && !s.startsWith('-')).map(canonical));
  const star = spec.includes('*');
  return registry.filter((d) => !disabled.has(d.name) && (enabled.has(d.name) || (star && d.enabledByDefault)));
}
