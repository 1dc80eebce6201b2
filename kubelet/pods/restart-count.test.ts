import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restartCountFromLogs } from './restart-count.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-restart-count-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('restartCountFromLogs', () => {
  it('is one past the highest <n>.log, ignoring other files; 0 without logs', async () => {
    mkdirSync(join(dir, 'app'));
    for (const f of ['0.log', '2.log', '10.log', '3.log.20261207-101010', 'notes']) writeFileSync(join(dir, 'app', f), '');
    expect(await restartCountFromLogs(dir, 'app')).toBe(11);
    mkdirSync(join(dir, 'empty'));
    expect(await restartCountFromLogs(dir, 'empty')).toBe(0);
    expect(await restartCountFromLogs(dir, 'missing')).toBe(0);
    expect(await restartCountFromLogs(undefined, 'app')).toBe(0);
  });
});
