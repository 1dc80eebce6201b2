/**
 * Removes the host networking a k8ts cluster created: the proxy's `KUBE-*` iptables chains
 * (first the jumps to them from built-in chains, then the chains), its nftables table, and the
 * CNI bridges. The iptables part is decided from `iptables-save` text by a pure function.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

const BUILTIN = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/** `iptables` argument lists that remove every KUBE-* chain of one table's save output. Pure. */
export function kubeChainCleanup(table: string, save: string): string[][] {
  const commands: string[][] = [];
  const chains: string[] = [];
  for (const line of save.split('\n')) {
    const chain = /^:(KUBE-\S+)/.exec(line);
    if (chain) chains.push(chain[1]);
    const rule = /^-A (\S+) (.*-j (KUBE-\S+).*)$/.exec(line);
    if (rule && BUILTIN.has(rule[1])) commands.push(['-t', table, '-D', rule[1], ...splitRule(rule[2])]);
  }
  for (const c of chains) commands.push(['-t', table, '-F', c]);
  for (const c of chains) commands.push(['-t', table, '-X', c]);
  return commands;
}

/** Splits an iptables-save rule into arguments, honouring double quotes. */
export function splitRule(rule: string): string[] {
  const out: string[] = [];
  for (const m of rule.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
  return out;
}

/** Best-effort removal; returns what it removed. */
export async function cleanupHostNetwork(bridges: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const binary of ['iptables', 'iptables-legacy']) {
    for (const table of ['nat', 'filter', 'mangle']) {
      const save = await run(`${binary}-save`, ['-t', table]).then((r) => r.stdout, () => '');
      for (const args of kubeChainCleanup(table, save)) {
        if (await run(binary, args).then(() => true, () => false)) removed.push(`${binary} ${args.join(' ')}`);
      }
    }
  }
  if (await run('nft', ['delete', 'table', 'ip', 'kube-proxy']).then(() => true, () => false)) removed.push('nft table ip kube-proxy');
  for (const bridge of bridges) if (await run('ip', ['link', 'del', bridge]).then(() => true, () => false)) removed.push(`bridge ${bridge}`);
  return removed;
}
