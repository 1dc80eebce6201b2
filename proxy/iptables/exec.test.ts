import { describe, expect, it } from 'vitest';
import { hostExec } from './exec.ts';

describe('hostExec streamed stdin', () => {
  it('delivers ASCII and non-ASCII chunks byte for byte (UTF-8)', async () => {
    const chunks = ['-A KUBE-SERVICES -j ACCEPT\n', '# comment: café ✓\n', 'COMMIT\n'];
    const r = await hostExec()('cat', [], (async function* () {
      yield* chunks;
    })());
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(chunks.join(''));
  });
});
