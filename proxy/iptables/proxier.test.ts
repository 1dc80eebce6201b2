import { describe, expect, it } from 'vitest';
import type { ExecInput, Iptables } from './exec.ts';
import { CANARY_CHECK, CANARY_DECLARATION, driftRepairPayload, FULL_SYNC_PERIOD_MS, IptablesProxier, JUMP_RULES, missingJumpLines, type ProxierHost } from './proxier.ts';

/** Iptables stand-in recording every restore payload; `fail` decides whether one is refused, `saved` what iptables-save prints. */
function fakeIptables(fail: (payload: string) => string | undefined, saved: () => string = () => ''): Iptables & { payloads: string[]; saves: number; calls: string[] } {
  const payloads: string[] = [];
  const fake = {
    backend: 'legacy' as const,
    payloads,
    saves: 0,
    /** restore (called) / restored (payload read) / save / prepare / close, in call order. */
    calls: [] as string[],
    async restore(input: ExecInput) {
      fake.calls.push('restore');
      let text = '';
      if (typeof input === 'string') text = input;
      else for await (const c of input) text += c;
      payloads.push(text);
      fake.calls.push('restored');
      const err = fail(text);
      if (err) throw new Error(`iptables-legacy-restore failed (1): ${err}`);
    },
    async save() {
      fake.calls.push('save');
      fake.saves++;
      return saved();
    },
    async run() {
      return 0;
    },
    prepare() {
      fake.calls.push('prepare');
    },
    async close() {
      fake.calls.push('close');
    },
  };
  return fake;
}

/** iptables-save output with every jump rule in place, plus `natExtra` lines in nat. */
function savedWithJumps(natExtra = ''): string {
  const rules = (table: string) =>
    JUMP_RULES.filter((j) => j.table === table)
      .map((j) => `-A ${j.chain} ${j.args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}\n`)
      .join('');
  return `*filter\n${rules('filter')}COMMIT\n*nat\n${natExtra}${rules('nat')}COMMIT\n`;
}

