import { describe, expect, it } from 'vitest';
import { archiveFor, parseDeb822Sources, parseOneLineSources } from './apt-sources.ts';

const DEB822 = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
`;

describe('apt sources', () => {
  it.each([
    ['deb822 main archive', parseDeb822Sources(DEB822), 'bookworm', 'http://deb.debian.org/debian'],
    ['deb822 security suite', parseDeb822Sources(DEB822), 'bookworm-security', 'http://deb.debian.org/debian-security'],
    ['deb822 deb-src only', parseDeb822Sources('Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n'), 'bookworm', undefined],
    ['deb822 disabled stanza', parseDeb822Sources('Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\nEnabled: no\n'), 'bookworm', undefined],
    ['deb822 several URIs, continuation line', parseDeb822Sources('Types: deb deb-src\nURIs: http://a.example/debian\n http://b.example/debian\nSuites: bookworm\n'), 'bookworm', 'http://a.example/debian'],
    ['one-line with options and comment', parseOneLineSources('# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main contrib # x\n'), 'bookworm', 'http://mirror.example/debian'],
    ['one-line deb-src ignored', parseOneLineSources('deb-src http://src.example/debian bookworm main\n'), 'bookworm', undefined],
    ['one-line cdrom ignored', parseOneLineSources('deb cdrom:[Debian]/ bookworm main\n'), 'bookworm', undefined],
    ['wrong suite', parseOneLineSources('deb http://mirror.example/debian bullseye main\n'), 'bookworm', undefined],
  ])('%s', (_name, sources, suite, want) => {
    expect(archiveFor(sources, suite)).toBe(want);
  });

  it('keeps suites and components of each stanza', () => {
    expect(parseDeb822Sources(DEB822)[0]).toEqual({ uri: 'http://deb.debian.org/debian', suites: ['bookworm', 'bookworm-updates'], components: ['main'] });
  });
});
