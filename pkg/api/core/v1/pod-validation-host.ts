/**
 * The parts of a PodSpec that reach the node's kernel and files (upstream validation.go): pod and
 * container security contexts (user and group IDs, privilege escalation, seccomp, AppArmor, sysctls),
 * host-network ports, DNS config and host aliases, lifecycle hooks and container restart
 * policies. Field paths and messages as upstream's.
 */
import type { FieldError } from '../../../errors/index.ts';
import { invalidStringSlice } from '../../validation/common-rules.ts';
import { child, duplicate, forbidden, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateIP } from '../../validation/ip.ts';
import { isDNS1123Subdomain } from '../../validation/names.ts';
import type { Container } from './pod-container.ts';
import type { PodSpec } from './pod-spec.ts';
import { validateLocalDescendingPath } from './pod-validation-volumes.ts';
import { validateAppArmorProfileField } from './pod-apparmor.ts';

type SecurityContext = NonNullable<Container['securityContext']>;
type PodSecurityContext = NonNullable<PodSpec['securityContext']>;
type Seccomp = NonNullable<SecurityContext['seccompProfile']>;
type LifecycleHandler = NonNullable<NonNullable<Container['lifecycle']>['postStart']>;

const ID_RANGE = 'must be between 0 and 2147483647, inclusive';
const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const SYSCTL_FORMAT = '([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_NAME = new RegExp(`^${SYSCTL_FORMAT}$`);
/** Upstream MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars. */
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;

/** IsValidUserID / IsValidGroupID for each of `fields` that is set. */
function ids(sc: object, path: string, fields: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of fields) {
    const id = (sc as Record<string, unknown>)[f];
    if (typeof id === 'number' && (id < 0 || id > 2147483647)) errs.push(invalidValue(child(path, f), id, ID_RANGE));
  }
  return errs;
}

