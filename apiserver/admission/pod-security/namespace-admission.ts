/**
 * PodSecurity on namespace writes, as upstream's ValidateNamespace, with each policy resolved over
 * the configured defaults: invalid pod-security labels are 422 on create, and on update when the
 * errors differ from the old object's; an exempt namespace whose labels set a policy other than
 * privileged or the defaults gets a warning; an update that tightens the enforce policy (a new
 * level that is not privileged, and not the same version relaxed) warns about the existing pods
 * that fail it.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { invalid } from '../../../pkg/errors/index.ts';
import type { AdmissionAttributes, AdmissionContext } from '../types.ts';
import type { PodSecurityConfig } from './configuration.ts';
import { exemptNamespaceWarning, exemptRuntimeClass } from './exemptions.ts';
import { existingPodWarnings, type ExistingPod } from './existing-pods.ts';
import { compareLevels, policyToEvaluate } from './namespace-labels.ts';

const PODS = { group: '', plural: 'pods', namespaced: true } as const;

/** Namespace create/update (no subresource). */
export async function validateNamespace(ctx: AdmissionContext, config: PodSecurityConfig, attrs: AdmissionAttributes): Promise<void> {
  const labels = (attrs.object as KubeObject).metadata.labels;
  const name = attrs.name;
  const { policy, errors } = policyToEvaluate(labels, config.defaults);
  const refuse = () => {
    throw invalid({ group: '', kind: 'Namespace', name, errors });
  };
  const exempt = config.exemptions.namespaces.has(name);
  const warnExempt = () => {
    const warning = exempt ? exemptNamespaceWarning(name, policy, labels, config.defaults) : undefined;
    if (warning) attrs.warnings?.push(warning);
  };
  if (attrs.operation === 'CREATE') {
    if (errors.length) refuse();
    return warnExempt();
  }
  const old = policyToEvaluate(attrs.oldObject?.metadata.labels, config.defaults);
  const text = (list: typeof errors) => JSON.stringify(list.map((e) => [e.field, e.detail]));
  if (errors.length && (!old.errors.length || text(errors) !== text(old.errors))) refuse();
  const enforce = policy.enforce;
  if (enforce.level === old.policy.enforce.level && enforce.version === old.policy.enforce.version) return;
  if (enforce.level === 'privileged') return;
  if (enforce.version === old.policy.enforce.version && compareLevels(enforce.level, old.policy.enforce.level) < 1) return;
  if (exempt) return warnExempt();
  if (!attrs.warnings) return;
  const pods = (await ctx.storage.list(ctx.keyFor(PODS, name, ''))).items as unknown as ExistingPod[];
  attrs.warnings.push(...existingPodWarnings({ namespace: name, enforce, pods, exempt: (pod) => exemptRuntimeClass(config, pod.spec?.runtimeClassName) }));
}
