/**
 * Admission plugin `PodSecurity` (upstream's built-in pod-security-admission), enforce mode: a
 * namespace labelled `pod-security.kubernetes.io/enforce: baseline|restricted` (optionally
 * `enforce-version: latest|v1.x`) refuses pods that fail that level of the Pod Security
 * Standards with 403 `pods "p" is forbidden: violates PodSecurity "restricted:latest": …`.
 * Unlabelled namespaces are `privileged` (nothing checked). Pod updates are checked again only
 * when they change images or the number of containers, as upstream; of the subresources only
 * `pods/ephemeralcontainers` is checked (upstream ignores exec, attach, binding, eviction, log,
 * portforward, proxy and status, and evaluates any other pod subresource).
 * Namespace labels with invalid values are refused (422) when they are new; a namespace that
 * has one anyway enforces `restricted` (upstream fails closed). Every version is evaluated as
 * `latest` (1.33's). Warn mode (`warn` label, else the enforce level): a pod that passes
 * enforce but fails the warned level, and a Deployment, ReplicaSet or StatefulSet whose pod template fails it
 * (created or its template changed), get a `Warning: would violate PodSecurity "…": …` header;
 * workloads are never refused, as upstream. Not done: `audit` mode, exemptions.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { PodSpec } from '../../../pkg/api/core/v1/pod-spec.ts';
import { forbidden, invalid } from '../../../pkg/errors/index.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from '../types.ts';
import { createNamespaceReader, type NamespaceReader } from '../namespace-reader.ts';
import { enforcedPolicy, podSecurityLabelErrors, podSecurityWarning } from './namespace-labels.ts';
import { evaluatePodSecurity, forbiddenDetail } from './policy.ts';

export const POD_SECURITY_PLUGIN = 'PodSecurity';

/** Workload resources whose pod template is warned about (upstream checks every pod-template kind it serves). */
const WORKLOADS = new Set(['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs']);

/** The pod template of a workload this server serves (a CronJob's inside its job template), else undefined. Pure. */
function workloadTemplate(plural: string, object: KubeObject | undefined): PodSpec | undefined {
  type WithTemplate = { template?: { spec?: PodSpec } };
  const spec = object?.spec as (WithTemplate & { jobTemplate?: { spec?: WithTemplate } }) | undefined;
  if (plural === 'cronjobs') return spec?.jobTemplate?.spec?.template?.spec ?? undefined;
  if (!WORKLOADS.has(plural)) return undefined;
  return spec?.template?.spec ?? undefined;
}

/** What upstream re-checks on a pod update: the container counts and every image. Pure. */
function imagesOf(spec: PodSpec | undefined): string {
  const images = (list: ReadonlyArray<{ image?: string }> | undefined) => (list ?? []).map((c) => c.image ?? '');
  return JSON.stringify([images(spec?.initContainers), images(spec?.containers), images(spec?.ephemeralContainers as Array<{ image?: string }> | undefined)]);
}

/** The pod subresource that changes the spec this server serves (upstream evaluates every pod subresource it does not ignore). */
function isEvaluatedPodSubresource(attrs: AdmissionAttributes): boolean {
  return attrs.info.group === '' && attrs.info.plural === 'pods' && attrs.subresource === 'ephemeralcontainers';
}

/** Options of {@link createPodSecurityPlugin}. */
export interface PodSecurityOptions {
  /** The namespace reader to share (default: one of its own; the NamespaceLifecycle plugin that shares it evicts namespaces it sees written). */
  namespaces?: NamespaceReader;
}

export function createPodSecurityPlugin(ctx: AdmissionContext, options: PodSecurityOptions = {}): AdmissionPlugin {
  const namespaces = options.namespaces ?? createNamespaceReader(ctx);
  const namespaceLabels = async (name: string) => (await namespaces.get(name))?.metadata.labels;
  return {
    name: POD_SECURITY_PLUGIN,
    validate(attrs: AdmissionAttributes) {
      if (!['', 'apps', 'batch'].includes(attrs.info.group) || (attrs.subresource && !isEvaluatedPodSubresource(attrs)) || !attrs.object || (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE')) return;
      if (attrs.info.plural === 'namespaces') return validateNamespace(attrs);
      if (!attrs.namespace) return;
      if (attrs.info.plural === 'pods') {
        if (attrs.operation === 'UPDATE' && imagesOf(attrs.object.spec as PodSpec) === imagesOf(attrs.oldObject?.spec as PodSpec | undefined)) return;
        return enforce(attrs, attrs.namespace);
      }
      const template = workloadTemplate(attrs.info.plural, attrs.object);
      if (!template || (attrs.operation === 'UPDATE' && JSON.stringify(template) === JSON.stringify(workloadTemplate(attrs.info.plural, attrs.oldObject)))) return;
      return warnWorkload(attrs, attrs.namespace, template);
    },
  };

  /** Workloads are only warned about (upstream never enforces on their templates). */
  async function warnWorkload(attrs: AdmissionAttributes, namespace: string, template: PodSpec): Promise<void> {
    const warning = podSecurityWarning(await namespaceLabels(namespace), template);
    if (warning) attrs.warnings?.push(warning);
  }

  async function enforce(attrs: AdmissionAttributes, namespace: string): Promise<void> {
    const labels = await namespaceLabels(namespace);
    const spec = (attrs.object?.spec ?? {}) as PodSpec;
    const { level, version } = enforcedPolicy(labels);
    const failures = evaluatePodSecurity(level, spec);
    if (failures.length) throw forbidden({ group: '', resource: 'pods' }, attrs.name, `violates PodSecurity "${level}:${version}": ${forbiddenDetail(failures)}`);
    const warning = podSecurityWarning(labels, spec);
    if (warning) attrs.warnings?.push(warning);
  }
}

/** Namespace create/update: invalid pod-security labels are refused when they are new or changed. */
function validateNamespace(attrs: AdmissionAttributes): void {
  const errors = podSecurityLabelErrors((attrs.object as KubeObject).metadata.labels);
  if (!errors.length) return;
  const before = new Set(podSecurityLabelErrors(attrs.oldObject?.metadata.labels).map((e) => `${e.field}:${e.detail}`));
  if (errors.every((e) => before.has(`${e.field}:${e.detail}`))) return;
  throw invalid({ group: '', kind: 'Namespace', name: attrs.name, errors });
}
