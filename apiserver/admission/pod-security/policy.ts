/**
 * The Pod Security Standards as upstream's pod-security-admission evaluates them for `latest`
 * (Kubernetes 1.33: policy version 1.32, restricted volumes also allowing `image`): the
 * baseline checks, and for restricted the restricted ones, three of which replace their
 * baseline counterparts. Each failing check gives upstream's reason and detail text, in
 * upstream's check order. Pure.
 */
import { allPodContainers, type PodSpec } from '../../../pkg/api/core/v1/pod-spec.ts';
import type { Container } from '../../../pkg/api/core/v1/pod-container.ts';

export const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** One failed check. */
export interface PodSecurityFailure {
  reason: string;
  detail: string;
}

type Check = (spec: PodSpec) => PodSecurityFailure | undefined;

const joinQuote = (items: readonly string[]) => (items.length === 0 ? '' : `"${items.join('", "')}"`);
const pluralize = (singular: string, plural: string, count: number) => (count === 1 ? singular : plural);
const containersNamed = (names: readonly string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
const sorted = (items: Iterable<string>) => [...new Set(items)].sort();

/** Names of the containers for which `bad` holds. */
function named(spec: PodSpec, bad: (c: Container) => boolean): string[] {
  return allPodContainers(spec).filter(bad).map((c) => c.name ?? '');
}

/** `pod`, `container "a"`, … joined with " and " (upstream's setter lists). */
function setters(pod: boolean, containers: readonly string[]): string {
  return [...(pod ? ['pod'] : []), ...(containers.length ? [containersNamed(containers)] : [])].join(' and ');
}

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image']);
const KNOWN_VOLUME_TYPES = new Set(['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos']);
const isWindows = (spec: PodSpec) => (spec as { os?: { name?: string } }).os?.name === 'windows';

const appArmorProfile: Check = (spec) => {
  const allowed = (type: string | undefined) => type === undefined || type === 'RuntimeDefault' || type === 'Localhost';
  const podType = spec.securityContext?.appArmorProfile?.type;
  const bad = new Set<string>();
  if (!allowed(podType)) bad.add(podType as string);
  const containers = named(spec, (c) => {
    const type = c.securityContext?.appArmorProfile?.type;
    if (allowed(type)) return false;
    bad.add(type as string);
    return true;
  });
  if (!bad.size) return undefined;
  const values = sorted(bad);
  return { reason: values.length === 1 ? 'forbidden AppArmor profile' : 'forbidden AppArmor profiles', detail: `${setters(!allowed(podType), containers)} must not set AppArmor profile type to ${joinQuote(values)}` };
};

const capabilitiesBaseline: Check = (spec) => {
  const bad = new Set<string>();
  const containers = named(spec, (c) => {
    const extra = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    extra.forEach((cap) => bad.add(cap));
    return extra.length > 0;
  });
  return containers.length ? { reason: 'non-default capabilities', detail: `${containersNamed(containers)} must not include ${joinQuote(sorted(bad))} in securityContext.capabilities.add` } : undefined;
};

const hostNamespaces: Check = (spec) => {
  const set = [spec.hostNetwork && 'hostNetwork=true', spec.hostPID && 'hostPID=true', spec.hostIPC && 'hostIPC=true'].filter(Boolean) as string[];
  return set.length ? { reason: 'host namespaces', detail: set.join(', ') } : undefined;
};

const hostPathVolumes: Check = (spec) => {
  const names = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
  return names.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}` } : undefined;
};

const hostPorts: Check = (spec) => {
  const ports = new Set<string>();
  const containers = named(spec, (c) => {
    const used = (c.ports ?? []).filter((p) => p.hostPort).map((p) => String(p.hostPort));
    used.forEach((p) => ports.add(p));
    return used.length > 0;
  });
  if (!containers.length) return undefined;
  const list = sorted(ports);
  return { reason: 'hostPort', detail: `${containersNamed(containers)} ${pluralize('uses', 'use', containers.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}` };
};

const privileged: Check = (spec) => {
  const containers = named(spec, (c) => c.securityContext?.privileged === true);
  return containers.length ? { reason: 'privileged', detail: `${containersNamed(containers)} must not set securityContext.privileged=true` } : undefined;
};

const procMount: Check = (spec) => {
  const values = new Set<string>();
  const containers = named(spec, (c) => {
    const mount = c.securityContext?.procMount;
    if (mount === undefined || mount === 'Default') return false;
    values.add(mount);
    return true;
  });
  return containers.length ? { reason: 'procMount', detail: `${containersNamed(containers)} must not set securityContext.procMount to ${joinQuote(sorted(values))}` } : undefined;
};

const seLinuxOptions: Check = (spec) => {
  const types = new Set<string>();
  let user = false;
  let role = false;
  const bad = (options: { type?: string; user?: string; role?: string } | undefined) => {
    if (!options) return false;
    const badType = !SELINUX_TYPES.has(options.type ?? '');
    if (badType) types.add(options.type as string);
    if (options.user) user = true;
    if (options.role) role = true;
    return badType || Boolean(options.user) || Boolean(options.role);
  };
  const pod = bad(spec.securityContext?.seLinuxOptions);
  const containers = named(spec, (c) => bad(c.securityContext?.seLinuxOptions));
  if (!pod && !containers.length) return undefined;
  const list = sorted(types);
  const parts = [...(list.length ? [`${pluralize('type', 'types', list.length)} ${joinQuote(list)}`] : []), ...(user ? ['user may not be set'] : []), ...(role ? ['role may not be set'] : [])];
  return { reason: 'seLinuxOptions', detail: `${setters(pod, containers)} set forbidden securityContext.seLinuxOptions: ${parts.join('; ')}` };
};

/** Pod and containers whose seccomp type is set to something other than RuntimeDefault/Localhost. */
function badSeccomp(spec: PodSpec): { pod: boolean; containers: string[]; values: string[] } {
  const values = new Set<string>();
  const bad = (type: string | undefined) => {
    if (type === undefined || type === 'RuntimeDefault' || type === 'Localhost') return false;
    values.add(type);
    return true;
  };
  const pod = bad(spec.securityContext?.seccompProfile?.type);
  const containers = named(spec, (c) => bad(c.securityContext?.seccompProfile?.type));
  return { pod, containers, values: sorted(values) };
}

const seccompBaseline: Check = (spec) => {
  const { pod, containers, values } = badSeccomp(spec);
  return pod || containers.length ? { reason: 'seccompProfile', detail: `${setters(pod, containers)} must not set securityContext.seccompProfile.type to ${joinQuote(values)}` } : undefined;
};

const sysctls: Check = (spec) => {
  const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !SAFE_SYSCTLS.has(n));
  return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
};

const windowsHostProcess: Check = (spec) => {
  const pod = spec.securityContext?.windowsOptions?.hostProcess === true;
  const containers = named(spec, (c) => c.securityContext?.windowsOptions?.hostProcess === true);
  return pod || containers.length ? { reason: 'hostProcess', detail: `${setters(pod, containers)} must not set securityContext.windowsOptions.hostProcess=true` } : undefined;
};

const allowPrivilegeEscalation: Check = (spec) => {
  if (isWindows(spec)) return undefined;
  const containers = named(spec, (c) => c.securityContext?.allowPrivilegeEscalation !== false);
  return containers.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containersNamed(containers)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
};

const capabilitiesRestricted: Check = (spec) => {
  if (isWindows(spec)) return undefined;
  const added = new Set<string>();
  const missingDrop: string[] = [];
  const badAdd: string[] = [];
  for (const c of allPodContainers(spec)) {
    const caps = c.securityContext?.capabilities;
    if (!caps) {
      missingDrop.push(c.name ?? '');
      continue;
    }
    if (!(caps.drop ?? []).includes('ALL')) missingDrop.push(c.name ?? '');
    const extra = (caps.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    extra.forEach((cap) => added.add(cap));
    if (extra.length) badAdd.push(c.name ?? '');
  }
  const parts = [
    ...(missingDrop.length ? [`${containersNamed(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`] : []),
    ...(badAdd.length ? [`${containersNamed(badAdd)} must not include ${joinQuote(sorted(added))} in securityContext.capabilities.add`] : []),
  ];
  return parts.length ? { reason: 'unrestricted capabilities', detail: parts.join('; ') } : undefined;
};

const restrictedVolumes: Check = (spec) => {
  const types = new Set<string>();
  const names: string[] = [];
  for (const v of spec.volumes ?? []) {
    const source = Object.keys(v).find((k) => k !== 'name' && (v as Record<string, unknown>)[k] !== undefined);
    if (source && RESTRICTED_VOLUMES.has(source)) continue;
    types.add(source && KNOWN_VOLUME_TYPES.has(source) ? source : 'unknown');
    names.push(v.name);
  }
  if (!names.length) return undefined;
  const list = sorted(types);
  return { reason: 'restricted volume types', detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}` };
};

const runAsNonRoot: Check = (spec) => {
  const podValue = spec.securityContext?.runAsNonRoot;
  const explicitFalse = named(spec, (c) => c.securityContext?.runAsNonRoot === false);
  if (podValue === false || explicitFalse.length) return { reason: 'runAsNonRoot != true', detail: `${setters(podValue === false, explicitFalse)} must not set securityContext.runAsNonRoot=false` };
  if (podValue === true) return undefined;
  const unset = named(spec, (c) => c.securityContext?.runAsNonRoot === undefined);
  return unset.length ? { reason: 'runAsNonRoot != true', detail: `pod or ${containersNamed(unset)} must set securityContext.runAsNonRoot=true` } : undefined;
};

const runAsUser: Check = (spec) => {
  const pod = spec.securityContext?.runAsUser === 0;
  const containers = named(spec, (c) => c.securityContext?.runAsUser === 0);
  return pod || containers.length ? { reason: 'runAsUser=0', detail: `${setters(pod, containers)} must not set runAsUser=0` } : undefined;
};

const seccompRestricted: Check = (spec) => {
  if (isWindows(spec)) return undefined;
  const { pod, containers, values } = badSeccomp(spec);
  if (pod || containers.length) return { reason: 'seccompProfile', detail: `${setters(pod, containers)} must not set securityContext.seccompProfile.type to ${joinQuote(values)}` };
  if (spec.securityContext?.seccompProfile?.type) return undefined;
  const unset = named(spec, (c) => c.securityContext?.seccompProfile?.type === undefined);
  return unset.length ? { reason: 'seccompProfile', detail: `pod or ${containersNamed(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` } : undefined;
};

/** Baseline checks in upstream's order (check IDs sorted). */
const BASELINE: ReadonlyArray<[id: string, check: Check]> = [
  ['appArmorProfile', appArmorProfile],
  ['capabilities_baseline', capabilitiesBaseline],
  ['hostNamespaces', hostNamespaces],
  ['hostPathVolumes', hostPathVolumes],
  ['hostPorts', hostPorts],
  ['privileged', privileged],
  ['procMount', procMount],
  ['seLinuxOptions', seLinuxOptions],
  ['seccompProfile_baseline', seccompBaseline],
  ['sysctls', sysctls],
  ['windowsHostProcess', windowsHostProcess],
];
const RESTRICTED: ReadonlyArray<[id: string, check: Check]> = [
  ['allowPrivilegeEscalation', allowPrivilegeEscalation],
  ['capabilities_restricted', capabilitiesRestricted],
  ['restrictedVolumes', restrictedVolumes],
  ['runAsNonRoot', runAsNonRoot],
  ['runAsUser', runAsUser],
  ['seccompProfile_restricted', seccompRestricted],
];
const REPLACED_BY_RESTRICTED = new Set(['capabilities_baseline', 'hostPathVolumes', 'seccompProfile_baseline']);

/** The checks a pod spec fails at `level`, in upstream's order. */
export function evaluatePodSecurity(level: PodSecurityLevel, spec: PodSpec): PodSecurityFailure[] {
  if (level === 'privileged') return [];
  const checks = level === 'baseline' ? BASELINE : [...BASELINE.filter(([id]) => !REPLACED_BY_RESTRICTED.has(id)), ...RESTRICTED];
  return checks.flatMap(([, check]) => check(spec) ?? []);
}

/** Upstream ForbiddenDetail: `reason (detail), reason (detail)`. */
export function forbiddenDetail(failures: readonly PodSecurityFailure[]): string {
  return failures.map((f) => (f.detail ? `${f.reason} (${f.detail})` : f.reason)).join(', ');
}
