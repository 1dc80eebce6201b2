import { describe, expect, it } from 'vitest';
import { categorizeEndpoints, usesClusterEndpoints, usesLocalEndpoints } from './categorize-endpoints.ts';
import type { EndpointInfo, ServicePortInfo } from './model.ts';

const info = (o: Partial<ServicePortInfo> = {}): ServicePortInfo => ({
  servicePortName: 'ns/s:p', namespace: 'ns', name: 's', portName: 'p', protocol: 'TCP', clusterIP: '10.96.0.1', port: 80, nodePort: 0,
  externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [], externalPolicyLocal: false, internalPolicyLocal: false, healthCheckNodePort: 0, stickyMaxAgeSeconds: 0, ...o,
});
/** `ip` + flags: r ready, s serving, t terminating, l local. */
const ep = (ip: string, flags: string): EndpointInfo => ({
  ip, port: 80, endpoint: `${ip}:80`, ready: flags.includes('r'), serving: flags.includes('s') || flags.includes('r'), terminating: flags.includes('t'), isLocal: flags.includes('l'),
});
const ips = (eps: EndpointInfo[]) => eps.map((e) => e.ip);

const a = ep('10.0.0.1', 'rl');
const b = ep('10.0.0.2', 'r');
const c = ep('10.0.0.3', 'stl');
const d = ep('10.0.0.4', 'st');
const e = ep('10.0.0.5', 'l'); // neither ready nor serving+terminating

describe('categorizeEndpoints (upstream CategorizeEndpoints without topology)', () => {
  it.each<[string, Partial<ServicePortInfo>, EndpointInfo[], string[], string[], string[], boolean]>([
    ['Cluster: ready endpoints', {}, [a, b, c], ['10.0.0.1', '10.0.0.2'], [], ['10.0.0.1', '10.0.0.2'], true],
    ['Cluster: none ready → serving+terminating', {}, [c, d, e], ['10.0.0.3', '10.0.0.4'], [], ['10.0.0.3', '10.0.0.4'], true],
    ['Cluster: nothing usable', {}, [e], [], [], [], false],
    ['internal Local: local ready only', { internalPolicyLocal: true }, [a, b, c], [], ['10.0.0.1'], ['10.0.0.1'], true],
    ['internal Local: no local ready → local serving+terminating', { internalPolicyLocal: true }, [b, c], [], ['10.0.0.3'], ['10.0.0.3'], true],
    ['internal Local: none local, still has endpoints elsewhere', { internalPolicyLocal: true }, [b, d], [], [], [], true],
    ['external Local NodePort: cluster ∪ local', { externalPolicyLocal: true, nodePort: 30000 }, [b, c, a], ['10.0.0.2', '10.0.0.1'], ['10.0.0.1'], ['10.0.0.2', '10.0.0.1'], true],
    ['external Local without external access: Cluster only', { externalPolicyLocal: true }, [a, b], ['10.0.0.1', '10.0.0.2'], [], ['10.0.0.1', '10.0.0.2'], true],
    ['both Local with a NodePort: cluster endpoints still used (short-circuit)', { internalPolicyLocal: true, externalPolicyLocal: true, nodePort: 30000 }, [b], ['10.0.0.2'], [], ['10.0.0.2'], true],
  ])('%s', (_name, o, eps, cluster, local, reachable, hasAny) => {
    const r = categorizeEndpoints(eps, info(o));
    expect(ips(r.cluster)).toEqual(cluster);
    expect(ips(r.local)).toEqual(local);
    expect(ips(r.allReachable)).toEqual(reachable);
    expect(r.hasAny).toBe(hasAny);
  });
  it.each<[Partial<ServicePortInfo>, boolean, boolean]>([
    [{}, true, false],
    [{ internalPolicyLocal: true }, false, true],
    [{ internalPolicyLocal: true, loadBalancerIPs: ['1.2.3.4'] }, true, true],
    [{ externalPolicyLocal: true, externalIPs: ['1.2.3.4'] }, true, true],
    [{ externalPolicyLocal: true }, true, false],
  ])('uses cluster/local endpoints %#', (o, cluster, local) => {
    expect(usesClusterEndpoints(info(o))).toBe(cluster);
    expect(usesLocalEndpoints(info(o))).toBe(local);
  });
});

describe('zone hints (upstream topologyModeFromHints, PreferSameZone)', () => {
  const hinted = (endpoint: EndpointInfo, ...zones: string[]): EndpointInfo => ({ ...endpoint, zoneHints: zones });
  const za = hinted(a, 'zone-a');
  const zb = hinted(b, 'zone-b');
  it.each<[string, EndpointInfo[], string | undefined, string[]]>([
    ['every ready endpoint hinted, one for this zone: only those', [za, zb], 'zone-a', ['10.0.0.1']],
    ['the other zone', [za, zb], 'zone-b', ['10.0.0.2']],
    ['no endpoint hinted for this zone: hints ignored', [za, zb], 'zone-c', ['10.0.0.1', '10.0.0.2']],
    ['a node without a zone label: hints ignored', [za, zb], undefined, ['10.0.0.1', '10.0.0.2']],
    ['one ready endpoint without hints: hints ignored', [za, b], 'zone-a', ['10.0.0.1', '10.0.0.2']],
    ['a not-ready endpoint without hints does not matter', [za, zb, d], 'zone-a', ['10.0.0.1']],
  ])('%s', (_name, eps, zone, cluster) => {
    expect(ips(categorizeEndpoints(eps, info(), zone).cluster)).toEqual(cluster);
  });

  it('leave Local policy endpoints alone', () => {
    const r = categorizeEndpoints([za, zb], info({ internalPolicyLocal: true }), 'zone-b');
    expect(ips(r.local)).toEqual(['10.0.0.1']);
  });
});
