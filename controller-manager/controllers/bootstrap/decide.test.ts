import { describe, expect, it } from 'vitest';
import type { Secret } from '../../../pkg/api/core/v1/secret.ts';
import { bootstrapTokenSecret } from '../../../pkg/bootstrap/token.ts';
import { signingTokens, tokenCleanup } from './decide.ts';

const now = new Date('2026-01-01T00:00:00Z');
const token = (id: string, options: { expiresInMs?: number; usages?: Array<'authentication' | 'signing'>; deleting?: boolean } = {}): Secret => {
  const s = bootstrapTokenSecret({ token: { id, secret: `${id}0000000000` }, expiration: options.expiresInMs === undefined ? undefined : new Date(now.getTime() + options.expiresInMs), usages: options.usages ?? ['authentication', 'signing'], extraGroups: [] });
  if (options.deleting) s.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return s;
};

describe('bootstrapsigner: tokens that sign cluster-info', () => {
  it.each<[string, Secret, boolean]>([
    ['valid, never expires', token('aaaaaa'), true],
    ['valid until later', token('aaaaaa', { expiresInMs: 1000 }), true],
    ['expired', token('aaaaaa', { expiresInMs: -1 }), false],
    ['expiring now', token('aaaaaa', { expiresInMs: 0 }), false],
    ['authentication only', token('aaaaaa', { usages: ['authentication'] }), false],
    ['being deleted', token('aaaaaa', { deleting: true }), false],
    ['not a token', { ...token('aaaaaa'), type: 'Opaque' }, false],
  ])('%s → %s', (_name, secret, signs) => {
    expect(signingTokens([secret], now)).toEqual(signs ? new Map([['aaaaaa', 'aaaaaa0000000000']]) : new Map());
  });
});

describe('tokencleaner', () => {
  it.each<[string, Secret, ReturnType<typeof tokenCleanup>]>([
    ['expired', token('aaaaaa', { expiresInMs: -5000 }), 'delete'],
    ['expires in a minute', token('aaaaaa', { expiresInMs: 60_000 }), { inMs: 60_000 }],
    ['never expires', token('aaaaaa'), 'keep'],
    ['not a token', { ...token('aaaaaa', { expiresInMs: -5000 }), type: 'Opaque' }, 'keep'],
  ])('%s → %j', (_name, secret, expected) => {
    expect(tokenCleanup(secret, now)).toEqual(expected);
  });
});
