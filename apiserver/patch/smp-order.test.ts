import { describe, expect, it } from 'vitest';
import type { Json } from './json-value.ts';
import { deduplicateScalars, findByKey, keyIndex, normalizeElementOrder, partitionMaps } from './smp-order.ts';

/** Maps whose `name` reads are counted (in `count.reads`). */
function countedMaps(names: readonly string[], count: { reads: number }): Json[] {
  return names.map((name) => new Proxy({ name } as Record<string, Json>, { get: (t, p) => (p === 'name' && count.reads++, Reflect.get(t, p)) }) as unknown as Json);
}
const names = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
};

describe('keyIndex', () => {
  it('answers as findByKey does, the error past an item that is not a map included', () => {
    const lists: Json[][] = [
      [{ name: 'a' }, { name: 'b' }, { name: 'a' }, { other: 1 }],
      [{ name: 'a' }, 'x', { name: 'b' }],
      ['x'],
      [],
    ];
    for (const list of lists) {
      const index = keyIndex(list, 'name');
      for (const value of ['a', 'b', 'zz']) {
        const expected = errorOf(() => findByKey(list, 'name', value)) ?? findByKey(list, 'name', value);
        expect(errorOf(() => index.find(value)) ?? index.find(value)).toEqual(expected);
      }
    }
    const grown: Json[] = [{ name: 'a' }];
    const index = keyIndex(grown, 'name');
    grown.push({ name: 'b' });
    index.add(grown[1]!, 1);
    expect([index.find('a'), index.find('b')]).toEqual([0, 1]);
  });
});

describe('strategic merge lists in O(n)', () => {
  const n = 300;

  it('partitionMaps reads each item of the list it looks in a bounded number of times (a scan per item read n² of them)', () => {
    const count = { reads: 0 };
    const by = countedMaps(names(n), count);
    const [present, absent] = partitionMaps([...names(n).reverse(), 'new'].map((name) => ({ name })), by, 'name');
    expect([present.length, absent.length]).toEqual([n, 1]);
    expect(count.reads).toBeLessThanOrEqual(3 * n);
  });

  it('normalizeElementOrder reads each ordering item a bounded number of times (a lookup per comparison read n² log n of them)', () => {
    const count = { reads: 0 };
    const serverOrder = countedMaps(names(n, 's'), count);
    const patchOrder = countedMaps(names(n, 'p'), count);
    const out = normalizeElementOrder({
      patchItems: names(n, 'p').reverse().map((name) => ({ name })),
      serverOnly: names(n, 's').reverse().map((name) => ({ name })),
      patchOrder,
      serverOrder,
      mergeKey: 'name',
      kind: 'map',
    }) as Array<{ name: string }>;
    expect(out.map((i) => i.name)).toEqual([...names(n, 'p'), ...names(n, 's')]);
    expect(count.reads).toBeLessThanOrEqual(10 * n);
  });

  it('deduplicateScalars keeps a list without duplicates as it is, and replaces a later duplicate by the last item as upstream', () => {
    expect(deduplicateScalars(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(deduplicateScalars(['a', 'b', 'a', 'c'])).toEqual(['a', 'b', 'c']);
    expect(deduplicateScalars(['a', 'a', 'b', 'c'])).toEqual(['a', 'c', 'b']);
  });
});
