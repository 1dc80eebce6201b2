import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { managedHostsFile, mountsManagedHosts, podHostnameAndDomain } from './etc-hosts.ts';

const pod = (spec: Record<string, unknown>, name = 'web-0'): Pod => ({ metadata: { name, namespace: 'demo' }, spec: { containers: [{ name: 'c' }], ...spec } }) as Pod;

const HEADER = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

describe('kubelet-managed /etc/hosts', () => {
  it.each([
    ['a StatefulSet pod: FQDN from hostname and subdomain', pod({ hostname: 'web-0', subdomain: 'nginx' }), `${HEADER}10.244.1.5\tweb-0.nginx.demo.svc.cluster.local\tweb-0\n`],
    ['a plain pod: its name', pod({}, 'frontend-abc'), `${HEADER}10.244.1.5\tfrontend-abc\n`],
    ['hostname without subdomain', pod({ hostname: 'box' }), `${HEADER}10.244.1.5\tbox\n`],
    ['hostAliases appended', pod({ hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }] }), `${HEADER}10.244.1.5\tweb-0\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n`],
  ])('%s', (_name, p, content) => {
    expect(managedHostsFile(p, ['10.244.1.5'], 'cluster.local')).toBe(content);
  });

  it('copies the node\'s file for a host-network pod, under its own header, with the hostAliases', () => {
    const nodeHosts = '127.0.0.1\tlocalhost\n192.0.2.2\tvm\n';
    expect(managedHostsFile(pod({ hostNetwork: true }), ['192.0.2.2'], 'cluster.local', nodeHosts)).toBe(`# Kubernetes-managed hosts file (host network).\n${nodeHosts}`);
    const aliased = pod({ hostNetwork: true, hostAliases: [{ ip: '10.1.2.3', hostnames: ['db'] }] });
    expect(managedHostsFile(aliased, ['192.0.2.2'], 'cluster.local', nodeHosts)).toBe(`# Kubernetes-managed hosts file (host network).\n${nodeHosts}\n# Entries added by HostAliases.\n10.1.2.3\tdb\n`);
  });

  it('truncates a long pod name to 63 characters without a trailing dash', () => {
    expect(podHostnameAndDomain(pod({}, `${'a'.repeat(62)}-b`), 'cluster.local').hostname).toBe('a'.repeat(62));
  });

  it.each([
    ['a pod with an IP', {}, [], ['10.0.0.1'], true],
    ['no IP yet', {}, [], [], false],
    ['host network (the node\'s file)', { hostNetwork: true }, [], ['10.0.0.1'], true],
    ['the container mounts its own /etc/hosts', {}, [{ name: 'h', mountPath: '/etc/hosts' }], ['10.0.0.1'], false],
  ])('%s → mounted %s', (_name, spec, volumeMounts, ips, mounted) => {
    const p = pod(spec);
    expect(mountsManagedHosts(p, { name: 'c', volumeMounts } as never, ips)).toBe(mounted);
  });
});
