/**
 * Which Debian archive this machine's apt uses, read from its sources (deb822
 * `/etc/apt/sources.list.d/*.sources` stanzas or one-line `sources.list` entries), so
 * `debootstrap` fetches from the same mirror — the only archive these machines can reach. Pure
 * parsers plus one reader.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One source: a `deb` archive URL and the suites it serves. */
export interface AptSource {
  uri: string;
  suites: string[];
  components: string[];
}

/** `deb` stanzas of a deb822 `.sources` file (`Types`, `URIs`, `Suites`, `Components`; `Enabled: no` skipped). Pure. */
export function parseDeb822Sources(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#') || !line.trim()) continue;
      if (/^\s/.test(line) && last) {
        fields.set(last, `${fields.get(last)} ${line.trim()}`);
        continue;
      }
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1].toLowerCase();
      fields.set(last, m[2].trim());
    }
    const words = (key: string) => (fields.get(key) ?? '').split(/\s+/).filter(Boolean);
    if (!words('types').includes('deb') || fields.get('enabled')?.toLowerCase() === 'no') continue;
    for (const uri of words('uris')) sources.push({ uri, suites: words('suites'), components: words('components') });
  }
  return sources;
}

/** `deb [options] URI SUITE COMPONENT…` lines of a one-line `sources.list` (comments and `deb-src` skipped). Pure. */
export function parseOneLineSources(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').replace(/\[[^\]]*\]/, ' ').trim();
    const [type, uri, suite, ...components] = line.split(/\s+/);
    if (type !== 'deb' || !uri || !suite) continue;
    sources.push({ uri, suites: [suite], components });
  }
  return sources;
}

/** The archive URL serving `suite` itself (not `-security`/`-updates`), or undefined. Pure. */
export function archiveFor(sources: readonly AptSource[], suite: string): string | undefined {
  return sources.find((s) => s.suites.includes(suite) && /^(https?|file):/.test(s.uri))?.uri;
}

/** Every source apt reads under `etcDir` (default `/etc/apt`). */
export function readAptSources(etcDir = '/etc/apt'): AptSource[] {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  const sources = parseOneLineSources(read(join(etcDir, 'sources.list')));
  let names: string[] = [];
  try {
    names = readdirSync(join(etcDir, 'sources.list.d')).sort();
  } catch {
    // no directory
  }
  for (const name of names) {
    const text = read(join(etcDir, 'sources.list.d', name));
    if (name.endsWith('.sources')) sources.push(...parseDeb822Sources(text));
    else if (name.endsWith('.list')) sources.push(...parseOneLineSources(text));
  }
  return sources;
}

/** The archive for `suite` on this machine; throws naming the files read when there is none. */
export function debianArchive(suite: string, etcDir = '/etc/apt'): string {
  const uri = archiveFor(readAptSources(etcDir), suite);
  if (!uri) throw new Error(`no Debian archive for suite ${suite} in ${etcDir}/sources.list or ${etcDir}/sources.list.d`);
  return uri;
}
