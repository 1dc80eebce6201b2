import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

describe('k8ts <command>', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it.each(['controller-manager', 'dns'])('%s with a kubeconfig that does not exist: the reason on stderr and exit 1, no stack', async (command) => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main([command, '--kubeconfig', '/nonexistent/k8ts-kubeconfig', '--log-level', 'silent']);
    expect(process.exitCode).toBe(1);
    expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([`k8ts ${command}: error loading config file "/nonexistent/k8ts-kubeconfig": ENOENT: no such file or directory, open '/nonexistent/k8ts-kubeconfig'\n`]);
  });
});
