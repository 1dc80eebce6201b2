/**
 * PodSecurity exemptions as upstream applies them: a request in an exempt namespace, by an exempt
 * user, or (checked after the namespace's policy) for a pod spec naming an exempt runtime class is
 * admitted without evaluation and records the audit annotation
 * `pod-security.kubernetes.io/exempt: namespace|user|runtimeClass`. Labelling an exempt namespace
 * with a policy other than privileged or the defaults gets a warning that it is ignored. Pure.
 */
import type { PodSecurityConfig } from './configuration.ts';
import { equivalentLevelVersion, fullyPrivileged, LABEL_PREFIX, levelVersionText, POD_SECURITY_MODES, type PodSecurityPolicy } from './namespace-labels.ts';

/** Why a request was exempt (the value of the `exempt` audit annotation). */
export type ExemptionReason = 'namespace' | 'user' | 'runtimeClass';

/** The audit annotation key upstream records for an exemption. */
export const EXEMPT_ANNOTATION = `${LABEL_PREFIX}exempt`;

/** The request's exemption by namespace, then user (upstream's order), else undefined. */
export function requestExemption(config: PodSecurityConfig, request: { namespace?: string; username?: string }): ExemptionReason | undefined {
  if (request.namespace && config.exemptions.namespaces.has(request.namespace)) return 'namespace';
  if (request.username && config.exemptions.usernames.has(request.username)) return 'user';
  return undefined;
}

/** Whether a pod spec's runtime class is exempt. */
export function exemptRuntimeClass(config: PodSecurityConfig, runtimeClassName: string | null | undefined): boolean {
  return Boolean(runtimeClassName) && config.exemptions.runtimeClasses.has(runtimeClassName as string);
}

/**
 * Upstream's warning for pod-security labels on an exempt namespace: the non-privileged modes the
 * labels set, unless the policy is fully privileged or equivalent to the defaults; else undefined.
 */
export function exemptNamespaceWarning(namespace: string, policy: PodSecurityPolicy, labels: Readonly<Record<string, string>> | undefined, defaults: PodSecurityPolicy): string | undefined {
  if (fullyPrivileged(policy) || POD_SECURITY_MODES.every((mode) => equivalentLevelVersion(policy[mode], defaults[mode]))) return undefined;
  const has = (mode: string) => labels?.[`${LABEL_PREFIX}${mode}`] !== undefined || labels?.[`${LABEL_PREFIX}${mode}-version`] !== undefined;
  const set = POD_SECURITY_MODES.filter((mode) => policy[mode].level !== 'privileged' && has(mode)).map((mode) => `${mode}=${levelVersionText(policy[mode])}`);
  return `namespace "${namespace}" is exempt from Pod Security, and the policy (${set.join(', ')}) will be ignored`;
}
