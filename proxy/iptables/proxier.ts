import type { Logger } from 'pino';
import type { PendingChange } from '../change-tracker.ts';
import type { EndpointInfo, ServicePortInfo } from '../model.ts';
import { ProxyState } from '../state.ts';
import type { EndpointSliceLike, ServiceLike } from '../types.ts';
import { cidrContains, matchesAllAddresses, selectNodePortIPs } from '../node-port-addresses.ts';
import { chainsInSave, type Iptables } from './exec.ts';
import { renderIptablesRules, withStaleChains } from './render.ts';
import { staleUdpEntries } from '../stale-udp.ts';

/** Jump rules from the built-in chains into kube-proxy's chains, as upstream installs them. */
export const JUMP_RULES: ReadonlyArray<{ table: string; chain: string; args: string[] }> = [
  { table: 'filter', chain: 'INPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes load balancer firewall', '-j', 'KUBE-PROXY-FIREWALL'] },
  { table: 'filter', chain: 'INPUT', args: ['-m', 'comment', '--comment', 'kubernetes health check service ports', '-j', 'KUBE-NODEPORTS'] },
  { table: 'filter', chain: 'INPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes externally-visible service portals', '-j', 'KUBE-EXTERNAL-SERVICES'] },
  { table: 'filter', chain: 'FORWARD', args: ['-m', 'comment', '--comment', 'kubernetes forwarding rules', '-j', 'KUBE-FORWARD'] },
  { table: 'filter', chain: 'FORWARD', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'] },
  { table: 'filter', chain: 'OUTPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'] },
  { table: 'nat', chain: 'OUTPUT', args: ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'] },
  { table: 'nat', chain: 'PREROUTING', args: ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'] },
  { table: 'nat', chain: 'POSTROUTING', args: ['-m', 'comment', '--comment', 'kubernetes postrouting rules', '-j', 'KUBE-POSTROUTING'] },
];

/** Side effects besides iptables; injected (tests pass fakes). */
export interface ProxierHost {
  /** Write a sysctl such as net/ipv4/conf/all/route_localnet. */
  setSysctl(name: string, value: string): Promise<void>;
  /** `conntrack -D -p udp --orig-dst <serviceIP> --dst-nat <endpointIP>` for a removed UDP endpoint. */
  clearUdpConntrack(serviceIP: string, endpointIP: string): Promise<void>;
  /**
   * The host's local IPv4 addresses, read at every sync when --nodeport-addresses restricts
   * NodePorts (upstream GetNodeIPs). Optional: without it no address matches.
   */
  localAddresses?(): Promise<string[]>;
}

/** Options of the iptables proxier. */
export interface IptablesProxierOptions {
  nodeName: string;
  clusterCIDR?: string;
  masqueradeAll?: boolean;
  /**
   * --nodeport-addresses with `primary` already resolved: NodePorts answer only on local IPv4
   * addresses inside these CIDRs. Empty/undefined (or a /0) = every local address.
   */
  nodePortAddresses?: readonly string[];
  logger?: Logger;
}

/** Outcome of one sync. */
export interface SyncResult {
  full: boolean;
  natRules: number;
  filterRules: number;
  payloadBytes: number;
}

/**
 * The iptables proxier: feed Service and EndpointSlice events, call `sync()` (from a
 * BoundedFrequencyRunner). A sync is full the first time, after a failure, and when the canary
 * chain `KUBE-PROXY-CANARY` (mangle) has vanished (someone flushed the tables); otherwise it is
 * partial and rewrites only the chains of services whose ports or endpoints changed.
 */
export class IptablesProxier {
  private readonly state: ProxyState;
  private needFullSync = true;
  private activeChains: string[] = [];
  private initialized = false;
  private nodePortIPsNow: string[] | undefined;

  constructor(
    private readonly iptables: Iptables,
    private readonly host: ProxierHost,
    private readonly options: IptablesProxierOptions,
  ) {
    this.state = new ProxyState(options.nodeName);
  }

  /** Record a Service add/update (`svc`) or delete (`undefined`). */
  onService(key: string, svc: ServiceLike | undefined): boolean {
    return this.state.onService(key, svc);
  }

  /** Record an EndpointSlice add/update or delete. */
  onEndpointSlice(slice: EndpointSliceLike, deleted = false): boolean {
    return this.state.onEndpointSlice(slice, deleted);
  }

  /** Local addresses NodePorts answer on after the last sync; undefined = every local address. */
  get nodePortIPs(): readonly string[] | undefined {
    return this.nodePortIPsNow;
  }

  /** Program iptables from the current state. Throws on failure; the next sync is then full. */
  async sync(): Promise<SyncResult> {
    const log = this.options.logger;
    // The first sync's sysctls run while the payload is rendered and restored.
    const sysctls = this.initialized ? undefined : this.setSysctls();
    sysctls?.catch(() => undefined); // awaited below; this only keeps an early rejection from going unhandled
    // A full sync is due anyway: no need to look for the canary first.
    if (!this.needFullSync && (await this.iptables.run('mangle', ['-S', 'KUBE-PROXY-CANARY'])) !== 0) this.needFullSync = true;
    const cidrs = this.options.nodePortAddresses ?? [];
    const nodePortIPs = matchesAllAddresses(cidrs) ? undefined : (selectNodePortIPs(cidrs, (await this.host.localAddresses?.()) ?? []) ?? []);
    const { all, changedPorts, endpointChanges: epChanges, servicePorts } = this.state.drain();
    const full = this.needFullSync;
    this.needFullSync = true;
    try {
      // Only a full sync reads the tables back (one iptables-save, running while the rules are
      // rendered); a partial one trusts what the last restore created. Jump rules and the canary
      // ride in the same restore: one process per sync.
      const saving = full ? this.iptables.save('') : undefined;
      saving?.catch(() => undefined);
      const rules = renderIptablesRules(all, {
        clusterCIDR: this.options.clusterCIDR,
        masqueradeAll: this.options.masqueradeAll,
        changedServices: full ? undefined : changedPorts,
        existingNatChains: full ? undefined : this.activeChains,
        nodePortIPs,
      });
      const saved = saving ? await saving : '';
      if (full) rules.nat = withStaleChains(rules.nat, chainsInSave(sectionOf(saved, 'nat')), rules.activeNatChains);
      const payload = rules.filter + rules.nat + (full ? missingJumpsPayload(saved) : '');
      await Promise.all([this.iptables.restore(payload), sysctls]);
      this.initialized = true;
      this.needFullSync = false;
      this.activeChains = rules.activeNatChains;
      this.nodePortIPsNow = nodePortIPs;
      await this.clearStaleUdp(epChanges, servicePorts);
      log?.info({ full, backend: this.iptables.backend, natRules: rules.natRules, bytes: payload.length }, 'synced iptables rules');
      return { full, natRules: rules.natRules, filterRules: rules.filterRules, payloadBytes: payload.length };
    } catch (err) {
      log?.error({ err, backend: this.iptables.backend }, 'iptables sync failed; next sync is full');
      throw err;
    }
  }

  /** route_localnet only when NodePorts may answer on 127.0.0.1 (upstream localhostNodePorts). */
  private async setSysctls(): Promise<void> {
    const cidrs = this.options.nodePortAddresses ?? [];
    const localhost = matchesAllAddresses(cidrs) || cidrs.some((c) => cidrContains(c, '127.0.0.1'));
    await Promise.all([
      localhost ? this.host.setSysctl('net/ipv4/conf/all/route_localnet', '1') : undefined,
      this.host.setSysctl('net/ipv4/ip_forward', '1'),
    ]);
  }

  private async clearStaleUdp(
    changes: Map<string, PendingChange<Map<string, EndpointInfo[]>>>,
    servicePorts: ReadonlyMap<string, Map<string, ServicePortInfo>>,
  ): Promise<void> {
    for (const e of staleUdpEntries(changes, servicePorts)) await this.host.clearUdpConntrack(e.serviceIP, e.endpointIP).catch(() => undefined);
  }
}

/** The lines of one table in iptables-save output. */
export function sectionOf(saved: string, table: string): string {
  const start = saved.indexOf(`*${table}\n`);
  if (start < 0) return '';
  const end = saved.indexOf('\nCOMMIT', start);
  return saved.slice(start, end < 0 ? undefined : end);
}

function quoteArg(a: string): string {
  return /[\s"]/.test(a) ? `"${a}"` : a;
}

/**
 * Restore sections inserting the jump rules missing from `saved` (iptables-save of every table)
 * and declaring the mangle canary chain. Chains are declared by the main payload before them.
 */
export function missingJumpsPayload(saved: string): string {
  const byTable = new Map<string, string[]>();
  for (const j of JUMP_RULES) {
    const comment = j.args[j.args.indexOf('--comment') + 1]!;
    const target = j.args.at(-1)!;
    const present = sectionOf(saved, j.table)
      .split('\n')
      .some((l) => l.startsWith(`-A ${j.chain} `) && l.includes(comment) && l.endsWith(`-j ${target}`));
    if (present) continue;
    const lines = byTable.get(j.table) ?? [];
    lines.push(`-I ${j.chain} 1 ${j.args.map(quoteArg).join(' ')}`);
    byTable.set(j.table, lines);
  }
  let out = '';
  for (const [table, lines] of byTable) out += `*${table}\n${lines.reverse().join('\n')}\nCOMMIT\n`;
  return out + '*mangle\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n';
}
