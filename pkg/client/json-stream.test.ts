import { describe, expect, it } from 'vitest';
import { parseJsonStream } from './json-stream.ts';

async function parse(chunks: Array<string | Uint8Array>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of parseJsonStream((async function* () {
    yield* chunks;
  })())) out.push(v);
  return out;
}

const events = [
  { type: 'ADDED', object: { metadata: { name: 'a' }, data: { s: 'braces } { and "quotes" \\ and \n newlines' } } },
  { type: 'MODIFIED', object: { metadata: { name: 'b' }, list: [1, { x: [] }] } },
  { type: 'DELETED', object: { metadata: { name: 'ü✓' } } },
];
const lines = events.map((e) => `${JSON.stringify(e)}\n`).join('');

describe('parseJsonStream', () => {
  it('newline-delimited events, split into chunks at every position', async () => {
    for (let cut = 0; cut <= lines.length; cut++) {
      expect(await parse([lines.slice(0, cut), lines.slice(cut)])).toEqual(events);
    }
  });
  it('bytes split inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode(lines);
    const at = bytes.indexOf(0xc3) + 1; // inside ü
    expect(await parse([bytes.slice(0, at), bytes.slice(at)])).toEqual(events);
  });
  it('objects without newlines, several per chunk and split across chunks', async () => {
    const bare = events.map((e) => JSON.stringify(e)).join('');
    expect(await parse([bare])).toEqual(events);
    for (let cut = 1; cut < bare.length; cut += 7) expect(await parse([bare.slice(0, cut), bare.slice(cut)])).toEqual(events);
  });
  it('a stream without newlines delivers each object when its chunk arrives', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stream = parseJsonStream((async function* () {
      yield JSON.stringify(events[0]);
      await gate;
      yield JSON.stringify(events[1]);
    })());
    expect((await stream.next()).value).toEqual(events[0]);
    release();
    expect((await stream.next()).value).toEqual(events[1]);
  });
  it('pretty-printed objects over several lines, and two objects on one line', async () => {
    const pretty = `${JSON.stringify(events[0], null, 2)}\n${JSON.stringify(events[1])} ${JSON.stringify(events[2])}\n`;
    for (let cut = 0; cut <= pretty.length; cut += 5) expect(await parse([pretty.slice(0, cut), pretty.slice(cut)])).toEqual(events);
  });
  it('a malformed event throws a SyntaxError', async () => {
    await expect(parse(['{"type":"ADDED","object":{"a":}}\n'])).rejects.toThrow(SyntaxError);
  });
});
