import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { endpointsOfSlices, servicePortsOf } from '../model.ts';
import type { EndpointSliceLike, ServiceLike } from '../types.ts';
import { endpointChain, externalChain, firewallChain, IPTABLES_CHAIN_NAMING, localChain, serviceChain } from './chain-names.ts';
import { LARGE_CLUSTER_ENDPOINTS, probability, renderIptablesRules, renderNatChunks, staleNatChains, type IptablesRenderSummary, type ProxiedServicePort } from './render.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Service ports as the iptables proxier tracks them: chain names computed up front. */
function proxied(svc: ServiceLike, slices: EndpointSliceLike[], node = 'node1'): ProxiedServicePort[] {
  const eps = endpointsOfSlices(slices, svc.metadata.namespace ?? 'default', svc.metadata.name, node, IPTABLES_CHAIN_NAMING);
  return [...servicePortsOf(svc, IPTABLES_CHAIN_NAMING)].map(([key, info]) => ({ key, info, endpoints: eps.get(key) ?? [] }));
}

function slice(ports: EndpointSliceLike['ports'], ips: Array<[string, string?]>): EndpointSliceLike {
  return { metadata: { name: 's' }, addressType: 'IPv4', ports, endpoints: ips.map(([ip, nodeName]) => ({ addresses: [ip], nodeName: nodeName ?? 'node2' })) };
}

function svc(name: string, spec: NonNullable<ServiceLike['spec']>): ServiceLike {
  return { metadata: { name, namespace: 'ns1' }, spec };
}

const webapp = parse(readFileSync('/work/shared/fixtures/seeds/webapp-two-ports.yaml', 'utf8')) as ServiceLike;
webapp.spec = { ...webapp.spec, clusterIP: '10.96.0.20' };

const cases: Array<[string, ProxiedServicePort[]]> = [
  ['clusterip', proxied(svc('svc1', { clusterIP: '10.96.0.10', ports: [{ name: 'p80', port: 80 }] }), [slice([{ name: 'p80', port: 8080 }], [['10.244.1.2'], ['10.244.1.3']])])],
  ['nodeport', proxied(svc('svc2', { type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ name: 'p80', port: 80, nodePort: 30080 }] }), [slice([{ name: 'p80', port: 8080 }], [['10.244.1.2'], ['10.244.1.3'], ['10.244.2.4']])])],
  ['multiport', proxied(webapp, [slice([{ name: 'web', port: 8080 }, { name: 'management', port: 8005 }], [['10.244.1.5']])])],
  ['udp-tcp', proxied(svc('dns', { clusterIP: '10.96.0.53', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }), [slice([{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }], [['10.244.1.7'], ['10.244.2.8']])])],
  ['affinity', proxied(svc('sticky', { clusterIP: '10.96.0.12', sessionAffinity: 'ClientIP', ports: [{ name: 'p80', port: 80 }] }), [slice([{ name: 'p80', port: 80 }], [['10.244.1.2'], ['10.244.1.3']])])],
  ['no-endpoints', proxied(svc('empty', { type: 'NodePort', clusterIP: '10.96.0.13', externalIPs: ['192.0.2.10'], ports: [{ name: 'p80', port: 80, nodePort: 30081 }] }), [])],
  ['local-policy', proxied(svc('local', { type: 'NodePort', clusterIP: '10.96.0.14', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000, ports: [{ name: 'p80', port: 80, nodePort: 30082 }] }), [slice([{ name: 'p80', port: 8080 }], [['10.244.1.2', 'node1'], ['10.244.2.3', 'node2']])])],
  // externalTrafficPolicy Local on a node without a local endpoint: the EXT chain still
  // short-circuits pod and node traffic, everything else is dropped by KUBE-EXTERNAL-SERVICES.
  ['local-policy-no-local', proxied(svc('remote', { type: 'NodePort', clusterIP: '10.96.0.15', externalTrafficPolicy: 'Local', externalIPs: ['192.0.2.20'], ports: [{ name: 'p80', port: 80, nodePort: 30083 }] }), [slice([{ name: 'p80', port: 8080 }], [['10.244.2.3', 'node2']])])],
  // internalTrafficPolicy Local: the cluster IP only reaches local endpoints; without any it is dropped.
  ['internal-local', [
    ...proxied(svc('itp', { clusterIP: '10.96.0.16', internalTrafficPolicy: 'Local', ports: [{ name: 'p80', port: 80 }] }), [slice([{ name: 'p80', port: 8080 }], [['10.244.1.2', 'node1'], ['10.244.2.3', 'node2']])]),
    ...proxied(svc('itp-none', { clusterIP: '10.96.0.17', internalTrafficPolicy: 'Local', ports: [{ name: 'p80', port: 80 }] }), [slice([{ name: 'p80', port: 8080 }], [['10.244.2.4', 'node2']])]),
    ...proxied(svc('both', { type: 'NodePort', clusterIP: '10.96.0.18', internalTrafficPolicy: 'Local', externalTrafficPolicy: 'Local', ports: [{ name: 'p80', port: 80, nodePort: 30084 }] }), [slice([{ name: 'p80', port: 8080 }], [['10.244.1.5', 'node1'], ['10.244.2.6', 'node2']])]),
  ]],
  // loadBalancerSourceRanges: LB IP traffic through KUBE-FW-…; the node IP (192.168.77.1) is inside 192.168.0.0/16.
  ['lb-source-ranges', proxied(
    { metadata: { name: 'lb', namespace: 'ns1' }, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.19', loadBalancerSourceRanges: ['203.0.113.0/24', '192.168.0.0/16'], ports: [{ name: 'p80', port: 80, nodePort: 30085 }] }, status: { loadBalancer: { ingress: [{ ip: '198.51.100.7' }] } } },
    [slice([{ name: 'p80', port: 8080 }], [['10.244.1.2']])],
  )],
];

