/**
 * Admission plugin `PodSecurity` (upstream's built-in pod-security-admission). Each namespace's
 * policy is its `pod-security.kubernetes.io/<mode>[-version]` labels over the configured defaults
 * (`PodSecurityConfiguration.defaults`, default privileged:latest; see namespace-labels.ts).
 * Enforce: pods failing the enforce level are refused with 403 `pods "p" is forbidden: violates
 * PodSecurity "restricted:latest": …`. Pod updates are checked again only when they change images
 * or the number of containers, as upstream; of the subresources only `pods/ephemeralcontainers` is
 * checked (upstream ignores exec, attach, binding, eviction, log, portforward, proxy and status).
 * Warn: a pod that passes enforce but fails the warn level, and a workload (Deployment,
 * ReplicaSet, DaemonSet, StatefulSet, Job, CronJob) whose pod template fails it (created or its
 * template changed), get `Warning: would violate PodSecurity "…": …`; workloads are never refused.
 * Exemptions (namespaces, usernames, runtimeClasses) admit unchecked, recording upstream's audit
 * annotation `pod-security.kubernetes.io/exempt` (runtime classes: pods only).
 * Audit: the request's audit record gets `pod-security.kubernetes.io/enforce-policy` (the
 * enforce level:version a pod was checked against; `privileged:latest` for a fully privileged
 * namespace) and `pod-security.kubernetes.io/audit-violations` (`would violate PodSecurity
 * "<audit level:version>": …`) for pods — refused ones too — and workload templates failing the
 * namespace's audit level.
 * Namespaces: invalid labels are 422 when new or changed; a namespace that has one anyway
 * enforces `restricted` (upstream fails closed); tightening enforce warns about existing pods that
 * fail it; labelling an exempt namespace warns that its policy is ignored. Every version is
 * evaluated as `latest` (1.33's).
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { PodSpec } from '../../../pkg/api/core/v1/pod-spec.ts';
import { forbidden } from '../../../pkg/errors/index.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from '../types.ts';
import { createNamespaceReader, type NamespaceReader } from '../namespace-reader.ts';
import { defaultPodSecurityConfig, type PodSecurityConfig } from './configuration.ts';
import { EXEMPT_ANNOTATION, exemptRuntimeClass, requestExemption, type ExemptionReason } from './exemptions.ts';
import { fullyPrivileged, LABEL_PREFIX, levelVersionText, podSecurityWarning, policyToEvaluate, type PodSecurityPolicy } from './namespace-labels.ts';
import { validateNamespace } from './namespace-admission.ts';
import { evaluatePodSecurity, forbiddenDetail } from './policy.ts';

export const POD_SECURITY_PLUGIN = 'PodSecurity';

/** The audit annotation naming the enforce policy a pod was checked against. */
export const ENFORCE_POLICY_ANNOTATION = `${LABEL_PREFIX}enforce-policy`;
/** The audit annotation holding a pod's (or template's) violations of the namespace's audit level. */
export const AUDIT_VIOLATIONS_ANNOTATION = `${LABEL_PREFIX}audit-violations`;
const PRIVILEGED_LATEST = 'privileged:latest';

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
  /** Defaults and exemptions (`--admission-control-config-file`; default: privileged, none). */
  config?: PodSecurityConfig;
  /** Where exemptions are also noted, at debug level. */
  log?: Logger;
}

export function createPodSecurityPlugin(ctx: AdmissionContext, options: PodSecurityOptions = {}): AdmissionPlugin {
  const namespaces = options.namespaces ?? createNamespaceReader(ctx);
  const config = options.config ?? defaultPodSecurityConfig();
  const namespacePolicy = async (name: string) => policyToEvaluate((await namespaces.get(name))?.metadata.labels, config.defaults);
  return {
    name: POD_SECURITY_PLUGIN,
    validate(attrs: AdmissionAttributes) {
      if (!['', 'apps', 'batch'].includes(attrs.info.group) || !attrs.object || (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE')) return;
      if (attrs.info.plural === 'namespaces') return attrs.subresource ? undefined : validateNamespace(ctx, config, attrs);
      if (!attrs.namespace || (attrs.subresource && !isEvaluatedPodSubresource(attrs))) return;
      const isPod = attrs.info.plural === 'pods';
      const template = isPod ? undefined : workloadTemplate(attrs.info.plural, attrs.object);
      if (!isPod && !template) return;
      const exemption = requestExemption(config, { namespace: attrs.namespace, username: attrs.user?.username });
      if (exemption) return exempt(attrs, exemption);
      return isPod ? validatePod(attrs, attrs.namespace) : warnWorkload(attrs, attrs.namespace, template as PodSpec);
    },
  };

  function exempt(attrs: AdmissionAttributes, reason: ExemptionReason): void {
    attrs.audit?.add(EXEMPT_ANNOTATION, reason);
    options.log?.debug({ [EXEMPT_ANNOTATION]: reason, resource: attrs.info.plural, namespace: attrs.namespace, name: attrs.name }, 'audit annotation');
  }

  /** Workloads are only warned about (upstream never enforces on their templates). */
  async function warnWorkload(attrs: AdmissionAttributes, namespace: string, template: PodSpec): Promise<void> {
    const { policy, errors } = await namespacePolicy(namespace);
    if (!errors.length && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return;
    if (attrs.operation === 'UPDATE' && JSON.stringify(template) === JSON.stringify(workloadTemplate(attrs.info.plural, attrs.oldObject))) return;
    // Upstream records the runtime-class exemption only where it enforces (pods).
    if (exemptRuntimeClass(config, template.runtimeClassName)) return void options.log?.debug({ [EXEMPT_ANNOTATION]: 'runtimeClass', resource: attrs.info.plural, namespace: attrs.namespace, name: attrs.name }, 'audit annotation');
    recordAuditViolations(attrs, policy, template);
    const warning = podSecurityWarning(policy.warn, template);
    if (warning) attrs.warnings?.push(warning);
  }

  /** Upstream's `audit-violations` annotation, when the request is audited and the spec fails the audit level. */
  function recordAuditViolations(attrs: AdmissionAttributes, policy: PodSecurityPolicy, spec: PodSpec): void {
    if (!attrs.audit || policy.audit.level === 'privileged') return;
    const violation = podSecurityWarning(policy.audit, spec);
    if (violation) attrs.audit.add(AUDIT_VIOLATIONS_ANNOTATION, violation);
  }

  async function validatePod(attrs: AdmissionAttributes, namespace: string): Promise<void> {
    const { policy, errors } = await namespacePolicy(namespace);
    if (!errors.length && fullyPrivileged(policy)) return void attrs.audit?.add(ENFORCE_POLICY_ANNOTATION, PRIVILEGED_LATEST);
    const spec = (attrs.object?.spec ?? {}) as PodSpec;
    if (attrs.operation === 'UPDATE' && imagesOf(spec) === imagesOf(attrs.oldObject?.spec as PodSpec | undefined)) return;
    if (exemptRuntimeClass(config, spec.runtimeClassName)) return exempt(attrs, 'runtimeClass');
    attrs.audit?.add(ENFORCE_POLICY_ANNOTATION, levelVersionText(policy.enforce));
    recordAuditViolations(attrs, policy, spec);
    const failures = evaluatePodSecurity(policy.enforce.level, spec);
    if (failures.length) throw forbidden({ group: '', resource: 'pods' }, attrs.name, `violates PodSecurity "${levelVersionText(policy.enforce)}": ${forbiddenDetail(failures)}`);
    const warning = podSecurityWarning(policy.warn, spec);
    if (warning) attrs.warnings?.push(warning);
  }
}