/** validateSeccompProfileField. */
function validateSeccomp(profile: Seccomp | undefined, path: string): FieldError[] {
  if (!profile) return [];
  const errs: FieldError[] = [];
  if (!profile.type) errs.push(required(child(path, 'type'), 'type is required when seccompProfile is set'));
  else if (!SECCOMP_TYPES.includes(profile.type)) errs.push(notSupported(child(path, 'type'), profile.type, SECCOMP_TYPES));
  if (profile.type === 'Localhost') {
    if (profile.localhostProfile === undefined) errs.push(required(child(path, 'localhostProfile'), 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(profile.localhostProfile, child(path, 'localhostProfile')));
  } else if (profile.localhostProfile !== undefined) {
    errs.push(invalidValue(child(path, 'localhostProfile'), profile, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

/** ValidateSecurityContext of one container (`path` = its securityContext). */
export function validateContainerSecurityContext(sc: SecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const errs = [...ids(sc, path, ['runAsUser', 'runAsGroup']), ...validateSeccomp(sc.seccompProfile, child(path, 'seccompProfile'))];
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged) errs.push(invalidValue(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if (sc.capabilities?.add?.includes('CAP_SYS_ADMIN')) errs.push(invalidValue(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
  }
  return [...errs, ...validateAppArmorProfileField(sc.appArmorProfile, child(path, 'appArmorProfile'))];
}

/** validatePodSpecSecurityContext's checks of the pod's own securityContext. */
function validatePodSecurityContext(sc: PodSecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const errs = [...ids(sc, path, ['runAsUser', 'runAsGroup', 'fsGroup']), ...validateSeccomp(sc.seccompProfile, child(path, 'seccompProfile'))];
  for (const [i, g] of (sc.supplementalGroups ?? []).entries()) {
    if (g < 0 || g > 2147483647) errs.push(invalidValue(index(child(path, 'supplementalGroups'), i), g, ID_RANGE));
  }
  const names = new Set<string>();
  for (const [i, s] of (sc.sysctls ?? []).entries()) {
    const np = child(index(child(path, 'sysctls'), i), 'name');
    if (!s.name) errs.push(required(np));
    else if (s.name.length > 253 || !SYSCTL_NAME.test(s.name)) errs.push(invalidValue(np, s.name, `must have at most 253 characters and match regex ${SYSCTL_FORMAT}`));
    else if (names.has(s.name)) errs.push(duplicate(np, s.name));
    names.add(s.name);
  }
  return [...errs, ...validateAppArmorProfileField(sc.appArmorProfile, child(path, 'appArmorProfile'))];
}

/** validatePodDNSConfig (`path` = spec.dnsConfig). */
function validateDnsConfig(spec: PodSpec, path: string): FieldError[] {
  const config = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!config) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!config.nameservers?.length) return [required(child(path, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!config) return [];
  const errs: FieldError[] = [];
  const nameservers = config.nameservers ?? [];
  const searches = config.searches ?? [];
  if (nameservers.length > MAX_NAMESERVERS) errs.push(invalidStringSlice(child(path, 'nameservers'), nameservers, `must not have more than ${MAX_NAMESERVERS} nameservers`));
  for (const [i, ns] of nameservers.entries()) errs.push(...validateIP(index(child(path, 'nameservers'), i), ns));
  if (searches.length > MAX_SEARCHES) errs.push(invalidStringSlice(child(path, 'searches'), searches, `must not have more than ${MAX_SEARCHES} search paths`));
  if (searches.join(' ').length > MAX_SEARCH_CHARS) errs.push(invalidStringSlice(child(path, 'searches'), searches, `must not have more than ${MAX_SEARCH_CHARS} characters (including spaces) in the search list`));
  for (const [i, search] of searches.entries()) {
    const name = search.endsWith('.') ? search.slice(0, -1) : search;
    for (const msg of isDNS1123Subdomain(name)) errs.push(invalidValue(index(child(path, 'searches'), i), name, msg));
  }
  for (const [i, option] of (config.options ?? []).entries()) if (!option.name) errs.push(required(index(child(path, 'options'), i), 'must not be empty'));
  return errs;
}

/** validateHostAliases (`path` = spec.hostAliases). */
function validateHostAliases(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, alias] of (spec.hostAliases ?? []).entries()) {
    errs.push(...validateIP(child(index(path, i), 'ip'), alias.ip));
    for (const [j, host] of (alias.hostnames ?? []).entries()) {
      for (const msg of isDNS1123Subdomain(host)) errs.push(invalidValue(index(child(index(path, i), 'hostnames'), j), host, msg));
    }
  }
  return errs;
}

/** validateHostNetwork: with the host's network a container port is the host port. */
function validateHostNetworkPorts(spec: PodSpec, path: string): FieldError[] {
  if (!spec.hostNetwork) return [];
  const errs: FieldError[] = [];
  for (const [i, c] of (spec.containers ?? []).entries()) {
    for (const [j, p] of (c.ports ?? []).entries()) {
      if (p.hostPort !== p.containerPort) errs.push(invalidValue(child(index(child(index(child(path, 'containers'), i), 'ports'), j), 'containerPort'), p.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
    }
  }
  return errs;
}

/** The pod-level checks of this module (`path` = spec). */
export function validatePodHostFields(spec: PodSpec, path: string): FieldError[] {
  return [
    ...validatePodSecurityContext(spec.securityContext, child(path, 'securityContext')),
    ...validateHostNetworkPorts(spec, path),
    ...validateDnsConfig(spec, child(path, 'dnsConfig')),
    ...validateHostAliases(spec, child(path, 'hostAliases')),
  ];
}

/** Upstream validateHandler's count of a probe's or hook's handler `kinds`: exactly one may be set. */
export function handlerKindErrors(handler: object, kinds: readonly string[], path: string): FieldError[] {
  const set = kinds.filter((k) => (handler as Record<string, unknown>)[k] !== undefined);
  if (set.length === 0) return [required(path, 'must specify a handler type')];
  return set.length > 1 ? [forbidden(child(path, set[1]!), 'may not specify more than 1 handler type')] : [];
}

/** A lifecycle hook: exec, httpGet, tcpSocket or sleep. */
function validateLifecycleHandler(handler: LifecycleHandler | undefined, path: string): FieldError[] {
  return handler ? handlerKindErrors(handler, ['exec', 'httpGet', 'tcpSocket', 'sleep'], path) : [];
}

/** A container's hooks, security context and restart policy (`init`: an init container, which may be a sidecar). */
export function validateContainerHostFields(c: Container, path: string, init: boolean): FieldError[] {
  const errs = [
    ...validateLifecycleHandler(c.lifecycle?.postStart, child(path, 'lifecycle.postStart')),
    ...validateLifecycleHandler(c.lifecycle?.preStop, child(path, 'lifecycle.preStop')),
    ...validateContainerSecurityContext(c.securityContext, child(path, 'securityContext')),
  ];
  if (c.restartPolicy !== undefined) {
    if (!init) errs.push(forbidden(child(path, 'restartPolicy'), 'may not be set for non-init containers'));
    else if (c.restartPolicy !== 'Always') errs.push(notSupported(child(path, 'restartPolicy'), c.restartPolicy, ['Always']));
  }
  return errs;
}
