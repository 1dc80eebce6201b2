/** The project's pause program (files/pause.c), compiled as the image build does, as PID 1 would run it. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-pause-'));
const binary = join(dir, 'pause');

beforeAll(() => {
  execFileSync('gcc', ['-static', '-Os', '-s', '-o', binary, fileURLToPath(new URL('./files/pause.c', import.meta.url))]);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pause', () => {
  it('is static (no interpreter, no shared libraries)', () => {
    const ldd = spawnSync('ldd', [binary]);
    expect(`${ldd.stdout}${ldd.stderr}`).toMatch(/not a dynamic executable/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('sleeps until %s, then exits 0', async (signal) => {
    const child = spawn(binary, { stdio: 'ignore' });
    const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, sig) => resolve([code, sig])));
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    child.kill(signal);
    expect(await exited).toEqual([0, null]);
  });
});
