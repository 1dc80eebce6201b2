import type { Logger } from 'pino';
import type { PendingChange } from '../change-tracker.ts';
import type { EndpointInfo, ServicePortInfo } from '../model.ts';
import { ProxyState, type ProxySnapshot } from '../state.ts';
import type { EndpointSliceLike, ServiceLike } from '../types.ts';
import { cidrContains, matchesAllAddresses, selectNodePortIPs } from '../node-port-addresses.ts';
import { IPTABLES_CHAIN_NAMING } from './chain-names.ts';
import { chainsInSave, type Iptables } from './exec.ts';
import { renderNatChunks, staleNatChains, type IptablesRenderSummary } from './render.ts';
import { staleUdpEntries } from '../stale-udp.ts';

/**
 * Jump rules from the built-in chains into kube-proxy's chains, in the order upstream's
 * EnsureRule(Prepend) calls leave them in each built-in chain. `localhost` ones (the kubelet's
 * KUBE-FIREWALL, which upstream duplicates) only when NodePorts answer on 127.0.0.0/8.
 */
export const JUMP_RULES: ReadonlyArray<{ table: string; chain: string; args: string[]; localhost?: true }> = [
  { table: 'filter', chain: 'INPUT', args: ['-j', 'KUBE-FIREWALL'], localhost: true },
  { table: 'filter', chain: 'INPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes load balancer firewall', '-j', 'KUBE-PROXY-FIREWALL'] },
  { table: 'filter', chain: 'INPUT', args: ['-m', 'comment', '--comment', 'kubernetes health check service ports', '-j', 'KUBE-NODEPORTS'] },
  { table: 'filter', chain: 'INPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes externally-visible service portals', '-j', 'KUBE-EXTERNAL-SERVICES'] },
  { table: 'filter', chain: 'FORWARD', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes load balancer firewall', '-j', 'KUBE-PROXY-FIREWALL'] },
  { table: 'filter', chain: 'FORWARD', args: ['-m', 'comment', '--comment', 'kubernetes forwarding rules', '-j', 'KUBE-FORWARD'] },
  { table: 'filter', chain: 'FORWARD', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'] },
  { table: 'filter', chain: 'FORWARD', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes externally-visible service portals', '-j', 'KUBE-EXTERNAL-SERVICES'] },
  { table: 'filter', chain: 'OUTPUT', args: ['-j', 'KUBE-FIREWALL'], localhost: true },
  { table: 'filter', chain: 'OUTPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes load balancer firewall', '-j', 'KUBE-PROXY-FIREWALL'] },
  { table: 'filter', chain: 'OUTPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'] },
  { table: 'nat', chain: 'OUTPUT', args: ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'] },
  { table: 'nat', chain: 'PREROUTING', args: ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'] },
  { table: 'nat', chain: 'POSTROUTING', args: ['-m', 'comment', '--comment', 'kubernetes postrouting rules', '-j', 'KUBE-POSTROUTING'] },
];

/**
 * Opens every partial restore: flushing the (empty) mangle canary chain fails when someone has
 * deleted it, i.e. flushed the tables, and the restore then stops before touching anything. This
 * replaces a separate `iptables -S KUBE-PROXY-CANARY` probe (one process less per sync).
 */
export const CANARY_CHECK = '*mangle\n-F KUBE-PROXY-CANARY\nCOMMIT\n';

/** Side effects besides iptables; injected (tests pass fakes). */
export interface ProxierHost {
  /** Write a sysctl such as net/ipv4/conf/all/route_localnet. */
  setSysctl(name: string, value: string): Promise<void>;
  /** Several sysctls at once (one process instead of one each); optional, else setSysctl per entry. */
  setSysctls?(values: ReadonlyArray<readonly [name: string, value: string]>): Promise<void>;
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
  /** The node's IP (loadBalancerSourceRanges containing it admit the LB IPs as sources, as upstream). */
  nodeIP?: string;
  /** The node's `topology.kubernetes.io/zone` at start (see {@link IptablesProxier.onNodeZone}). */
  zone?: string;
  /** Milliseconds clock (tests); a full sync is forced when the last one is older than {@link FULL_SYNC_PERIOD_MS}. */
  now?: () => number;
  logger?: Logger;
}

/** Upstream proxyutil.FullSyncPeriod: even without failures, every sync after this long is a full one. */
export const FULL_SYNC_PERIOD_MS = 3_600_000;

/** Outcome of one sync. */
export interface SyncResult {
  full: boolean;
  natRules: number;
  filterRules: number;
  payloadBytes: number;
}

/**
 * The iptables proxier: feed Service and EndpointSlice events, call `sync()` (from a
 * BoundedFrequencyRunner). A sync is full the first time and after a failure; otherwise it is
 * partial and rewrites only the chains of services whose ports or endpoints changed. A partial
 * restore first checks the mangle canary chain `KUBE-PROXY-CANARY` ({@link CANARY_CHECK}); when
 * it is gone (someone flushed the tables), or the partial restore fails for any other reason,
 * the same sync goes on with a full one.
 *
 * The payload is streamed into one `iptables-restore` process as it is rendered (nat first, then
 * filter; a full sync inserts the missing jump rules at the end of each and declares the canary),
 * so the tool parses while JavaScript still renders; a full sync's `iptables-save` runs meanwhile.
 *
 * Some work is left for the idle time after a sync ({@link IptablesProxier.settled}), as starting
 * a process or reading the tables back beside the tool slows the tool down on a small machine:
 * - the hourly full sync's drift audit: an `iptables-save` once its restore has committed,
 *   repaired in a second restore only when something drifted (a lost jump rule, an unowned chain);
 * - starting the next sync's restore and save processes ({@link Iptables.prepare}).
 * The next sync waits for it first; the runner leaves at least --min-sync-period between syncs.
 * Call {@link IptablesProxier.setup} once before the first sync, and `close()` when done.
 */
export class IptablesProxier {
  private readonly state: ProxyState;
  private needFullSync = true;
  private zone: string | undefined;
  private lastFullSync = Number.NEGATIVE_INFINITY;
  private activeChains: string[] = [];
  private nodePortIPsNow: string[] | undefined;
  private readonly localhostNodePorts: boolean;
  private settling: Promise<void> = Promise.resolve();

  constructor(
    private readonly iptables: Iptables,
    private readonly host: ProxierHost,
    private readonly options: IptablesProxierOptions,
  ) {
    this.state = new ProxyState(options.nodeName, IPTABLES_CHAIN_NAMING);
    const cidrs = options.nodePortAddresses ?? [];
    this.localhostNodePorts = matchesAllAddresses(cidrs) || cidrs.some((c) => cidrContains(c, '127.0.0.1'));
    this.zone = options.zone;
  }

  /**
   * Upstream NewProxier's sysctls, set once before the first sync: ip_forward, and route_localnet
   * only when NodePorts may answer on 127.0.0.1 (upstream localhostNodePorts). Throws when one
   * cannot be set.
   */
  async setup(): Promise<void> {
    this.iptables.prepare();
    await applySysctls(this.host, [...(this.localhostNodePorts ? [['net/ipv4/conf/all/route_localnet', '1'] as const] : []), ['net/ipv4/ip_forward', '1']]);
  }

  /** Wait for the work the last sync left for idle time, then end the processes started ahead ({@link Iptables.prepare}). */
  async close(): Promise<void> {
    await this.settling;
    await this.iptables.close();
  }

  /**
   * Resolves once the work the last sync left for idle time is done: a periodic sync's drift
   * audit, and starting the next sync's processes. Never rejects: a failed audit makes the next
   * sync a full one.
   */
  settled(): Promise<void> {
    return this.settling;
  }

  /** Record a Service add/update (`svc`) or delete (`undefined`). */
  onService(key: string, svc: ServiceLike | undefined): boolean {
    return this.state.onService(key, svc);
  }

  /** Record an EndpointSlice add/update or delete. */
  onEndpointSlice(slice: EndpointSliceLike, deleted = false): boolean {
    return this.state.onEndpointSlice(slice, deleted);
  }

  /** Record the node's zone label; a change makes the next sync full (every service's zone-hinted endpoints may change). */
  onNodeZone(zone: string | undefined): boolean {
    if (zone === this.zone) return false;
    this.zone = zone;
    this.needFullSync = true;
    return true;
  }

  /** Local addresses NodePorts answer on after the last sync; undefined = every local address. */
  get nodePortIPs(): readonly string[] | undefined {
    return this.nodePortIPsNow;
  }

  /** Program iptables from the current state. Throws on failure; the next sync is then full. */
  async sync(): Promise<SyncResult> {
    await this.settling;
    const log = this.options.logger;
    const cidrs = this.options.nodePortAddresses ?? [];
    const nodePortIPs = matchesAllAddresses(cidrs) ? undefined : (selectNodePortIPs(cidrs, (await this.host.localAddresses?.()) ?? []) ?? []);
    // Drained once, lazily: the restore process is spawned first and starts up meanwhile.
    let drained: ProxySnapshot | undefined;
    const snapshot = () => (drained ??= this.state.drain());
    let result: SyncResult;
    let periodic = false;
    try {
      const now = this.options.now ?? Date.now;
      if (this.needFullSync) result = await this.restore(snapshot, 'full', nodePortIPs);
      else if (now() - this.lastFullSync > FULL_SYNC_PERIOD_MS) {
        periodic = true;
        result = await this.restore(snapshot, 'periodic', nodePortIPs);
      } else {
        try {
          result = await this.restore(snapshot, 'partial', nodePortIPs);
        } catch (err) {
          const canaryGone = /line [1-3] failed/.test(String(err));
          log?.warn({ err, backend: this.iptables.backend, canaryGone }, canaryGone ? 'iptables canary chain gone (tables flushed); doing a full sync' : 'partial iptables sync failed; doing a full sync');
          result = await this.restore(snapshot, 'full', nodePortIPs);
        }
      }
    } catch (err) {
      this.needFullSync = true;
      log?.error({ err, backend: this.iptables.backend }, 'iptables sync failed; next sync is full');
      throw err;
    } finally {
      this.settling = this.settle(periodic);
    }
    if (result.full) this.lastFullSync = (this.options.now ?? Date.now)();
    this.nodePortIPsNow = nodePortIPs;
    const { endpointChanges, servicePorts } = snapshot();
    await this.clearStaleUdp(endpointChanges, servicePorts);
    log?.info({ full: result.full, backend: this.iptables.backend, natRules: result.natRules, bytes: result.payloadBytes }, 'synced iptables rules');
    return result;
  }

  /**
   * One `iptables-restore`: `partial` rewrites only the chains of the ports `snapshot` says
   * changed; `full` and `periodic` rewrite every chain. A `full` sync (the first, or after a
   * failure: the tables are not known) reads them back with one iptables-save, running while it
   * renders, and puts the stale chains' deletion and the missing jump rules into its nat and
   * filter sections. A `periodic` one (the last sync succeeded, so the chains are known) deletes
   * the chains it knows to be stale; its drift audit follows in idle time ({@link settle}).
   */
  private async restore(snapshot: () => ProxySnapshot, kind: 'full' | 'periodic' | 'partial', nodePortIPs: string[] | undefined): Promise<SyncResult> {
    const summary: IptablesRenderSummary = { filter: '', natRules: 0, filterRules: 0, activeNatChains: [] };
    const full = kind !== 'partial';
    const known = this.activeChains;
    let bytes = 0;
    let saving: Promise<string> | undefined;
    const payload = async function* (this: IptablesProxier): AsyncGenerator<string> {
      const out = (chunk: string) => ((bytes += chunk.length), chunk);
      if (!full) yield out(CANARY_CHECK);
      const { all, changedPorts } = snapshot();
      const render = { clusterCIDR: this.options.clusterCIDR, masqueradeAll: this.options.masqueradeAll, changedServices: full ? undefined : changedPorts, nodePortIPs, localhostNodePorts: this.localhostNodePorts, nodeIP: this.options.nodeIP, zone: this.zone };
      for (const chunk of renderNatChunks(all, render, summary)) {
        yield out(chunk);
        // The restore process is the long pole: it gets its first chunk before iptables-save
        // starts (which blocks this thread for a few milliseconds when no save was prepared).
        if (kind === 'full' && !saving) {
          saving = this.iptables.save('');
          saving.catch(() => undefined); // awaited below; this only keeps an early rejection from going unhandled
        }
      }
      const fixes =
        kind === 'full' ? tableFixes(await saving!, summary.activeNatChains, this.localhostNodePorts) : { stale: staleNatChains(known, summary.activeNatChains), jumps: NO_JUMPS };
      const filter = summary.filter.slice(0, -'COMMIT\n'.length) + fixes.jumps.filter + 'COMMIT\n';
      yield out(fixes.stale + fixes.jumps.nat + 'COMMIT\n' + filter + (full ? CANARY_DECLARATION : ''));
    }.call(this);
    this.needFullSync = true;
    await this.iptables.restore(payload);
    this.needFullSync = false;
    this.activeChains = summary.activeNatChains;
    return { full, natRules: summary.natRules, filterRules: summary.filterRules, payloadBytes: bytes };
  }

  /**
   * The work a sync leaves for idle time, once its caller has its result: after a periodic sync,
   * the drift audit ({@link auditDrift}); then starting the next sync's processes. Never rejects.
   */
  private async settle(audit: boolean): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (audit && !this.needFullSync) {
      try {
        await this.auditDrift();
      } catch (err) {
        this.needFullSync = true;
        this.options.logger?.error({ err, backend: this.iptables.backend }, 'iptables drift audit failed; next sync is full');
      }
    }
    this.iptables.prepare();
  }

  /**
   * Read the tables back after a periodic sync and repair drift in a second, small restore when
   * there is any: a jump rule someone removed, a per-service chain nobody owns.
   */
  private async auditDrift(): Promise<void> {
    const repair = driftRepairPayload(await this.iptables.save(''), this.activeChains, this.localhostNodePorts);
    if (repair === '') return;
    this.options.logger?.warn({ backend: this.iptables.backend, repair }, 'iptables rules drifted since the last sync (missing jump rules or unowned chains); repairing');
    await this.iptables.restore(repair);
  }

  private async clearStaleUdp(
    changes: Map<string, PendingChange<Map<string, EndpointInfo[]>>>,
    servicePorts: ReadonlyMap<string, Map<string, ServicePortInfo>>,
  ) {
    for (const e of staleUdpEntries(changes, servicePorts)) await this.host.clearUdpConntrack(e.serviceIP, e.endpointIP).catch(() => undefined);
  }
}

/** Set `values` through `host`, in one call when it can batch them. */
export async function applySysctls(host: ProxierHost, values: ReadonlyArray<readonly [string, string]>): Promise<void> {
  if (host.setSysctls) await host.setSysctls(values);
  else await Promise.all(values.map(([name, value]) => host.setSysctl(name, value)));
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

const NO_JUMPS = { nat: '', filter: '' };

/**
 * What `saved` (iptables-save of every table) says a restore must fix: `stale`, the lines
 * deleting its per-service nat chains that are not in `owned`, and `jumps`, the missing jump
 * rules per table ({@link missingJumpLines}). Pure.
 */
function tableFixes(saved: string, owned: readonly string[], localhostNodePorts: boolean): { stale: string; jumps: { nat: string; filter: string } } {
  return { stale: staleNatChains(chainsInSave(sectionOf(saved, 'nat')), owned), jumps: missingJumpLines(saved, localhostNodePorts) };
}

/**
 * What a periodic full sync still has to fix after its restore, given `saved` (an iptables-save
 * taken after its commit): the jump rules missing from it, and the per-service nat chains in it
 * that are not in `owned` (the chains active now). '' when nothing drifted. Pure.
 */
export function driftRepairPayload(saved: string, owned: readonly string[], localhostNodePorts: boolean): string {
  const { stale, jumps } = tableFixes(saved, owned, localhostNodePorts);
  return (stale + jumps.nat === '' ? '' : `*nat\n${stale}${jumps.nat}COMMIT\n`) + (jumps.filter === '' ? '' : `*filter\n${jumps.filter}COMMIT\n`);
}

/** Rule lines of the built-in chains the jump rules live in, in iptables-save output. */
const BUILT_IN_RULE = /^-A (?:PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) .*$/gm;

/** Ends every full restore: declares the mangle canary chain that partial restores check ({@link CANARY_CHECK}). */
export const CANARY_DECLARATION = '*mangle\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n';

/**
 * The `-I` lines inserting the jump rules missing from `saved` (iptables-save of every table), per
 * table, each line ending in a newline. They go inside that table's section of the main payload,
 * after its chains are declared, so each table is committed once (a second nat section would make
 * the tool read back, recompile and replace the whole nat table again). The KUBE-FIREWALL jumps
 * only when `localhostNodePorts` (the payload then declares the chain). Pure.
 */
export function missingJumpLines(saved: string, localhostNodePorts = true): { nat: string; filter: string } {
  const lines: Record<string, string[]> = { nat: [], filter: [] };
  // Only the built-in chains' rules can be jumps: one regex pass picks them out of a table whose
  // save output is megabytes of per-service chains.
  const builtIn = (table: string) => sectionOf(saved, table).match(BUILT_IN_RULE) ?? [];
  const sections = { nat: builtIn('nat'), filter: builtIn('filter') };
  for (const j of JUMP_RULES) {
    if (j.localhost && !localhostNodePorts) continue;
    const table = j.table as 'nat' | 'filter';
    const at = j.args.indexOf('--comment');
    const comment = at < 0 ? undefined : j.args[at + 1]!;
    const target = j.args.at(-1)!;
    const present = sections[table].some((l) => l.startsWith(`-A ${j.chain} `) && (comment === undefined ? l === `-A ${j.chain} -j ${target}` : l.includes(comment)) && l.endsWith(`-j ${target}`));
    if (!present) lines[table]!.push(`-I ${j.chain} 1 ${j.args.map(quoteArg).join(' ')}\n`);
  }
  // Each is inserted at position 1, so the last inserted ends up first: reverse the upstream order.
  return { nat: lines['nat']!.reverse().join(''), filter: lines['filter']!.reverse().join('') };
}
