import { describe, expect, it } from 'vitest';
import { relayableArchiveHost } from './archive-relay.ts';

describe('relayableArchiveHost', () => {
  it.each([
    { url: 'http://deb.debian.org/debian', want: 'deb.debian.org' },
    { url: 'http://mirror.example:80/debian/', want: 'mirror.example' },
    { url: 'https://deb.debian.org/debian', want: /only http:\/\/ on port 80/ },
    { url: 'http://mirror.example:3142/debian', want: /only http:\/\/ on port 80/ },
  ])('$url', ({ url, want }) => {
    if (typeof want === 'string') expect(relayableArchiveHost(url)).toBe(want);
    else expect(() => relayableArchiveHost(url)).toThrow(want);
  });
});
