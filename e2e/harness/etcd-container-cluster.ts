/**
 * A 3-member (or n-member) etcd cluster in containers, started with testcontainers on a podman
 * bridge network with fixed addresses (the initial cluster must name its peers up front), plus
 * the faults HA tests inject:
 * - `kill()` / `start()`: SIGKILL the member's container, later start it again with its data;
 * - `partition()` / `heal()`: drop the member's peer traffic (TCP 2380, both directions) with
 *   iptables inside the member's own network namespace — its clients can still reach it, so
 *   it becomes the nastiest kind of member: reachable, but without a leader;
 * - `blackhole()` / `unblackhole()`: drop all its TCP traffic (a frozen host: no RST, no ICMP);
 * - `watchers()`: open watches per member (etcd's metrics), to aim a fault at the apiservers' watches;
 * - `status()` / `hashKv()`: `etcdctl` inside a member, for leader, revision and consistency.
 *
 * Needs a `PodmanInNetns` (the network and containers live in its namespace) and the image from
 * `loadEtcdImage`.
 */
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import type { PodmanInNetns } from './podman-in-netns.ts';

/** One member as the test sees it. */
export interface EtcdMember {
  /** etcd member name (`m0` …) and container name. */
  name: string;
  containerName: string;
  ip: string;
  /** `http://IP:2379` */
  clientUrl: string;
  container: StartedTestContainer;
  /** SIGKILL the container (its data stays). */
  kill(): Promise<void>;
  /** Start the killed container again and wait until the member reports healthy. */
  start(timeoutMs?: number): Promise<void>;
  /** Cut the member's peer traffic (both directions); clients still reach it. */
  partition(): Promise<void>;
  /** Undo `partition()`. */
  heal(): Promise<void>;
  /** Silently drop every TCP packet in and out of the member (a frozen host: no RST, no ICMP). */
  blackhole(): Promise<void>;
  /** Undo `blackhole()`. */
  unblackhole(): Promise<void>;
}

/** `etcdctl endpoint status` for one member. */
export interface EtcdMemberStatus {
  endpoint: string;
  memberId: string;
  leaderId: string;
  revision: number;
  raftIndex: number;
}

export interface EtcdContainerCluster {
  network: string;
  members: EtcdMember[];
  /** Comma-separated client URLs of all members (for `--etcd-servers`). */
  clientUrls: string;
  /** Status of every reachable member, asked from inside `via` (default: the first running member). */
  status(via?: EtcdMember): Promise<EtcdMemberStatus[]>;
  /** `etcdctl endpoint hashkv --cluster` at the current revision: endpoint → hash. */
  hashKv(via?: EtcdMember): Promise<Record<string, number>>;
  /** Open watchers per member name (etcd's `etcd_debugging_mvcc_watcher_total`; unreachable members absent). */
  watchers(): Promise<Record<string, number>>;
}

export interface StartEtcdClusterOptions {
  podman: PodmanInNetns;
  image: string;
  /** Unique prefix for the network and container names. */
  prefix: string;
  size?: number;
  /** First three octets of the network's /24 (default `10.89.77`; it exists only inside the test's namespace). */
  subnetPrefix?: string;
}

/** The members' fixed addresses: `<subnetPrefix>.10`, `.11`, …; pure. */
export function etcdMemberIps(subnetPrefix: string, size: number): string[] {
  return Array.from({ length: size }, (_, i) => `${subnetPrefix}.${10 + i}`);
}

/** The etcd flags of member `index` in a cluster of `ips`; pure. */
export function etcdMemberArgs(index: number, ips: string[], clusterToken: string): string[] {
  const name = `m${index}`;
  const ip = ips[index]!;
  return [
    '--name', name,
    '--data-dir', '/var/lib/etcd/data',
    '--listen-client-urls', 'http://0.0.0.0:2379',
    '--advertise-client-urls', `http://${ip}:2379`,
    '--listen-peer-urls', 'http://0.0.0.0:2380',
    '--initial-advertise-peer-urls', `http://${ip}:2380`,
    '--initial-cluster', ips.map((p, i) => `m${i}=http://${p}:2380`).join(','),
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', clusterToken,
    '--heartbeat-interval', '100',
    '--election-timeout', '1000',
    // etcd 3.5's default, off in the 3.4 image: a member cut off and back (a healed partition)
    // first asks whether it could win before it disrupts the leader with a higher term.
    '--pre-vote=true',
  ];
}

/** iptables rule specs that cut etcd peer traffic (TCP 2380) in both directions; pure. */
export function peerPartitionRules(): string[][] {
  const rules: string[][] = [];
  for (const chain of ['INPUT', 'OUTPUT']) for (const port of ['--dport', '--sport']) rules.push([chain, '-p', 'tcp', port, '2380', '-j', 'DROP']);
  return rules;
}