/** The payload as the proxier streams it: nat, then filter. */
const payloadOf = (services: ProxiedServicePort[], options: Parameters<typeof renderIptablesRules>[1]) => {
  const rules = renderIptablesRules(services, options);
  return `${rules.nat}${rules.filter}`;
};
const GOLDEN_OPTIONS = { clusterCIDR: '10.244.0.0/16', nodeIP: '192.168.77.1' };

describe('renderIptablesRules golden payloads', () => {
  it.each(cases)('%s', (name, services) => {
    const text = payloadOf(services, GOLDEN_OPTIONS);
    const file = join(here, 'testdata', `${name}.golden`);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});

describe('--nodeport-addresses', () => {
  it('golden nodeport-addresses: one KUBE-NODEPORTS jump per selected address instead of addrtype LOCAL', () => {
    const text = payloadOf(cases[1]![1], { clusterCIDR: '10.244.0.0/16', nodePortIPs: ['192.168.77.1', '192.168.77.3'] });
    const file = join(here, 'testdata', 'nodeport-addresses.golden');
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
  it('no matching address: NodePorts are reached from nowhere', () => {
    const rules = renderIptablesRules(cases[1]![1], { nodePortIPs: [] });
    expect(rules.nat).not.toContain('-j KUBE-NODEPORTS');
  });
});

describe('rule shapes', () => {
  it('names chains as upstream', () => {
    expect(serviceChain('default/kubernetes:https', 'TCP')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
  });
  it('chain names computed when ports and endpoints are tracked are the ones the renderer derives without them', () => {
    const kubernetes = proxied({ metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] } }, [slice([{ name: 'https', port: 6443 }], [['192.168.77.1']])]);
    expect(kubernetes[0]!.info.chainStem).toBe('NPX46M4PTMTKRN6Y');
    expect(kubernetes[0]!.endpoints[0]!.chainStem).toBe(endpointChain('default/kubernetes:https', 'tcp', '192.168.77.1:6443').slice('KUBE-SEP-'.length));
    const tracked = cases.flatMap(([, s]) => s);
    const bare = tracked.map((p) => ({ ...p, info: { ...p.info, chainStem: undefined }, endpoints: p.endpoints.map((e) => ({ ...e, chainStem: undefined })) }));
    expect(payloadOf(bare, GOLDEN_OPTIONS)).toBe(payloadOf(tracked, GOLDEN_OPTIONS));
    expect([...servicePortsOf(svc('x', { clusterIP: '10.96.0.2', ports: [{ port: 80 }] })).values()][0]!.chainStem).toBeUndefined();
  });
  it.each([
    [2, '0.5000000000'],
    [3, '0.3333333333'],
    [5, '0.2000000000'],
  ])('probability 1/%i is %s', (n, s) => expect(probability(n)).toBe(s));

  it('partial sync writes only changed service chains and deletes stale ones', () => {
    const a = cases[0]![1];
    const b = cases[1]![1];
    const rules = renderIptablesRules([...a, ...b], {
      changedServices: new Set([b[0]!.key]),
      existingNatChains: ['KUBE-SVC-AAAAAAAAAAAAAAAA', serviceChain('ns1/svc1:p80', 'tcp')],
    });
    expect(rules.nat).not.toContain(`:${serviceChain('ns1/svc1:p80', 'tcp')}`);
    expect(rules.nat).toContain(`:${serviceChain('ns1/svc2:p80', 'tcp')}`);
    expect(rules.nat).toContain('-X KUBE-SVC-AAAAAAAAAAAAAAAA');
    expect(rules.nat).not.toContain(`-X ${serviceChain('ns1/svc1:p80', 'tcp')}`);
  });
});

describe('traffic policies and firewall pieces (upstream syncProxyRules)', () => {
  const byName = Object.fromEntries(cases);
  const text = (name: string) => payloadOf(byName[name]!, GOLDEN_OPTIONS);
  it('route_localnet: KUBE-FIREWALL drops martian 127.0.0.0/8 traffic; without localhost NodePorts the jump skips 127.0.0.0/8', () => {
    const rule = '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP';
    expect(text('clusterip')).toContain(`:KUBE-FIREWALL - [0:0]\n${rule}\n`);
    const off = payloadOf(byName['clusterip']!, { ...GOLDEN_OPTIONS, localhostNodePorts: false });
    expect(off).not.toContain('KUBE-FIREWALL');
    expect(off).toContain('-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS');
  });
  it('internalTrafficPolicy Local without local endpoints: DROP "has no local endpoints", no nat chains', () => {
    const t = text('internal-local');
    expect(t).toContain('-A KUBE-SERVICES -m comment --comment "ns1/itp-none:p80 has no local endpoints" -m tcp -p tcp -d 10.96.0.17 --dport 80 -j DROP');
    expect(t).not.toContain(`:${localChain('ns1/itp-none:p80', 'tcp')}`);
    expect(t).not.toContain(`:${serviceChain('ns1/itp-none:p80', 'tcp')}`);
  });
  it('internalTrafficPolicy Local: cluster IP → KUBE-SVL with the masquerade rule; endpoint chains only for local endpoints', () => {
    const t = text('internal-local');
    const svl = localChain('ns1/itp:p80', 'tcp');
    expect(t).toContain(`-d 10.96.0.16 --dport 80 -j ${svl}`);
    expect(t).toContain(`-A ${svl} -m comment --comment "ns1/itp:p80 cluster IP" -m tcp -p tcp -d 10.96.0.16 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`);
    expect(t).not.toContain(`:${serviceChain('ns1/itp:p80', 'tcp')}`);
    expect(t).toContain(`:${endpointChain('ns1/itp:p80', 'tcp', '10.244.1.2:8080')}`);
    expect(t).not.toContain(`:${endpointChain('ns1/itp:p80', 'tcp', '10.244.2.3:8080')}`);
  });
  it('both policies Local on a NodePort: KUBE-SVC exists for the EXT short-circuit, so the restore references no undeclared chain', () => {
    const t = text('internal-local');
    expect(t).toContain(`:${serviceChain('ns1/both:p80', 'tcp')} - [0:0]`);
    expect(t).toContain(`-s 10.244.0.0/16 -j ${serviceChain('ns1/both:p80', 'tcp')}`);
  });
  it('externalTrafficPolicy Local without local endpoints: EXT short-circuits, no jump to KUBE-SVL, DROP in KUBE-EXTERNAL-SERVICES', () => {
    const t = text('local-policy-no-local');
    const ext = externalChain('ns1/remote:p80', 'tcp');
    expect(t).toContain(`-A KUBE-NODEPORTS -m comment --comment ns1/remote:p80 -m tcp -p tcp --dport 30083 -j ${ext}`);
    expect(t).toContain(`-d 192.0.2.20 --dport 80 -j ${ext}`);
    expect(t).not.toContain(localChain('ns1/remote:p80', 'tcp'));
    expect(t).toContain('-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/remote:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30083 -j DROP');
    expect(t).toContain('-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/remote:p80 has no local endpoints" -m tcp -p tcp -d 192.0.2.20 --dport 80 -j DROP');
  });
  it('health check NodePort accepted in filter KUBE-NODEPORTS', () => {
    expect(text('local-policy')).toContain('-A KUBE-NODEPORTS -m comment --comment "ns1/local:p80 health check node port" -m tcp -p tcp --dport 32000 -j ACCEPT');
  });
  it('loadBalancerSourceRanges: KUBE-FW admits the ranges (and the LB IP, the node being inside one), KUBE-PROXY-FIREWALL drops the rest', () => {
    const t = text('lb-source-ranges');
    const fw = firewallChain('ns1/lb:p80', 'tcp');
    const ext = externalChain('ns1/lb:p80', 'tcp');
    expect(t).toContain(`-d 198.51.100.7 --dport 80 -j ${fw}`);
    expect(t).toContain(`-A ${fw} -m comment --comment "ns1/lb:p80 loadbalancer IP" -s 203.0.113.0/24 -j ${ext}`);
    expect(t).toContain(`-A ${fw} -m comment --comment "ns1/lb:p80 loadbalancer IP" -s 198.51.100.7 -j ${ext}`);
    expect(t).toContain(`-A ${fw} -m comment --comment "other traffic to ns1/lb:p80 will be dropped by KUBE-PROXY-FIREWALL"`);
    expect(t).toContain(`-A KUBE-PROXY-FIREWALL -m comment --comment "ns1/lb:p80 traffic not accepted by ${fw}" -m tcp -p tcp -d 198.51.100.7 --dport 80 -j DROP`);
    const away = payloadOf(byName['lb-source-ranges']!, { ...GOLDEN_OPTIONS, nodeIP: '172.16.0.1' });
    expect(away).not.toContain('-s 198.51.100.7');
  });
  it(`above ${LARGE_CLUSTER_ENDPOINTS} endpoints, endpoint chains and the jumps to them carry no comments (upstream large cluster mode)`, () => {
    const many = Array.from({ length: 201 }, (_, i) =>
      proxied(svc(`m${i}`, { clusterIP: `10.96.1.${i}`, ports: [{ name: 'p', port: 80 }] }), [slice([{ name: 'p', port: 8080 }], Array.from({ length: 5 }, (_, k): [string] => [`10.244.${i}.${k + 1}`]))]),
    ).flat();
    const t = payloadOf(many, GOLDEN_OPTIONS);
    const sep = endpointChain('ns1/m0:p', 'tcp', '10.244.0.1:8080');
    expect(t).toContain(`-A ${sep} -s 10.244.0.1 -j KUBE-MARK-MASQ`);
    expect(t).toMatch(new RegExp(`-A ${serviceChain('ns1/m0:p', 'tcp')} -m statistic`));
    expect(t).toContain('"ns1/m0:p cluster IP"');
    expect(payloadOf(many.slice(0, 200), GOLDEN_OPTIONS)).toContain(`-A ${sep} -m comment --comment ns1/m0:p -s 10.244.0.1`);
  });
  it('streamed chunks add up to the whole payload, and the summary counts its rules', () => {
    const all = cases.flatMap(([, s]) => s);
    const summary: IptablesRenderSummary = { filter: '', natRules: 0, filterRules: 0, activeNatChains: [] };
    const chunks = [...renderNatChunks(all, GOLDEN_OPTIONS, summary, 200)];
    expect(chunks.length).toBeGreaterThan(5);
    const rules = renderIptablesRules(all, GOLDEN_OPTIONS);
    expect(chunks.join('') + 'COMMIT\n').toBe(rules.nat);
    expect(summary.natRules).toBe(rules.nat.match(/^-A /gm)!.length);
    expect(summary.filterRules).toBe(rules.filter.match(/^-A /gm)!.length);
    expect(staleNatChains(['KUBE-SEP-X', 'KUBE-SERVICES', 'OTHER'], [])).toBe(':KUBE-SEP-X - [0:0]\n-X KUBE-SEP-X\n');
  });
});

/** Root with iptables-legacy: every golden payload must load into an empty table (in a throw-away netns). */
const canRestore = (() => {
  try {
    execFileSync('iptables-legacy-restore', ['--version'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

describe.runIf(canRestore)('golden payloads load with iptables-legacy-restore', () => {
  it('every case', () => {
    const ns = `k8ts-iptgold-${process.pid}-${randomBytes(3).toString('hex')}`;
    execFileSync('ip', ['netns', 'add', ns]);
    try {
      for (const [name, services] of cases) {
        const payload = payloadOf(services, GOLDEN_OPTIONS);
        try {
          execFileSync('nsenter', [`--net=/run/netns/${ns}`, 'iptables-legacy-restore', '--noflush'], { input: payload, stdio: ['pipe', 'ignore', 'pipe'] });
        } catch (err) {
          throw new Error(`${name}: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
        }
      }
    } finally {
      execFileSync('ip', ['netns', 'del', ns]);
    }
  });
});
