import { mkdtempSync, linkSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskUsageBytes } from './disk-usage.ts';

describe('diskUsageBytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-du-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the blocks below a directory once per inode, without following links', async () => {
    const empty = (await diskUsageBytes(dir))!;
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'a'), Buffer.alloc(3 * 1024 * 1024, 1));
    linkSync(join(dir, 'sub', 'a'), join(dir, 'hard'));
    symlinkSync('/usr', join(dir, 'link'));
    const used = (await diskUsageBytes(dir))!;
    expect(used - empty).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    // The hard link adds nothing; the symlink only itself (never /usr).
    expect(used - empty).toBeLessThan(3 * 1024 * 1024 + 64 * 1024);
    expect(await diskUsageBytes(join(dir, 'missing'))).toBeUndefined();
  });
});