const host: ProxierHost = { setSysctl: async () => undefined, clearUdpConntrack: async () => undefined };
const svc = (name: string) => ({ metadata: { name, namespace: 'default' }, spec: { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80 }] } });
const slice = (ips: string[]) => ({
  metadata: { name: 'web-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4' as const,
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' as const }],
  endpoints: ips.map((ip) => ({ addresses: [ip] })),
});

describe('IptablesProxier syncs', () => {
  it('streams nat, then filter, each committed once with its missing jumps inside, then the canary; a partial sync opens with the canary check and skips iptables-save', async () => {
    const ipt = fakeIptables(() => undefined);
    const p = new IptablesProxier(ipt, host, { nodeName: 'n1' });
    p.onService('default/web', svc('web'));
    p.onEndpointSlice(slice(['10.244.1.2', '10.244.1.3']));
    expect((await p.sync()).full).toBe(true);
    const first = ipt.payloads[0]!;
    expect(first.startsWith('*nat\n')).toBe(true);
    const natEnd = first.indexOf('COMMIT\n');
    const filterStart = first.indexOf('*filter\n');
    expect(filterStart).toBeGreaterThan(natEnd);
    expect(first.match(/^\*nat$/gm)).toHaveLength(1);
    expect(first.match(/^\*filter$/gm)).toHaveLength(1);
    expect(first.indexOf('-I PREROUTING 1 ')).toBeGreaterThan(first.indexOf(':KUBE-SERVICES - [0:0]'));
    expect(first.indexOf('-I PREROUTING 1 ')).toBeLessThan(natEnd);
    expect(first.indexOf('-I INPUT 1 -j KUBE-FIREWALL')).toBeGreaterThan(filterStart);
    expect(first.endsWith('COMMIT\n' + CANARY_DECLARATION)).toBe(true);
    expect(ipt.saves).toBe(1);
    p.onEndpointSlice(slice(['10.244.1.2']));
    const r = await p.sync();
    expect(r.full).toBe(false);
    expect(ipt.payloads[1]!.startsWith(CANARY_CHECK + '*nat\n')).toBe(true);
    expect(r.payloadBytes).toBe(ipt.payloads[1]!.length);
    expect(ipt.saves).toBe(1);
  });
  it('starts the next restore and save ahead: at setup, and in idle time after each sync, which the next sync and close wait for', async () => {
    const ipt = fakeIptables(() => undefined);
    const p = new IptablesProxier(ipt, host, { nodeName: 'n1' });
    await p.setup();
    expect(ipt.calls).toEqual(['prepare']);
    p.onService('default/web', svc('web'));
    p.onEndpointSlice(slice(['10.244.1.2']));
    await p.sync();
    // Not while the tool runs, nor before the caller has the result.
    expect(ipt.calls).toEqual(['prepare', 'restore', 'save', 'restored']);
    await p.settled();
    expect(ipt.calls.at(-1)).toBe('prepare');
    p.onEndpointSlice(slice(['10.244.1.3']));
    await p.sync();
    await p.close();
    expect(ipt.calls).toEqual(['prepare', 'restore', 'save', 'restored', 'prepare', 'restore', 'restored', 'prepare', 'close']);
    // Back to back: the next sync waits for the last one's idle work.
    const q = new IptablesProxier(fakeIptables(() => undefined), host, { nodeName: 'n1' });
    const calls = (q as unknown as { iptables: { calls: string[] } }).iptables.calls;
    q.onService('default/web', svc('web'));
    await q.sync();
    q.onEndpointSlice(slice(['10.244.1.2']));
    await q.sync();
    expect(calls).toEqual(['restore', 'save', 'restored', 'prepare', 'restore', 'restored']);
  });
  it('a vanished canary (restore fails at line 2) turns the same sync into a full one', async () => {
    let refuse = false;
    const ipt = fakeIptables((t) => (refuse && t.startsWith(CANARY_CHECK) ? 'iptables-restore: line 2 failed' : undefined));
    const p = new IptablesProxier(ipt, host, { nodeName: 'n1' });
    p.onService('default/web', svc('web'));
    p.onEndpointSlice(slice(['10.244.1.2', '10.244.1.3']));
    await p.sync();
    refuse = true;
    p.onEndpointSlice(slice(['10.244.1.2']));
    const r = await p.sync();
    expect(r.full).toBe(true);
    expect(ipt.payloads).toHaveLength(3);
    expect(ipt.payloads[2]!.startsWith('*nat\n')).toBe(true);
    expect(ipt.payloads[2]).toContain('--to-destination 10.244.1.2:8080');
    expect(ipt.payloads[2]).not.toContain('10.244.1.3');
  });
  it('a failed full sync throws and the next sync is full again', async () => {
    let refuse = true;
    const ipt = fakeIptables(() => (refuse ? 'boom' : undefined));
    const p = new IptablesProxier(ipt, host, { nodeName: 'n1' });
    p.onService('default/web', svc('web'));
    await expect(p.sync()).rejects.toThrow('boom');
    refuse = false;
    expect((await p.sync()).full).toBe(true);
  });
  it('--nodeport-addresses without 127.0.0.1: no KUBE-FIREWALL chain or jumps (kubelet owns them then)', async () => {
    const ipt = fakeIptables(() => undefined);
    const p = new IptablesProxier(ipt, { ...host, localAddresses: async () => ['192.168.5.1'] }, { nodeName: 'n1', nodePortAddresses: ['192.168.5.0/24'] });
    p.onService('default/web', svc('web'));
    await p.sync();
    expect(ipt.payloads[0]).not.toContain('KUBE-FIREWALL ');
    expect(ipt.payloads[0]).not.toContain(':KUBE-FIREWALL');
    expect(missingJumpLines('', false).filter).not.toContain('KUBE-FIREWALL\n');
  });
  it('setup, not sync: ip_forward, and route_localnet only when NodePorts may answer on 127.0.0.1; one batched call', async () => {
    const calls: string[][] = [];
    const batching: ProxierHost = { ...host, setSysctls: async (v) => void calls.push(v.map(([n, x]) => `${n}=${x}`)), localAddresses: async () => ['192.168.5.1'] };
    const all = new IptablesProxier(fakeIptables(() => undefined), batching, { nodeName: 'n1' });
    await all.sync();
    expect(calls).toEqual([]);
    await all.setup();
    expect(calls).toEqual([['net/ipv4/conf/all/route_localnet=1', 'net/ipv4/ip_forward=1']]);
    calls.length = 0;
    await new IptablesProxier(fakeIptables(() => undefined), batching, { nodeName: 'n1', nodePortAddresses: ['192.168.5.0/24'] }).setup();
    expect(calls).toEqual([['net/ipv4/ip_forward=1']]);
  });
  it('setup fails when a sysctl cannot be set', async () => {
    const failing: ProxierHost = { ...host, setSysctls: async () => Promise.reject(new Error('sysctl net/ipv4/ip_forward failed: read-only file system')) };
    await expect(new IptablesProxier(fakeIptables(() => undefined), failing, { nodeName: 'n1' }).setup()).rejects.toThrow(/read-only/);
  });
  it('periodic full sync: no iptables-save while it runs; it is audited in idle time after its commit, and only drift (a lost jump, an unowned chain) costs a second restore', async () => {
    let t = 0;
    let saved = '';
    const ipt = fakeIptables(() => undefined, () => saved);
    const p = new IptablesProxier(ipt, host, { nodeName: 'n1', now: () => t });
    p.onService('default/web', svc('web'));
    p.onEndpointSlice(slice(['10.244.1.2']));
    await p.sync();
    expect(ipt.payloads).toHaveLength(1);
    // Nothing drifted: one restore, which deletes the endpoint chain the proxier knows went away.
    saved = savedWithJumps();
    const gone = ipt.payloads[0]!.match(/^:(KUBE-SEP-\w+)/m)![1]!;
    p.onEndpointSlice(slice(['10.244.1.3']));
    t = FULL_SYNC_PERIOD_MS + 1;
    await p.settled();
    ipt.calls.length = 0;
    expect((await p.sync()).full).toBe(true);
    expect(ipt.calls).toEqual(['restore', 'restored']);
    await p.settled();
    expect(ipt.calls).toEqual(['restore', 'restored', 'save', 'prepare']);
    expect(ipt.payloads).toHaveLength(2);
    expect(ipt.payloads[1]).toContain(`-X ${gone}\n`);
    expect(ipt.saves).toBe(2);
    // Someone deleted the PREROUTING jump and left a KUBE-SVC chain behind: repaired in a second restore.
    saved = savedWithJumps(':KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]\n').replace(/^-A PREROUTING .*\n/m, '');
    t = 2 * (FULL_SYNC_PERIOD_MS + 1);
    await p.sync();
    expect(ipt.payloads).toHaveLength(3);
    await p.settled();
    expect(ipt.payloads).toHaveLength(4);
    expect(ipt.payloads[3]).toBe(
      '*nat\n:KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]\n-X KUBE-SVC-AAAAAAAAAAAAAAAA\n-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\nCOMMIT\n',
    );
  });
  it('a failed drift audit does not fail settled(); the next sync is full', async () => {
    let t = 0;
    let saveFails = false;
    const ipt = fakeIptables(() => undefined, () => {
      if (saveFails) throw new Error('iptables-legacy-save failed (1): boom');
      return savedWithJumps();
    });
    const p = new IptablesProxier(ipt, host, { nodeName: 'n1', now: () => t });
    p.onService('default/web', svc('web'));
    await p.sync();
    saveFails = true;
    t = FULL_SYNC_PERIOD_MS + 1;
    await p.sync();
    await expect(p.settled()).resolves.toBeUndefined();
    saveFails = false;
    expect((await p.sync()).full).toBe(true);
    expect(ipt.payloads.at(-1)!.startsWith('*nat\n')).toBe(true);
  });
  it('driftRepairPayload: owned chains and chains of other kinds are left alone; filter jumps go in their own section', () => {
    const saved = savedWithJumps(':KUBE-SVC-OWNED - [0:0]\n:KUBE-SEP-DELETED - [0:0]\n:OTHER - [0:0]\n').replace(/^-A FORWARD .*KUBE-FORWARD\n/m, '');
    expect(driftRepairPayload(saved, ['KUBE-SVC-OWNED', 'KUBE-SEP-DELETED'], true)).toBe('*filter\n-I FORWARD 1 -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD\nCOMMIT\n');
    expect(driftRepairPayload(savedWithJumps(), [], true)).toBe('');
  });
  it('an hour after the last full sync, the next sync is full again (upstream FullSyncPeriod)', async () => {
    let t = 0;
    const p = new IptablesProxier(fakeIptables(() => undefined), host, { nodeName: 'n1', now: () => t });
    p.onService('default/web', svc('web'));
    expect((await p.sync()).full).toBe(true);
    t = FULL_SYNC_PERIOD_MS;
    expect((await p.sync()).full).toBe(false);
    t = FULL_SYNC_PERIOD_MS + 1;
    expect((await p.sync()).full).toBe(true);
  });
});
