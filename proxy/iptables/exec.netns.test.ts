import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { detectIptables, hostExec, hostLaunch, type ExecResult } from './exec.ts';

const ns = `k8ts-test-${randomBytes(4).toString('hex')}`;
let canRun = true;
try {
  execFileSync('ip', ['netns', 'add', ns]);
} catch {
  canRun = false;
}

describe.skipIf(!canRun)('iptables processes started ahead (prepare)', () => {
  afterAll(() => {
    execFileSync('ip', ['netns', 'del', ns]);
  });
  const iptables = (...args: string[]) => execFileSync('nsenter', [`--net=/run/netns/${ns}`, 'iptables-legacy', ...args]).toString();

  it('the prepared save and restore act on the tables as they are when used, not when started', async () => {
    const ipt = await detectIptables(hostExec(ns), hostLaunch(ns));
    ipt.prepare();
    await new Promise((r) => setTimeout(r, 200)); // both processes are up and waiting by now
    iptables('-t', 'nat', '-N', 'K8TS-LATER');
    expect(await ipt.save('')).toMatch(/^:K8TS-LATER - \[0:0\]$/m);
    ipt.prepare();
    await new Promise((r) => setTimeout(r, 200));
    iptables('-t', 'nat', '-N', 'K8TS-TARGET');
    // Under --noflush, appending to and jumping to a chain needs the chains the table has then.
    await ipt.restore('*nat\n-A K8TS-LATER -j K8TS-TARGET\nCOMMIT\n');
    expect(iptables('-t', 'nat', '-S', 'K8TS-LATER')).toContain('-A K8TS-LATER -j K8TS-TARGET');
    await ipt.close();
  });
  it('close ends the prepared processes that were never used, each without touching the tables', async () => {
    const launch = hostLaunch(ns);
    const results: Array<Promise<ExecResult>> = [];
    const ipt = await detectIptables(hostExec(ns), (cmd, args) => {
      const c = launch(cmd, args);
      return { feed: c.feed, cancel: () => (results.push(c.cancel()), results.at(-1)!) };
    });
    const before = iptables('-t', 'nat', '-S');
    ipt.prepare();
    await ipt.close();
    expect(results).toHaveLength(2);
    const [restore, save] = await Promise.all(results);
    expect(restore!.code).toBe(0); // iptables-restore given no input
    expect(save!.code).not.toBe(0); // the held-back save never ran
    expect(iptables('-t', 'nat', '-S')).toBe(before);
  });
});
