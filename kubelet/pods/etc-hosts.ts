/**
 * The kubelet-managed `/etc/hosts` of a pod's containers (upstream kubelet `makeHostsMount` /
 * `managedHostsFileContent`), pure: localhost entries, the pod's IP with its hostname — as
 * `<hostname>.<subdomain>.<namespace>.svc.<cluster domain>` first when the pod has a subdomain,
 * as a StatefulSet's pods do — and the pod's `hostAliases`. Mounted into every container that
 * does not mount its own `/etc/hosts`, once the pod has an IP. A host-network pod gets a copy of
 * the node's file instead, under its own header, with the `hostAliases` appended (upstream
 * `nodeHostsFileContent`).
 */
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';

export const ETC_HOSTS_PATH = '/etc/hosts';

/** The pod's hostname and, with a subdomain, its domain (upstream GeneratePodHostNameAndDomain). */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; domain?: string } {
  const spec = pod.spec ?? {};
  const hostname = (spec.hostname || (pod.metadata.name ?? '')).slice(0, 63).replace(/[-.]+$/, '');
  const domain = spec.subdomain ? `${spec.subdomain}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}` : undefined;
  return { hostname, domain };
}

/** The file's content (upstream managedHostsFileContent; for a host-network pod nodeHostsFileContent, from `nodeHosts`: the node's `/etc/hosts`). */
export function managedHostsFile(pod: Pod, podIPs: readonly string[], clusterDomain: string, nodeHosts = ''): string {
  if (pod.spec?.hostNetwork) return `# Kubernetes-managed hosts file (host network).\n${nodeHosts}${hostAliasEntries(pod)}`;
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
    ...podIPs.map((ip) => (domain ? `${ip}\t${hostname}.${domain}\t${hostname}` : `${ip}\t${hostname}`)),
  ];
  return `${lines.join('\n')}\n${hostAliasEntries(pod)}`;
}

/** The pod's `hostAliases` as hosts-file lines after their own comment ('' without any). */
function hostAliasEntries(pod: Pod): string {
  const aliases = pod.spec?.hostAliases ?? [];
  if (!aliases.length) return '';
  return `\n# Entries added by HostAliases.\n${aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`).join('')}`;
}

/** Whether `container` gets the managed file (the pod has an IP and the container no own mount there). */
export function mountsManagedHosts(pod: Pod, container: Container, podIPs: readonly string[]): boolean {
  return podIPs.length > 0 && !(container.volumeMounts ?? []).some((m) => m.mountPath === ETC_HOSTS_PATH);
}
