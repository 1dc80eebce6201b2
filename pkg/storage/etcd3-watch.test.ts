import { describe, expect, it } from 'vitest';
import type { IEvent, IKeyValue } from 'etcd3';
import { toWatchEvent } from './etcd3-watch.ts';
import { StorageError } from './types.ts';

const kv = (key: string, create: number, mod: number, value?: object): IKeyValue => ({
  key: Buffer.from(key),
  create_revision: String(create),
  mod_revision: String(mod),
  version: '1',
  value: Buffer.from(value ? JSON.stringify(value) : ''),
  lease: '0',
});

describe('toWatchEvent', () => {
  it('a put whose create and mod revisions match is ADDED', () => {
    const ev = { type: 'Put', kv: kv('/k/a', 5, 5, { metadata: { name: 'a' } }) } as unknown as IEvent;
    expect(toWatchEvent(ev)).toEqual({ type: 'ADDED', key: '/k/a', revision: 5, object: { metadata: { name: 'a', resourceVersion: '5' } } });
  });

  it('a later put is MODIFIED with the previous object at its own revision', () => {
    const ev = { type: 'Put', kv: kv('/k/a', 5, 8, { v: 2, metadata: {} }), prev_kv: kv('/k/a', 5, 6, { v: 1, metadata: {} }) } as unknown as IEvent;
    expect(toWatchEvent(ev)).toEqual({
      type: 'MODIFIED',
      key: '/k/a',
      revision: 8,
      object: { v: 2, metadata: { resourceVersion: '8' } },
      prevObject: { v: 1, metadata: { resourceVersion: '6' } },
    });
  });

  it('a delete carries the last state at the deletion revision', () => {
    const ev = { type: 'Delete', kv: kv('/k/a', 0, 9), prev_kv: kv('/k/a', 5, 8, { v: 2, metadata: {} }) } as unknown as IEvent;
    expect(toWatchEvent(ev)).toEqual({
      type: 'DELETED',
      key: '/k/a',
      revision: 9,
      object: { v: 2, metadata: { resourceVersion: '9' } },
      prevObject: { v: 2, metadata: { resourceVersion: '8' } },
    });
  });

  it('a delete without its previous value (compacted) is Expired', () => {
    const ev = { type: 'Delete', kv: kv('/k/a', 0, 9) } as unknown as IEvent;
    expect(() => toWatchEvent(ev)).toThrow(StorageError);
    expect(() => toWatchEvent(ev)).toThrow(expect.objectContaining({ code: 'Expired' }));
  });
});
