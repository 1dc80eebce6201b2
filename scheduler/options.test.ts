import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../pkg/util/process.ts';
import { parseSchedulerConfig } from './options.ts';

const dir = mkdtempSync(join(tmpdir(), 'sched-opts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('k8ts scheduler flags', () => {
  it.each([
    { argv: ['--kubeconfig', 'k'], expected: { kubeconfig: 'k', leaderElect: true, leaseName: 'kube-scheduler', leaseNamespace: 'kube-system', port: 10259, qps: 50, burst: 100, leaseDurationMs: 15_000 } },
    { argv: ['--kubeconfig', 'k', '--leader-elect=false', '--kube-api-qps', '200', '--kube-api-burst', '400'], expected: { leaderElect: false, qps: 200, burst: 400 } },
    { argv: ['--kubeconfig', 'k', '--bind-address', '127.0.0.1', '--secure-port', '0', '--leader-elect-lease-duration', '30s'], expected: { bindAddress: '127.0.0.1', port: 0, leaseDurationMs: 30_000 } },
  ])('$argv', ({ argv, expected }) => expect(parseSchedulerConfig(argv)).toMatchObject(expected));

  it.each([
    [['--bogus'], /bogus/],
    [[], /kubeconfig/],
    [['--kubeconfig', 'k', '--kube-api-qps', 'x'], /qps/],
    [['--kubeconfig', 'k', '--config', '/nonexistent/x.yaml'], /failed to read config file/],
  ])('rejects %j', (argv, err) => {
    expect(() => parseSchedulerConfig(argv)).toThrow(UsageError);
    expect(() => parseSchedulerConfig(argv)).toThrow(err);
  });

  it('reads a KubeSchedulerConfiguration file; flags override it', () => {
    const path = file(
      'ok.yaml',
      `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: /etc/k8ts/scheduler.conf
leaderElection:
  leaderElect: false
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packing
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
`,
    );
    const c = parseSchedulerConfig(['--config', path]);
    if (c === 'help') throw new Error('help');
    expect(c.kubeconfig).toBe('/etc/k8ts/scheduler.conf');
    expect(c.leaderElect).toBe(false);
    expect(c.scheduler.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler', 'bin-packing']);
    const o = parseSchedulerConfig(['--config', path, '--kubeconfig', 'other', '--leader-elect']);
    expect(o).toMatchObject({ kubeconfig: 'other', leaderElect: true });
  });

  it('names the bad field of an invalid file', () => {
    const path = file('bad.yaml', 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: a\n  plugins:\n    filter:\n      enabled:\n      - weight: 3\n');
    expect(() => parseSchedulerConfig(['--config', path])).toThrow(/invalid config file .*profiles\.0\.plugins\.filter\.enabled\.0\.name/);
  });
});
