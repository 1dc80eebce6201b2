import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { endpointsOfSlices, servicePortsOf } from '../model.ts';
import type { ProxiedServicePort } from '../iptables/render.ts';
import type { ServiceLike } from '../types.ts';
import { nftEndpointChain, nftServiceChain } from './chain-names.ts';
import { assignSlots, nftPortRules, nftSkeleton, nftPresetRules, nodePortIPsRules, renderNftDelta, renderNftFull, type NftPortRules, type NftRenderOptions } from './render.ts';

const here = dirname(fileURLToPath(import.meta.url));

function proxied(svc: ServiceLike, ips: string[]): ProxiedServicePort[] {
  const eps = endpointsOfSlices(
    ips.length ? [{ metadata: { name: 's' }, addressType: 'IPv4', ports: [{ name: 'p80', port: 8080 }], endpoints: ips.map((ip) => ({ addresses: [ip] })) }] : [],
    'ns1', svc.metadata.name, 'node1',
  );
  return [...servicePortsOf(svc)].map(([key, info]) => ({ key, info, endpoints: eps.get(key) ?? [] }));
}
/** Endpoints with their node: `ip@node` (node1 is the proxier's node). */
function proxiedOn(svc: ServiceLike, eps: string[]): ProxiedServicePort[] {
  const e = endpointsOfSlices(
    eps.length ? [{ metadata: { name: 's' }, addressType: 'IPv4', ports: [{ name: 'p80', port: 8080 }], endpoints: eps.map((x) => ({ addresses: [x.split('@')[0]!], nodeName: x.split('@')[1] })) }] : [],
    'ns1', svc.metadata.name, 'node1',
  );
  return [...servicePortsOf(svc)].map(([key, info]) => ({ key, info, endpoints: e.get(key) ?? [] }));
}
const svc = (name: string, ip: string, nodePort?: number, extra: Partial<NonNullable<ServiceLike['spec']>> = {}): ServiceLike => ({
  metadata: { name, namespace: 'ns1' },
  spec: { type: nodePort ? 'NodePort' : 'ClusterIP', clusterIP: ip, ports: [{ name: 'p80', port: 80, nodePort }], ...extra },
});
const sticky = (timeoutSeconds?: number) => ({ sessionAffinity: 'ClientIP' as const, ...(timeoutSeconds ? { sessionAffinityConfig: { clientIP: { timeoutSeconds } } } : {}) });
const opts: NftRenderOptions = { clusterCIDR: '10.244.0.0/16' };
const eLocal = { type: 'LoadBalancer' as const, externalTrafficPolicy: 'Local' as const, externalIPs: ['192.0.2.10'] };
const eLocalAt = (ip: string) => ({ ...eLocal, externalIPs: [ip] });
const iLocal = { internalTrafficPolicy: 'Local' as const };
const fwOpts: NftRenderOptions = { ...opts, nodeIP: '192.168.77.1' };
const lbSvc = (name: string, ip: string, lbIP: string, ranges: string[], extra: Partial<NonNullable<ServiceLike['spec']>> = {}): ServiceLike => ({
  metadata: { name, namespace: 'ns1' },
  spec: { type: 'LoadBalancer', clusterIP: ip, loadBalancerSourceRanges: ranges, ports: [{ name: 'p80', port: 80, nodePort: 30000 + Number(ip.split('.')[3]) }], ...extra },
  status: { loadBalancer: { ingress: [{ ip: lbIP }] } },
});
const rules = (ports: ProxiedServicePort[], o: NftRenderOptions = opts): NftPortRules[] => ports.map((p) => nftPortRules(p, o));
const one = (ports: ProxiedServicePort[], o: NftRenderOptions = opts): NftPortRules => rules(ports, o)[0]!;

