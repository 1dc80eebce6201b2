import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { interactiveLine, MARKER_COMMAND, NftSession, parseReply, SESSION_MAX_PAYLOAD, type Spawn } from './session.ts';

const MARKER = 'meta expression, datatype mark (packet mark) (basetype integer), 32 bits\n';

/**
 * A stand-in for `sh -c 'exec nft -i 2>&1'`: answers the marker command like nft, prints an nft-style
 * error for lines containing "bad", exits on lines containing "die", stays silent on "hang" lines'
 * markers, and records every line it got.
 */
const FAKE_NFT = `const rl=require('readline').createInterface({input:process.stdin});let hang=false;rl.on('line',(l)=>{
if(l==='${MARKER_COMMAND}'){if(!hang)process.stdout.write(${JSON.stringify(MARKER)});hang=false;return}
if(l.includes('die'))process.exit(3);if(l.includes('hang')){hang=true;return}
if(l.includes('bad'))process.stdout.write('Error: Could not process rule: No such file or directory\\n'+l+'\\n')})`;
const fake: Spawn = () => spawn(process.execPath, ['-e', FAKE_NFT]);

describe('nft -i session', () => {
  it.each([
    ['two commands', 'add element ip t s { 1.2.3.4 }\ndelete element ip t s { 5.6.7.8 }\n', 'add element ip t s { 1.2.3.4 }; delete element ip t s { 5.6.7.8 }'],
    ['a block on one line', 'add map ip t m { typeof ip daddr : ip daddr . tcp dport; }\n', 'add map ip t m { typeof ip daddr : ip daddr . tcp dport; }'],
    ['a block over lines', 'add table ip t\ntable ip t {\n  set s { type ipv4_addr; }\n}\n', undefined],
    ['too big', 'x'.repeat(SESSION_MAX_PAYLOAD + 1), undefined],
  ])('interactiveLine: %s', (_, payload, want) => expect(interactiveLine(payload)).toBe(want));

  it.each([
    ['', undefined],
    ['meta expression, datatype mark (packet', undefined],
    [MARKER, { ok: true, message: '', rest: '' }],
    [`${MARKER}Error: late`, { ok: true, message: '', rest: 'Error: late' }],
    [`Error: Could not process rule: File exists\nadd element …\n${MARKER}`, { ok: false, message: 'Error: Could not process rule: File exists\nadd element …', rest: '' }],
  ])('parseReply(%j)', (output, want) => expect(parseReply(output)).toEqual(want));

  it('runs transactions one after another, reports nft errors, and starts a new process after one died', async () => {
    let started = 0;
    const session = new NftSession(() => {
      started++;
      return fake('', []);
    }, 5000);
    try {
      const replies = await Promise.all([session.run('add element a'), session.run('bad element b'), session.run('add element c')]);
      expect(replies.map((r) => r.ok)).toEqual([true, false, true]);
      expect(replies[1]!.message).toContain('Error: Could not process rule');
      await expect(session.run('die')).rejects.toThrow(/nft -i exited \(3\)/);
      expect((await session.run('add element d')).ok).toBe(true);
      expect(started).toBe(2);
    } finally {
      session.close();
    }
  });

  it('gives up on a transaction nft does not answer, and kills the process', async () => {
    const session = new NftSession(fake, 1500);
    try {
      await expect(session.run('hang')).rejects.toThrow(/no answer within 1500 ms/);
      expect((await session.run('add element e')).ok).toBe(true);
    } finally {
      session.close();
    }
  });
});
