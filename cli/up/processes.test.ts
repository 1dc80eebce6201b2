import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, restartDeadComponents, startDetached, type ComponentRecord } from './processes.ts';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
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
