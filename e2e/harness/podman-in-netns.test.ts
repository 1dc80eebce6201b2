import { describe, expect, it } from 'vitest';
import { containersConf, runName, staleRunPids } from './podman-in-netns.ts';

it('containersConf lifts the ulimits podman cannot set here and keeps network configs in the run directory', () => {
  const conf = containersConf('/tmp/k8ts-t-1');
  expect(conf).toMatch(/\[containers\]\ndefault_ulimits = \[\]/);
  expect(conf).toContain('network_config_dir = "/tmp/k8ts-t-1/networks"');
  expect(conf).toContain('lock_type = "file"');
});

describe('staleRunPids', () => {
  const alive = (pid: number) => pid === 200;
  it.each([
    { case: 'dead run of the topic', names: [runName('etcdha', 100)], stale: [100] },
    { case: 'live run of the topic', names: [runName('etcdha', 200)], stale: [] },
    { case: 'this process', names: [runName('etcdha', process.pid)], stale: [] },
    { case: 'another topic', names: [runName('join', 100)], stale: [] },
    { case: 'other namespaces', names: ['cni-1234', 'k8ts-etcdha-', 'k8ts-etcdha-12x'], stale: [] },
  ])('$case', ({ names, stale }) => {
    expect(staleRunPids('etcdha', names, alive)).toEqual(stale);
  });
});