const goldens: Array<[string, NftPortRules[], NftRenderOptions]> = [
  ['clusterip', rules(proxied(svc('a', '10.96.0.10'), ['10.244.1.2', '10.244.1.3'])), opts],
  ['nodeport-and-empty', rules([...proxied(svc('b', '10.96.0.11', 30011), ['10.244.1.2']), ...proxied(svc('c', '10.96.0.12', 30012), [])]), opts],
  ['affinity', rules([...proxied(svc('sticky', '10.96.0.13', 30013, sticky(600)), ['10.244.1.2', '10.244.1.3']), ...proxied(svc('plain', '10.96.0.14'), ['10.244.1.4'])]), opts],
  ['preset-counts', [nftPresetRules(2, opts), ...rules(proxied(svc('a', '10.96.0.10', 30010), ['10.244.1.2', '10.244.1.3']))], opts],
  [
    'local-policy',
    rules([
      ...proxiedOn(svc('elocal', '10.96.0.20', 30020, eLocal), ['10.244.1.2@node1', '10.244.2.2@node2', '10.244.2.3@node2']),
      ...proxiedOn(svc('elocal-none', '10.96.0.21', 30021, eLocalAt('192.0.2.11')), ['10.244.2.2@node2']),
      ...proxiedOn(svc('ilocal', '10.96.0.22', undefined, iLocal), ['10.244.1.2@node1', '10.244.2.2@node2']),
      ...proxiedOn(svc('ilocal-none', '10.96.0.23', undefined, iLocal), ['10.244.2.2@node2']),
      ...proxiedOn(svc('elocal-sticky', '10.96.0.24', 30024, { ...eLocalAt('192.0.2.14'), ...sticky() }), ['10.244.1.2@node1', '10.244.2.2@node2']),
    ]),
    opts,
  ],
  [
    // loadBalancerSourceRanges (the node, 192.168.77.1, is inside 192.168.0.0/16, so the LB IP is admitted as a source too);
    // a service without endpoints keeps its firewall, as upstream.
    'lb-source-ranges',
    rules([
      ...proxiedOn(lbSvc('lb', '10.96.0.30', '198.51.100.7', ['203.0.113.0/24', '192.168.0.0/16']), ['10.244.1.2@node1']),
      ...proxiedOn(lbSvc('lb-empty', '10.96.0.31', '198.51.100.8', ['203.0.113.0/24']), []),
      ...proxiedOn(lbSvc('lb-sticky', '10.96.0.32', '198.51.100.9', ['10.0.0.0/8'], sticky()), ['10.244.1.3@node1']),
    ], fwOpts),
    fwOpts,
  ],
  [
    'nodeport-addresses',
    [...rules(proxied(svc('b', '10.96.0.11', 30011), ['10.244.1.2']), { ...opts, nodePortsOnAllAddresses: false }), nodePortIPsRules(['192.168.77.1', '192.168.77.3'])],
    { ...opts, nodePortsOnAllAddresses: false },
  ],
];

/** Root with a working nft: goldens are also checked by the kernel (`nft -c`, nothing is committed). */
const nftCheck = (() => {
  try {
    execFileSync('nft', ['-c', '-f', '-'], { input: 'add table ip k8ts-render-probe\n', stdio: ['pipe', 'ignore', 'ignore'] });
    return true;
  } catch {
    return false;
  }
})();

