/**
 * Pod → CRI PodSandboxConfig (upstream `generatePodSandboxConfig`): metadata and identifying
 * labels, hostname, log directory, DNS by `dnsPolicy`, host port mappings, and host namespaces.
 * Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { DNSConfig, PodSandboxConfig, PortMapping, Protocol } from '../cri/types.ts';
import { LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from '../runtime/types.ts';
import { seccompProfileFor } from './seccomp.ts';

/** Node-level DNS settings (kubelet `--cluster-dns`, `--cluster-domain`, the host's resolv.conf). */
export interface DnsSettings {
  clusterDns: readonly string[];
  clusterDomain: string;
  /** The host's resolver configuration, for `dnsPolicy: Default` (and ClusterFirst without cluster DNS). */
  host: DNSConfig;
}

/** `/var/log/pods/<namespace>_<name>_<uid>` under the kubelet's log root. */
export function podLogDirectory(logRoot: string, pod: Pod): string {
  return `${logRoot}/${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`;
}

/** The directory the runtime writes a container's log files to (`<attempt>.log`). */
export function containerLogDirectory(logRoot: string, pod: Pod, container: string): string {
  return `${podLogDirectory(logRoot, pod)}/${container}`;
}

/** The pod's DNS configuration as upstream's `GetPodDNS`. */
export function podDnsConfig(pod: Pod, dns: DnsSettings): DNSConfig {
  const spec = pod.spec ?? {};
  let policy = spec.dnsPolicy || 'ClusterFirst';
  if (policy === 'ClusterFirst' && spec.hostNetwork) policy = 'Default';
  if (policy === 'ClusterFirstWithHostNet') policy = 'ClusterFirst';
  let config: DNSConfig = { servers: [], searches: [], options: [] };
  if (policy === 'Default' || (policy === 'ClusterFirst' && dns.clusterDns.length === 0)) {
    config = { servers: [...dns.host.servers], searches: [...dns.host.searches], options: [...dns.host.options] };
  } else if (policy === 'ClusterFirst') {
    const ns = pod.metadata.namespace ?? 'default';
    const d = dns.clusterDomain;
    config = { servers: [...dns.clusterDns], searches: [`${ns}.svc.${d}`, `svc.${d}`, d, ...dns.host.searches], options: ['ndots:5'] };
  }
  const custom = spec.dnsConfig;
  if (custom) {
    config.servers = [...new Set([...config.servers, ...(custom.nameservers ?? [])])];
    config.searches = [...new Set([...config.searches, ...(custom.searches ?? [])])];
    const options = new Map(config.options.map((o) => [o.split(':')[0], o]));
    for (const o of custom.options ?? []) options.set(o.name ?? '', o.value ? `${o.name}:${o.value}` : (o.name ?? ''));
    config.options = [...options.values()];
  }
  config.searches = config.searches.slice(0, 32);
  return config;
}

/** Host port mappings of every container port that asks for one. */
export function portMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: (p.protocol ?? 'TCP') as Protocol, containerPort: p.containerPort, hostPort: p.hostPort, hostIp: p.hostIP ?? '' });
    }
  }
  return out;
}

/** The sandbox config of `pod`'s attempt number `attempt`. */
export function podSandboxConfig(pod: Pod, options: { attempt: number; logRoot: string; dns: DnsSettings; rootDir: string }): PodSandboxConfig {
  const meta = pod.metadata;
  const spec = pod.spec ?? {};
  const hostname = (spec.hostname || (meta.name as string)).slice(0, 63).replace(/[-.]+$/, '');
  const mode = (host: boolean | undefined) => (host ? 'NODE' : 'POD');
  return {
    metadata: { name: meta.name as string, namespace: meta.namespace ?? 'default', uid: meta.uid as string, attempt: options.attempt },
    hostname: spec.hostNetwork ? '' : hostname,
    logDirectory: podLogDirectory(options.logRoot, pod),
    dnsConfig: podDnsConfig(pod, options.dns),
    portMappings: portMappings(pod),
    labels: { ...(meta.labels ?? {}), [LABEL_POD_NAME]: meta.name as string, [LABEL_POD_NAMESPACE]: meta.namespace ?? 'default', [LABEL_POD_UID]: meta.uid as string },
    annotations: { ...(meta.annotations ?? {}) },
    linux: {
      securityContext: {
        namespaceOptions: { network: mode(spec.hostNetwork), pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER', ipc: mode(spec.hostIPC) },
        seccomp: seccompProfileFor(pod, undefined, options.rootDir),
        ...(spec.securityContext?.runAsUser !== undefined ? { runAsUser: { value: spec.securityContext.runAsUser } } : {}),
        ...(spec.securityContext?.runAsGroup !== undefined ? { runAsGroup: { value: spec.securityContext.runAsGroup } } : {}),
        ...(spec.securityContext?.supplementalGroups ? { supplementalGroups: spec.securityContext.supplementalGroups } : {}),
      },
      sysctls: Object.fromEntries((spec.securityContext?.sysctls ?? []).map((s) => [s.name, s.value])),
    },
  };
}
