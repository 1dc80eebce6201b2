import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLineBackend, createLogBackend } from './log-backend.ts';
import type { AuditEvent } from './event.ts';
import { backupName, backupsToRemove, backupTime, RotatingFile } from './rotation.ts';

const at = (iso: string) => new Date(iso);

describe('lumberjack-style rotation', () => {
  it('names backups <name>-<UTC time>.<ext> and reads the time back', () => {
    expect(backupName('/var/log/audit.log', at('2026-03-04T05:06:07.089Z'))).toBe('/var/log/audit-2026-03-04T05-06-07.089.log');
    expect(backupTime('/var/log/audit.log', 'audit-2026-03-04T05-06-07.089.log')).toEqual(at('2026-03-04T05:06:07.089Z'));
    expect(backupTime('/var/log/audit.log', 'audit.log')).toBeUndefined();
    expect(backupTime('/var/log/audit.log', 'other-2026-03-04T05-06-07.089.log')).toBeUndefined();
  });

  it('removes backups beyond the newest maxBackups and older than maxAge days', () => {
    const backups = [
      { file: 'a', time: at('2026-01-01T00:00:00Z') },
      { file: 'c', time: at('2026-01-03T00:00:00Z') },
      { file: 'b', time: at('2026-01-02T00:00:00Z') },
    ];
    const now = at('2026-01-03T12:00:00Z');
    expect(backupsToRemove(backups, { maxBackups: 2, maxAgeDays: 0 }, now)).toEqual(['a']);
    expect(backupsToRemove(backups, { maxBackups: 0, maxAgeDays: 1 }, now)).toEqual(['b', 'a']);
    expect(backupsToRemove(backups, { maxBackups: 0, maxAgeDays: 0 }, now)).toEqual([]);
  });

  it('rotates a file that would outgrow maxsize and keeps maxbackup backups', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-rotate-'));
    const path = join(dir, 'audit.log');
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const file = new RotatingFile(path, { maxSizeMb: 1, maxBackups: 1, maxAgeDays: 0 }, () => new Date((clock += 1000)));
    await file.open();
    const chunk = Buffer.alloc(700 * 1024, 'x');
    for (let i = 0; i < 3; i++) await file.write(chunk);
    await file.close();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['audit-2026-01-01T00-00-03.000.log', 'audit.log']); // the second rotation's; the first one's backup was pruned
    expect(readFileSync(path).length).toBe(chunk.length);
  });
});

describe('log backend', () => {
  const event = (auditID: string) => ({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID }) as unknown as AuditEvent;

  it('appends one JSON line per event to the file, after what it held', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-log-'));
    const path = join(dir, 'sub', 'audit.log');
    const backend = await createLogBackend({ path, rotation: { maxSizeMb: 0, maxBackups: 0, maxAgeDays: 0 } });
    backend.process(event('1'));
    backend.process(event('2'));
    await backend.close();
    const again = await createLogBackend({ path, rotation: { maxSizeMb: 0, maxBackups: 0, maxAgeDays: 0 } });
    again.process(event('3'));
    await again.close();
    expect(readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l).auditID)).toEqual(['1', '2', '3']);
  });

  it('drops events beyond the queue bound while a write is slow, and counts them', async () => {
    const written: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const backend = createLineBackend({ write: async (b) => {
        written.push(b.toString());
        await gate;
      }, close: async () => {} }, { maxQueuedEvents: 2 });
    backend.process(event('1'));
    await new Promise((r) => setImmediate(r)); // the first write is now under way (blocked)
    for (const id of ['2', '3', '4']) backend.process(event(id));
    release();
    await backend.close();
    expect(backend.dropped).toBe(1);
    expect(written.join('').trim().split('\n').map((l) => JSON.parse(l).auditID)).toEqual(['1', '2', '3']);
  });

  it('writes to a file left by an earlier run without truncating it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-keep-'));
    const path = join(dir, 'audit.log');
    writeFileSync(path, 'earlier\n');
    const backend = await createLogBackend({ path, rotation: { maxSizeMb: 0, maxBackups: 0, maxAgeDays: 0 } });
    backend.process(event('x'));
    await backend.close();
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('earlier');
  });
});