describe('nftables renderer', () => {
  it.each(goldens)('golden %s', (name, parts, o) => {
    const text = renderNftFull(parts, o);
    const file = join(here, 'testdata', `${name}.golden`);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it.skipIf(!nftCheck).each(goldens)('nft -c accepts golden %s', (name) => {
    expect(() => execFileSync('nft', ['-c', '-f', join(here, 'testdata', `${name}.golden`)], { stdio: ['ignore', 'ignore', 'pipe'] })).not.toThrow();
  });

  it('names chains and sets as upstream', () => {
    const id = { namespace: 'ns1', name: 'svc1', protocol: 'TCP', portName: 'p80' };
    expect(nftServiceChain(id)).toBe('service-ULMVA6XW-ns1/svc1/tcp/p80');
    expect(nftEndpointChain(id, '10.180.0.1', 80)).toBe('endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
  });

  it.each([1, 3, 5, 7])('a service with %i endpoints has one element per endpoint in endpoints-%i', (n) => {
    const ips = Array.from({ length: n }, (_, i) => `10.244.1.${i + 2}`);
    const r = one(proxied(svc('a', '10.96.0.10'), ips));
    const eps = r.elements.filter(([c]) => c === `endpoints-${n}`).map(([, text]) => text.split(' : '));
    expect(eps.map(([k]) => k)).toEqual(ips.map((_, i) => `10.96.0.10 . tcp . 80 . ${i}`));
    expect(eps.map(([, v]) => v).sort()).toEqual(ips.map((ip) => `${ip} . 8080`).sort());
    expect(r.elements.filter(([c]) => c === 'service-ips')).toEqual([['service-ips', `10.96.0.10 . tcp . 80 : goto dispatch-${n}`]]);
  });

  it.each([
    [undefined, ['a', 'b', 'c'], ['a', 'b', 'c']],
    [['b', 'c', 'a'], ['a', 'b', 'c'], ['b', 'c', 'a']],
    [['a', 'b', 'c'], ['a', 'c', 'd'], ['a', 'd', 'c']],
    [['c', 'b', 'a'], ['d', 'e', 'b'], ['d', 'b', 'e']],
    [['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c']],
  ] as Array<[string[] | undefined, string[], string[]]>)('assignSlots(%j, %j) = %j', (previous, current, want) => {
    expect(assignSlots(previous, current.map((endpoint) => ({ endpoint }))).map((e) => e.endpoint)).toEqual(want);
  });

  it('replacing one endpoint changes one element: the others keep their buckets', () => {
    const before = one(proxied(svc('a', '10.96.0.10'), ['10.244.1.2', '10.244.1.3', '10.244.1.4']));
    const after = nftPortRules(proxied(svc('a', '10.96.0.10'), ['10.244.1.1', '10.244.1.2', '10.244.1.4'])[0]!, opts, before);
    expect(renderNftDelta([{ before, after }], new Set(['endpoints-3', 'dispatch-3']))).toBe(
      'delete element ip kube-proxy endpoints-3 { 10.96.0.10 . tcp . 80 . 1 }\n' +
        'add element ip kube-proxy endpoints-3 { 10.96.0.10 . tcp . 80 . 1 : 10.244.1.1 . 8080 }\n',
    );
  });

  it('preset dispatch objects for endpoint counts 1..N, for services and NodePorts', () => {
    const preset = nftPresetRules(3, opts);
    expect(preset.objects.map((o) => o.name)).toEqual([1, 2, 3].flatMap((n) => [`endpoints-${n}`, `dispatch-${n}`, `nodeport-endpoints-${n}`, `nodeport-dispatch-${n}`]));
    const before = one(proxied(svc('a', '10.96.0.10'), ['10.244.1.2', '10.244.1.3']));
    const after = one(proxied(svc('a', '10.96.0.10'), ['10.244.1.2']));
    expect(renderNftDelta([{ before, after }], new Set(preset.objects.map((o) => o.name)))).not.toMatch(/add (chain|map|rule)/);
  });

  it('an endpoint change touches only the changed element', () => {
    const before = one(proxied(svc('a', '10.96.0.10'), ['10.244.1.2', '10.244.1.3']));
    const after = one(proxied(svc('a', '10.96.0.10'), ['10.244.1.2', '10.244.1.4']));
    expect(renderNftDelta([{ before, after }], new Set(['endpoints-2', 'dispatch-2']))).toBe(
      'delete element ip kube-proxy endpoints-2 { 10.96.0.10 . tcp . 80 . 1 }\n' +
        'add element ip kube-proxy endpoints-2 { 10.96.0.10 . tcp . 80 . 1 : 10.244.1.4 . 8080 }\n',
    );
    expect(renderNftDelta([{ before: after, after }], new Set(['endpoints-2', 'dispatch-2']))).toBe('');
  });

  it('a new endpoint count creates its dispatch chain and map once', () => {
    const before = one(proxied(svc('a', '10.96.0.10'), ['10.244.1.2', '10.244.1.3']));
    const after = one(proxied(svc('a', '10.96.0.10'), ['10.244.1.2']));
    expect(renderNftDelta([{ before, after }], new Set(['endpoints-2', 'dispatch-2']))).toBe(
      'add map ip kube-proxy endpoints-1 { typeof ip daddr . meta l4proto . th dport . numgen random mod 1 : ip daddr . tcp dport; }\n' +
        'add chain ip kube-proxy dispatch-1\n' +
        'delete element ip kube-proxy service-ips { 10.96.0.10 . tcp . 80 }\n' +
        'delete element ip kube-proxy endpoints-2 { 10.96.0.10 . tcp . 80 . 0, 10.96.0.10 . tcp . 80 . 1 }\n' +
        'add rule ip kube-proxy dispatch-1 ip saddr != 10.244.0.0/16 meta mark set meta mark | 0x4000\n' +
        'add rule ip kube-proxy dispatch-1 dnat ip to ip daddr . meta l4proto . th dport . numgen random mod 1 map @endpoints-1\n' +
        'add element ip kube-proxy service-ips { 10.96.0.10 . tcp . 80 : goto dispatch-1 }\n' +
        'add element ip kube-proxy endpoints-1 { 10.96.0.10 . tcp . 80 . 0 : 10.244.1.2 . 8080 }\n',
    );
    expect(renderNftDelta([{ before, after }], new Set(['endpoints-1', 'dispatch-1']))).not.toContain('add chain');
  });

  it('affinity: the random pick comes after one affinity check per endpoint, and the endpoint chain records the client', () => {
    const r = one(proxied(svc('s', '10.96.0.13', undefined, sticky()), ['10.244.1.2', '10.244.1.3']));
    const sets = r.objects.filter((o) => o.kind === 'set');
    expect(sets.map((s) => s.spec)).toEqual(Array(2).fill('type ipv4_addr; flags dynamic,timeout; timeout 10800s;'));
    const chain = r.objects.find((o) => o.name.startsWith('service-'))!;
    expect(chain.rules.slice(1, 3)).toEqual(sets.map((s) => `ip saddr @${s.name} goto ${s.name.replace(/^affinity-/, 'endpoint-')}`));
    expect(chain.rules[3]).toMatch(/^numgen random mod 2 vmap \{ 0 : goto endpoint-\S+, 1 : goto endpoint-\S+ \}$/);
    const ep = r.objects.find((o) => o.name === sets[0]!.name.replace(/^affinity-/, 'endpoint-'))!;
    expect(ep.rules).toEqual(['ip saddr 10.244.1.2 meta mark set meta mark | 0x4000', `update @${sets[0]!.name} { ip saddr }`, 'meta l4proto tcp dnat to 10.244.1.2:8080']);
  });

  it('affinity: a removed endpoint flushes and deletes its chain and set; the service chain is rewritten', () => {
    const before = one(proxied(svc('s', '10.96.0.13', undefined, sticky()), ['10.244.1.2', '10.244.1.3']));
    const after = one(proxied(svc('s', '10.96.0.13', undefined, sticky()), ['10.244.1.2']));
    const gone = nftEndpointChain({ namespace: 'ns1', name: 's', protocol: 'tcp', portName: 'p80' }, '10.244.1.3', 8080);
    const svcChain = nftServiceChain({ namespace: 'ns1', name: 's', protocol: 'tcp', portName: 'p80' });
    const lines = renderNftDelta([{ before, after }], new Set()).trim().split('\n');
    expect(lines).toEqual([
      `flush chain ip kube-proxy ${svcChain}`,
      `flush chain ip kube-proxy ${gone}`,
      `delete set ip kube-proxy ${gone.replace(/^endpoint-/, 'affinity-')}`,
      ...after.objects.find((o) => o.name === svcChain)!.rules.map((r) => `add rule ip kube-proxy ${svcChain} ${r}`),
      `delete chain ip kube-proxy ${gone}`,
    ]);
  });

  it('affinity: a new timeout recreates the sets and rewrites every chain that uses them', () => {
    const before = one(proxied(svc('s', '10.96.0.13', undefined, sticky()), ['10.244.1.2']));
    const after = one(proxied(svc('s', '10.96.0.13', undefined, sticky(60)), ['10.244.1.2']));
    const delta = renderNftDelta([{ before, after }], new Set());
    expect(delta.match(/^flush chain .*$/gm)).toHaveLength(2);
    expect(delta).toMatch(/^delete set ip kube-proxy affinity-\S+\nadd set ip kube-proxy affinity-\S+ \{ type ipv4_addr; flags dynamic,timeout; timeout 60s; \}$/m);
    expect(delta.indexOf('flush chain')).toBeLessThan(delta.indexOf('delete set'));
    expect(delta.indexOf('add set')).toBeLessThan(delta.indexOf('add rule'));
  });

  it('affinity turned off: the service moves to the shared dispatch and its chains and sets go', () => {
    const before = one(proxied(svc('s', '10.96.0.13', 30013, sticky()), ['10.244.1.2']));
    const after = one(proxied(svc('s', '10.96.0.13', 30013), ['10.244.1.2']));
    const delta = renderNftDelta([{ before, after }], new Set());
    expect(delta.match(/^delete chain /gm)).toHaveLength(3); // service, external, endpoint
    expect(delta.match(/^delete set /gm)).toHaveLength(1);
    expect(delta).toContain('add element ip kube-proxy service-ips { 10.96.0.13 . tcp . 80 : goto dispatch-1 }');
    expect(delta).toContain('add element ip kube-proxy service-nodeports { tcp . 30013 : goto nodeport-dispatch-1 }');
    expect(delta.lastIndexOf('delete element')).toBeLessThan(delta.indexOf('delete chain'));
  });

  it('externalTrafficPolicy Local: the cluster IP reaches every endpoint, external destinations from outside only the local ones', () => {
    const r = one(proxiedOn(svc('e', '10.96.0.20', 30020, eLocal), ['10.244.1.2@node1', '10.244.2.2@node2', '10.244.2.3@node2']));
    const of = (c: string) => r.elements.filter(([x]) => x === c).map(([, t]) => t);
    expect(of('service-ips')).toEqual(['10.96.0.20 . tcp . 80 : goto dispatch-3', '192.0.2.10 . tcp . 80 : goto dispatch-3']);
    expect(of('external-local-ips')).toEqual(['192.0.2.10 . tcp . 80 : goto local-dispatch-1']);
    expect(of('local-endpoints-1')).toEqual(['192.0.2.10 . tcp . 80 . 0 : 10.244.1.2 . 8080']);
    expect(of('external-local-nodeports')).toEqual(['tcp . 30020 : goto nodeport-local-dispatch-1']);
    expect(of('nodeport-local-endpoints-1')).toEqual(['tcp . 30020 . 0 : 10.244.1.2 . 8080']);
    // No masquerade on the local path: the client address is kept.
    expect(r.objects.filter((o) => o.name.includes('local-dispatch')).flatMap((o) => o.rules).join('\n')).not.toContain('mark');
    expect(of('no-endpoint-services')).toEqual([]);
  });

  it('externalTrafficPolicy Local without local endpoints: external traffic from outside is dropped, pods still reach the service', () => {
    const r = one(proxiedOn(svc('e', '10.96.0.21', 30021, eLocal), ['10.244.2.2@node2']));
    const of = (c: string) => r.elements.filter(([x]) => x === c).map(([, t]) => t);
    expect(of('external-local-ips')).toEqual(['192.0.2.10 . tcp . 80 : return']);
    expect(of('external-local-nodeports')).toEqual(['tcp . 30021 : return']);
    expect(of('no-endpoint-services')).toEqual(['192.0.2.10 . tcp . 80 : drop']);
    expect(of('no-endpoint-nodeports')).toEqual(['tcp . 30021 : drop']);
    expect(of('service-ips')).toEqual(['10.96.0.21 . tcp . 80 : goto dispatch-1', '192.0.2.10 . tcp . 80 : goto dispatch-1']);
  });

  it('internalTrafficPolicy Local: the cluster IP reaches only local endpoints, and is dropped without any', () => {
    const r = one(proxiedOn(svc('i', '10.96.0.22', undefined, iLocal), ['10.244.1.2@node1', '10.244.2.2@node2']));
    expect(r.elements).toEqual([
      ['service-ips', '10.96.0.22 . tcp . 80 : goto dispatch-1'],
      ['endpoints-1', '10.96.0.22 . tcp . 80 . 0 : 10.244.1.2 . 8080'],
    ]);
    expect(one(proxiedOn(svc('i', '10.96.0.23', undefined, iLocal), ['10.244.2.2@node2'])).elements).toEqual([['no-endpoint-services', '10.96.0.23 . tcp . 80 : drop']]);
  });

  it('Local policy: a local endpoint change keeps the other local endpoints in their buckets', () => {
    const before = one(proxiedOn(svc('i', '10.96.0.22', undefined, iLocal), ['10.244.1.2@node1', '10.244.1.3@node1', '10.244.2.2@node2']));
    const after = nftPortRules(proxiedOn(svc('i', '10.96.0.22', undefined, iLocal), ['10.244.1.1@node1', '10.244.1.3@node1', '10.244.2.2@node2'])[0]!, opts, before);
    expect(renderNftDelta([{ before, after }], new Set(['endpoints-2', 'dispatch-2']))).toBe(
      'delete element ip kube-proxy endpoints-2 { 10.96.0.22 . tcp . 80 . 0 }\n' +
        'add element ip kube-proxy endpoints-2 { 10.96.0.22 . tcp . 80 . 0 : 10.244.1.1 . 8080 }\n',
    );
  });

  it('NodePorts never answer on 127.0.0.0/8, and a loopback --nodeport-addresses entry is left out', () => {
    const skeleton = nftSkeleton(opts).join('\n');
    const rules = skeleton.split('\n').filter((l) => /vmap @\S*nodeports/.test(l));
    expect(rules).toHaveLength(3);
    for (const rule of rules) expect(rule).toContain('fib daddr type local ip daddr != 127.0.0.0/8 ');
    expect(nodePortIPsRules(['127.0.0.1', '192.168.77.1']).elements).toEqual([['nodeport-ips', '192.168.77.1']]);
  });

  it('a changed --nodeport-addresses list touches only the nodeport-ips elements', () => {
    expect(renderNftDelta([{ before: nodePortIPsRules(['192.168.77.1']), after: nodePortIPsRules(['192.168.77.3']) }], new Set())).toBe(
      'delete element ip kube-proxy nodeport-ips { 192.168.77.1 }\nadd element ip kube-proxy nodeport-ips { 192.168.77.3 }\n',
    );
  });

  it('loadBalancerSourceRanges: the firewall chain drops other sources; a node outside every range does not admit the LB IP', () => {
    const [lb] = proxiedOn(lbSvc('lb', '10.96.0.30', '198.51.100.7', ['203.0.113.0/24']), ['10.244.1.2@node1']);
    const r = nftPortRules(lb!, fwOpts);
    const chain = r.objects.find((o) => o.name.startsWith('firewall-'))!;
    expect(chain.rules).toEqual(['ip saddr != { 203.0.113.0/24 } drop']);
    expect(r.elements).toContainEqual(['firewall-ips', `198.51.100.7 . tcp . 80 : goto ${chain.name}`]);
    expect(nftPortRules(lb!, opts).objects.some((o) => o.name.startsWith('firewall-'))).toBe(true);
    const [plain] = proxiedOn(lbSvc('lb', '10.96.0.30', '198.51.100.7', []), ['10.244.1.2@node1']);
    expect(nftPortRules(plain!, fwOpts).elements.some(([c]) => c === 'firewall-ips')).toBe(false);
  });
  it('loadBalancerSourceRanges removed: the firewall element goes and its chain is flushed and deleted', () => {
    const [lb] = proxiedOn(lbSvc('lb', '10.96.0.30', '198.51.100.7', ['203.0.113.0/24']), ['10.244.1.2@node1']);
    const [plain] = proxiedOn(lbSvc('lb', '10.96.0.30', '198.51.100.7', []), ['10.244.1.2@node1']);
    const before = nftPortRules(lb!, fwOpts);
    const chain = before.objects.find((o) => o.name.startsWith('firewall-'))!.name;
    const delta = renderNftDelta([{ before, after: nftPortRules(plain!, fwOpts, before) }], new Set(before.objects.filter((o) => o.shared).map((o) => o.name)));
    expect(delta).toBe(`flush chain ip kube-proxy ${chain}\ndelete element ip kube-proxy firewall-ips { 198.51.100.7 . tcp . 80 }\ndelete chain ip kube-proxy ${chain}\n`);
  });
});
