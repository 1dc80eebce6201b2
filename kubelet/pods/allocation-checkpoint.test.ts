import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AllocationCheckpoint, allocationCheckpointPath } from './allocation-checkpoint.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-alloc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('AllocationCheckpoint', () => {
  it('loads what it saved, the newest of several saves made while writing', async () => {
    const file = allocationCheckpointPath(dir);
    const checkpoint = new AllocationCheckpoint(file);
    const grant = (cpu: string) => new Map([['u1', new Map([['app', { requests: { cpu }, limits: { cpu } }]])]]);
    checkpoint.save(grant('500m'));
    checkpoint.save(grant('600m'));
    checkpoint.save(grant('800m'));
    await checkpoint.flushed();
    expect(new AllocationCheckpoint(file).load()).toEqual(grant('800m'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, pods: { u1: { app: { requests: { cpu: '800m' }, limits: { cpu: '800m' } } } } });
  });

  it('starts empty without a file or with an unreadable one', () => {
    expect(new AllocationCheckpoint(join(dir, 'missing')).load().size).toBe(0);
    writeFileSync(join(dir, 'bad'), '{"version": 2}');
    expect(new AllocationCheckpoint(join(dir, 'bad')).load().size).toBe(0);
    writeFileSync(join(dir, 'torn'), '{"version": 1, "po');
    expect(new AllocationCheckpoint(join(dir, 'torn')).load().size).toBe(0);
  });
});