/** Starts all members concurrently and waits until each serves clients. */
export async function startEtcdContainerCluster(options: StartEtcdClusterOptions): Promise<EtcdContainerCluster> {
  const { podman, prefix } = options;
  const size = options.size ?? 3;
  const subnet = options.subnetPrefix ?? '10.89.77';
  const network = `${prefix}-net`;
  await podman.remote(['network', 'create', '--disable-dns', '--subnet', `${subnet}.0/24`, network]);
  const ips = etcdMemberIps(subnet, size);
  const started = await Promise.all(
    ips.map((ip, i) =>
      new StaticIpContainer(options.image, network, ip)
        .withName(`${prefix}-m${i}`)
        .withCommand(etcdMemberArgs(i, ips, prefix))
        .withWaitStrategy(Wait.forLogMessage(/ready to serve client requests/))
        .withStartupTimeout(60_000)
        .start(),
    ),
  );
  const members = started.map((container, i) => member(podman, container, `m${i}`, `${prefix}-m${i}`, ips[i]!));
  const running = async () => {
    for (const m of members) if ((await podman.remote(['inspect', '--format', '{{.State.Running}}', m.containerName]).catch(() => '')).trim() === 'true') return m;
    throw new Error('no etcd member is running');
  };
  const etcdctl = async (via: EtcdMember | undefined, args: string[]) => {
    const m = via ?? (await running());
    const res = await m.container.exec(['/usr/bin/etcdctl', '--endpoints', members.map((x) => x.clientUrl).join(','), '--command-timeout', '3s', '-w', 'json', ...args]);
    return res.output;
  };
  return {
    network,
    members,
    clientUrls: members.map((m) => m.clientUrl).join(','),
    async status(via) {
      return parseEndpointStatus(await etcdctl(via, ['endpoint', 'status']));
    },
    async watchers() {
      // The test process is outside the namespace: a one-shot node inside it reads the metrics.
      const script = `const urls=${JSON.stringify(members.map((m) => [m.name, `${m.clientUrl}/metrics`]))};const out={};await Promise.all(urls.map(async([n,u])=>{try{const t=await (await fetch(u,{signal:AbortSignal.timeout(3000)})).text();out[n]=Number(/^etcd_debugging_mvcc_watcher_total (\\S+)$/m.exec(t)?.[1]??NaN)}catch{}}));console.log(JSON.stringify(out))`;
      return JSON.parse(await podman.execInNetns(process.execPath, ['--input-type=module', '-e', script])) as Record<string, number>;
    },
    async hashKv(via) {
      const out = await etcdctl(via, ['endpoint', 'hashkv']);
      const result: Record<string, number> = {};
      for (const e of jsonArray(out) as Array<{ Endpoint: string; HashKV: { hash: number } }>) result[e.Endpoint] = e.HashKV.hash;
      return result;
    },
  };
}

/** Parses `etcdctl -w json endpoint status` (unreachable members are simply absent); pure. */
export function parseEndpointStatus(output: string): EtcdMemberStatus[] {
  return (jsonArray(output) as Array<{ Endpoint: string; Status: { header: { member_id: number | string; revision: number }; leader: number | string; raftIndex: number } }>).map((e) => ({
    endpoint: e.Endpoint,
    memberId: String(e.Status.header.member_id),
    leaderId: String(e.Status.leader),
    revision: Number(e.Status.header.revision),
    raftIndex: Number(e.Status.raftIndex),
  }));
}

/** The first JSON array in `output` (etcdctl prints errors for unreachable endpoints around it). */
function jsonArray(output: string): unknown[] {
  const start = output.indexOf('[');
  const end = output.lastIndexOf(']');
  if (start < 0 || end < start) return [];
  // etcd member ids exceed 2^53: keep them exact by quoting before JSON.parse.
  return JSON.parse(output.slice(start, end + 1).replace(/"(member_id|leader|cluster_id)":(\d+)/g, '"$1":"$2"')) as unknown[];
}

function member(podman: PodmanInNetns, container: StartedTestContainer, name: string, containerName: string, ip: string): EtcdMember {
  const iptables = async (op: '-I' | '-D', rules: string[][]) => {
    const pid = Number((await podman.remote(['inspect', '--format', '{{.State.Pid}}', containerName])).trim());
    if (!(pid > 0)) throw new Error(`${containerName} is not running`);
    for (const [chain, ...spec] of rules) await podman.execInNetnsOf(pid, 'iptables', [op, chain!, ...spec]);
  };
  const allTcp = [['INPUT', '-p', 'tcp', '-j', 'DROP'], ['OUTPUT', '-p', 'tcp', '-j', 'DROP']];
  return {
    name,
    containerName,
    ip,
    clientUrl: `http://${ip}:2379`,
    container,
    async kill() {
      await podman.remote(['kill', '--signal', 'KILL', containerName]);
      await podman.remote(['wait', containerName], 20_000).catch(() => undefined);
    },
    async start(timeoutMs = 30_000) {
      await podman.remote(['start', containerName]);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await container.exec(['/usr/bin/etcdctl', '--endpoints', 'http://127.0.0.1:2379', '--command-timeout', '2s', 'endpoint', 'health']).catch(() => undefined);
        if (res?.exitCode === 0) return;
        if (Date.now() > deadline) throw new Error(`${name} not healthy ${timeoutMs} ms after start: ${res?.output ?? ''}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    partition: () => iptables('-I', peerPartitionRules()),
    heal: () => iptables('-D', peerPartitionRules()),
    blackhole: () => iptables('-I', allTcp),
    unblackhole: () => iptables('-D', allTcp),
  };
}

/** A GenericContainer with a fixed address on a podman network (Docker API `IPAMConfig`). */
class StaticIpContainer extends GenericContainer {
  constructor(image: string, network: string, ip: string) {
    super(image);
    this.withNetworkMode(network);
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: ip } } } };
  }
}
