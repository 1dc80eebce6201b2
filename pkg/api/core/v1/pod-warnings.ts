/**
 * Upstream's warnings for a pod spec and its metadata (pkg/api/pod/warnings.go
 * warningsForPodSpecAndMeta, Kubernetes 1.33), shared by Pods and every pod template: deprecated
 * node labels in scheduling constraints, null label selectors, deprecated annotations and volume
 * plugins, projected paths colliding with a service account token, duplicate host aliases and
 * image pull secrets, fractional byte values, legacy seccomp / AppArmor annotations, hidden env
 * vars, conflicting ports and a negative grace period. Pure; each string is one `Warning:` header.
 */
import { child, key } from '../../validation/field-errors.ts';
import { containersWithPaths, containerWarnings, portWarnings } from './pod-container-warnings.ts';
import type { PodSpec, PodTemplateSpec } from './pod-spec.ts';
import { claimSpecWarnings, fractionalBytes, labelKeyWarning, nodeLabelDeprecation } from './storage-warnings.ts';

/** The metadata the warnings read. */
export interface PodMeta {
  annotations?: Record<string, string> | undefined;
}

const DEPRECATED_ANNOTATIONS: readonly { key: string; message: string }[] = [
  { key: 'scheduler.alpha.kubernetes.io/critical-pod', message: 'non-functional in v1.16+; use the "priorityClassName" field instead' },
  { key: 'security.alpha.kubernetes.io/sysctls', message: 'non-functional in v1.11+; use the "sysctls" field instead' },
  { key: 'security.alpha.kubernetes.io/unsafe-sysctls', message: 'non-functional in v1.11+; use the "sysctls" field instead' },
];

