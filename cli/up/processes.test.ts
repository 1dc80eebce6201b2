import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, restartDeadComponents, startDetached, type ComponentRecord } from './processes.ts';
import { waitFor } from '../../pkg/testing/wait.ts';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

describe('isAlive', () => {
  it('counts a zombie (exited, never reaped by its parent) as dead', async () => {
    // `sleep 0.1` is started by the shell, which then becomes `sleep 30` and never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    started.push(parent.pid as number);
    const child = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
    expect(isAlive(child)).toBe(true);
    await waitFor('the child exits unreaped', () => readFileSync(`/proc/${child}/stat`, 'utf8').includes(') Z '), { timeoutMs: 5_000, intervalMs: 20 });
    expect(() => process.kill(child, 0)).not.toThrow();
    expect(isAlive(child)).toBe(false);
    expect(isAlive(parent.pid as number)).toBe(true);
  });
});

describe('restartDeadComponents', () => {
  it('starts only the dead components again with their recorded command and log, and records the new PIDs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-proc-'));
    try {
      const alive = startDetached('alive', ['sleep', '30'], join(dir, 'alive.log'));
      const dead = startDetached('dead', ['sh', '-c', 'echo started; sleep 30'], join(dir, 'dead.log'));
      started.push(alive.pid, dead.pid);
      process.kill(dead.pid, 'SIGKILL');
      while (isAlive(dead.pid)) await new Promise((r) => setTimeout(r, 20));
      const state: { components: ComponentRecord[] } = { components: [alive, dead] };
      const restarted = restartDeadComponents(state);
      started.push(...restarted.map((c) => c.pid));
      expect(restarted.map((c) => c.name)).toEqual(['dead']);
      expect(state.components[0]).toBe(alive);
      expect(state.components[1]).toMatchObject({ name: 'dead', command: dead.command, logFile: dead.logFile });
      expect(state.components[1].pid).not.toBe(dead.pid);
      expect(isAlive(state.components[1].pid)).toBe(true);
      expect(restartDeadComponents(state)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
