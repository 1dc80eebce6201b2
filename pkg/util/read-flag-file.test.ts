import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFlagFile } from './read-flag-file.ts';
import { UserError } from './user-error.ts';

describe('readFlagFile', () => {
  it('reads the file, and names the flag when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-flag-file-'));
    try {
      writeFileSync(join(dir, 'ca.crt'), 'pem');
      expect(readFlagFile('--client-ca-file', join(dir, 'ca.crt')).toString()).toBe('pem');
      const missing = join(dir, 'nope.crt');
      expect(() => readFlagFile('--client-ca-file', missing)).toThrow(UserError);
      expect(() => readFlagFile('--client-ca-file', missing)).toThrow(`--client-ca-file ${missing}: ENOENT: no such file or directory, open '${missing}'`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