/** Removed or deprecated volume plugins: the JSON field, the name upstream's path uses, the message. */
const DEPRECATED_VOLUMES: readonly [field: string, pathName: string, message: string][] = [
  ['photonPersistentDisk', 'photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['gitRepo', 'gitRepo', 'deprecated in v1.11'],
  ['scaleIO', 'scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['flocker', 'flocker', 'deprecated in v1.22, non-functional in v1.25+'],
  ['storageos', 'storageOS', 'deprecated in v1.22, non-functional in v1.25+'],
  ['quobyte', 'quobyte', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
];
const DEPRECATED_VOLUMES_LATE: readonly [field: string, pathName: string, message: string][] = [
  ['cephfs', 'cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['rbd', 'rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const NULL_SELECTOR = 'a null labelSelector results in matching no pod';

type NodeSelectorTerm = { matchExpressions?: { key: string }[] | undefined };

function termWarnings(term: NodeSelectorTerm | undefined, path: string): string[] {
  return (term?.matchExpressions ?? []).flatMap((rq, i) => labelKeyWarning(`${child(path, 'matchExpressions')}[${i}].key`, rq.key));
}

function schedulingWarnings(spec: PodSpec, specPath: string): string[] {
  const out: string[] = [];
  for (const k of Object.keys(spec.nodeSelector ?? {}).sort()) {
    const message = nodeLabelDeprecation(k);
    if (message) out.push(`${key(child(specPath, 'nodeSelector'), k)}: ${message}`);
  }
  const node = spec.affinity?.nodeAffinity;
  const required = child(specPath, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms');
  for (const [i, term] of (node?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).entries()) out.push(...termWarnings(term, `${required}[${i}]`));
  const preferred = child(specPath, 'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution');
  for (const [i, term] of (node?.preferredDuringSchedulingIgnoredDuringExecution ?? []).entries()) out.push(...termWarnings(term.preference, `${preferred}[${i}].preference`));
  for (const [i, t] of (spec.topologySpreadConstraints ?? []).entries()) {
    const path = `${child(specPath, 'topologySpreadConstraints')}[${i}]`;
    out.push(...labelKeyWarning(`${path}.topologyKey`, t.topologyKey));
    if (!t.labelSelector) out.push(`${path}.labelSelector: ${NULL_SELECTOR}`);
  }
  return out;
}

function volumePluginWarnings(spec: PodSpec, specPath: string): string[] {
  const out: string[] = [];
  for (const [i, v] of (spec.volumes ?? []).entries()) {
    const path = `${child(specPath, 'volumes')}[${i}]`;
    const present = (field: string) => (v as Record<string, unknown>)[field] != null;
    for (const [field, name, message] of DEPRECATED_VOLUMES) if (present(field)) out.push(`${path}.${name}: ${message}`);
    const claim = v.ephemeral?.volumeClaimTemplate;
    if (claim) out.push(...claimSpecWarnings(`${path}.ephemeral.volumeClaimTemplate.spec`, claim.spec));
    for (const [field, name, message] of DEPRECATED_VOLUMES_LATE) if (present(field)) out.push(`${path}.${name}: ${message}`);
  }
  return out;
}

/** Projected configMap / secret / downwardAPI items and cluster trust bundles that reuse a service account token's path. */
function projectedTokenPathWarnings(spec: PodSpec, specPath: string): string[] {
  const volumes = spec.volumes ?? [];
  const tokenPaths = new Set(volumes.flatMap((v) => (v.projected?.sources ?? []).flatMap((s) => (s.serviceAccountToken ? [s.serviceAccountToken.path] : []))));
  if (tokenPaths.size === 0) return [];
  const out: string[] = [];
  const collides = (path: string, itemPath: string) => {
    if (tokenPaths.has(itemPath)) out.push(`${path}: has duplicated path with ServiceAccountToken ${JSON.stringify(itemPath)}`);
  };
  for (const [i, v] of volumes.entries()) {
    const sources = `${child(specPath, 'volumes')}[${i}].projected.sources`;
    for (const s of v.projected?.sources ?? []) {
      for (const [j, item] of (s.configMap?.items ?? []).entries()) collides(`${sources}.configMap[${j}]`, item.path);
      for (const [j, item] of (s.secret?.items ?? []).entries()) collides(`${sources}.secrets[${j}]`, item.path);
      for (const [j, item] of (s.downwardAPI?.items ?? []).entries()) collides(`${sources}.downwardAPI[${j}]`, item.path);
      if (s.clusterTrustBundle) collides(`${sources}.ClusterTrustBundle`, s.clusterTrustBundle.path);
    }
  }
  return out;
}

/** `<path>[i].<field>: duplicate <what> "<value>"` for every repeat of a value after its first. */
function duplicates(values: readonly string[], path: string, field: string, what: string): string[] {
  if (values.length < 2) return [];
  const seen = new Set<string>();
  return values.flatMap((value, i) => {
    if (seen.has(value)) return [`${path}[${i}].${field}: duplicate ${what} ${JSON.stringify(value)}`];
    seen.add(value);
    return [];
  });
}

function listWarnings(spec: PodSpec, specPath: string): string[] {
  const secrets = (spec.imagePullSecrets ?? []).map((s) => s.name ?? '');
  const secretsPath = child(specPath, 'imagePullSecrets');
  return [
    ...duplicates((spec.hostAliases ?? []).map((a) => a.ip), child(specPath, 'hostAliases'), 'ip', 'ip'),
    ...duplicates(secrets, secretsPath, 'name', 'name'),
    ...secrets.flatMap((name, i) => (name === '' ? [`${secretsPath}[${i}].name: invalid empty name ""`] : [])),
    ...fractionalBytes(key(child(specPath, 'overhead'), 'memory'), spec.overhead?.memory),
    ...fractionalBytes(key(child(specPath, 'overhead'), 'ephemeral-storage'), spec.overhead?.['ephemeral-storage']),
  ];
}

type AffinityTerm = { labelSelector?: unknown };

function podAffinityWarnings(spec: PodSpec, specPath: string): string[] {
  const out: string[] = [];
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const affinity = spec.affinity?.[kind];
    if (!affinity) continue;
    const path = child(specPath, `affinity.${kind}`);
    const required: AffinityTerm[] = affinity.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    for (const [i, t] of required.entries()) if (!t.labelSelector) out.push(`${path}.requiredDuringSchedulingIgnoredDuringExecution[${i}].labelSelector: ${NULL_SELECTOR}`);
    for (const [i, t] of (affinity.preferredDuringSchedulingIgnoredDuringExecution ?? []).entries()) {
      if (!t.podAffinityTerm.labelSelector) out.push(`${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm.labelSelector: ${NULL_SELECTOR}`);
    }
  }
  return out;
}

/**
 * Upstream warningsForPodSpecAndMeta. `fieldPath` is the template's path (`spec.template`,
 * `spec.jobTemplate.spec.template`, `template`), or `''` for a Pod itself, whose spec and
 * metadata are at the root; Pods get no AppArmor annotation warning here (upstream emits theirs
 * from its create strategy: applyAppArmorVersionSkew, pod-apparmor-skew.ts). `oldSpec` / `oldMeta` (an update's stored object) are accepted as upstream does but
 * suppress nothing in 1.33. Warnings about map keys come in sorted key order, where Go's map
 * order varies.
 */
export function podSpecWarnings(fieldPath: string, spec: PodSpec, meta: PodMeta, _oldSpec?: PodSpec, _oldMeta?: PodMeta): string[] {
  const specPath = child(fieldPath, 'spec');
  const annotationsPath = child(fieldPath, 'metadata.annotations');
  const annotations = meta.annotations ?? {};
  const out = schedulingWarnings(spec, specPath);
  for (const a of DEPRECATED_ANNOTATIONS) if (Object.hasOwn(annotations, a.key)) out.push(`${key(annotationsPath, a.key)}: ${a.message}`);
  out.push(...volumePluginWarnings(spec, specPath), ...projectedTokenPathWarnings(spec, specPath), ...listWarnings(spec, specPath));
  if (!spec.securityContext?.seccompProfile && Object.hasOwn(annotations, SECCOMP_POD_ANNOTATION)) {
    out.push(`${key(annotationsPath, SECCOMP_POD_ANNOTATION)}: non-functional in v1.27+; use the "seccompProfile" field instead`);
  }
  const containers = containersWithPaths(spec, specPath);
  out.push(...containerWarnings(containers, { annotationsPath, annotations, isTemplate: fieldPath !== '', podAppArmor: !!spec.securityContext?.appArmorProfile }));
  out.push(...portWarnings(containers));
  if ((spec.terminationGracePeriodSeconds ?? 0) < 0) out.push(`${child(specPath, 'terminationGracePeriodSeconds')}: must be >= 0; negative values are invalid and will be treated as 1`);
  out.push(...podAffinityWarnings(spec, specPath));
  return out;
}

/** Upstream GetWarningsForPodTemplate: a template's warnings under `path` (none for an absent template). */
export function podTemplateWarnings(path: string, template: PodTemplateSpec | undefined, old?: PodTemplateSpec): string[] {
  if (!template) return [];
  return podSpecWarnings(path, template.spec ?? {}, template.metadata ?? {}, old?.spec, old?.metadata ?? undefined);
}
