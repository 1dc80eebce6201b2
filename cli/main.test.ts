import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('status with a corrupt state file: the reason on stderr and exit 1, no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-cli-'));
    try {
      writeFileSync(join(dir, 'state.json'), '{"components": ');
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      await main(['status', '--dir', dir]);
      expect(process.exitCode).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(new RegExp(`^k8ts status: ${join(dir, 'state.json')} is not a k8ts state file: .*JSON`))]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
