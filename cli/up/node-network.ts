/**
 * Networking of a multi-node cluster on one machine: each node is a network namespace
 * (`<prefix>node-<i>`, prefix `k8ts-` by default) wired by a veth pair to a bridge (`k8ts-br0`, 10.250.0.1/24) in the
 * namespace `k8ts up` runs in, with address 10.250.0.<10+i> and pod CIDR 10.244.<i>.0/24.
 * Routing is host-gw: the bridge side routes each pod CIDR to its node, nodes route everything
 * else to the bridge. The plan is pure; `applyNodeNetwork` runs it with `ip`/`sysctl`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One node's place in the network. */
export interface NodeNetwork {
  name: string;
  netns: string;
  veth: string;
  ip: string;
  podCidr: string;
}

export const BRIDGE = 'k8ts-br0';
export const GATEWAY = '10.250.0.1';

/** The nodes of an `--nodes n` cluster; namespaces are named `<netnsPrefix>node-<i>`. Pure. */
export function planNodeNetwork(count: number, netnsPrefix = 'k8ts-'): NodeNetwork[] {
  return Array.from({ length: count }, (_, i) => ({ name: `k8ts-node-${i + 1}`, netns: `${netnsPrefix}node-${i + 1}`, veth: `k8ts-veth${i + 1}`, ip: `10.250.0.${11 + i}`, podCidr: `10.244.${i + 1}.0/24` }));
}

/** The commands that build the plan, in order (each `[cmd, ...args]`). Pure. */
export function networkCommands(nodes: readonly NodeNetwork[]): string[][] {
  const cmds: string[][] = [
    ['ip', 'link', 'add', BRIDGE, 'type', 'bridge'],
    ['ip', 'addr', 'add', `${GATEWAY}/24`, 'dev', BRIDGE],
    ['ip', 'link', 'set', BRIDGE, 'up'],
    ['sysctl', '-w', 'net.ipv4.ip_forward=1'],
  ];
  for (const n of nodes) {
    const inNs = (...args: string[]) => ['ip', 'netns', 'exec', n.netns, ...args];
    cmds.push(
      ['ip', 'netns', 'add', n.netns],
      ['ip', 'link', 'add', n.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n.netns],
      ['ip', 'link', 'set', n.veth, 'master', BRIDGE, 'up'],
      inNs('ip', 'link', 'set', 'lo', 'up'),
      inNs('ip', 'addr', 'add', `${n.ip}/24`, 'dev', 'eth0'),
      inNs('ip', 'link', 'set', 'eth0', 'up'),
      inNs('ip', 'route', 'add', 'default', 'via', GATEWAY),
      inNs('sysctl', '-w', 'net.ipv4.ip_forward=1'),
      ['ip', 'route', 'add', n.podCidr, 'via', n.ip],
    );
  }
  return cmds;
}

/** Builds the network; a failing command names itself. */
export async function applyNodeNetwork(nodes: readonly NodeNetwork[]): Promise<void> {
  for (const [cmd, ...args] of networkCommands(nodes)) {
    await run(cmd, args).catch((err: Error & { stderr?: string }) => {
      throw new Error(`${cmd} ${args.join(' ')}: ${err.stderr?.trim() || err.message}`);
    });
  }
}

/** Removes node namespaces (their veths go with them), pod routes and the bridge. Best effort. */
export async function removeNodeNetwork(netns: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const ns of netns) if (await run('ip', ['netns', 'del', ns]).then(() => true, () => false)) removed.push(`netns ${ns}`);
  return removed;
}

/** Runs `command` inside `netns` (nsenter keeps /sys and cgroups, unlike `ip netns exec`). */
export function inNetns(netns: string | undefined, command: string[]): string[] {
  return netns ? ['nsenter', `--net=/var/run/netns/${netns}`, ...command] : command;
}
