import { describe, expect, it } from 'vitest';
import { queryBool } from './query-bool.ts';

describe('queryBool', () => {
  it.each([
    [undefined, false],
    [null, false],
    ['0', false],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['true', true],
    ['True', true],
    ['1', true],
    ['', true],
    ['yes', true],
    ['maybe', true],
  ] as const)('%s → %s', (value, expected) => {
    expect(queryBool(value)).toBe(expected);
  });
});
