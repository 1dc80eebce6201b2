/** Parses resolv.conf (nameserver / search / domain / options lines) into a CRI DNSConfig. Pure. */
import type { DNSConfig } from '../cri/types.ts';

export function parseResolvConf(text: string): DNSConfig {
  const out: DNSConfig = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.servers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.searches = rest.filter((s) => s !== '.');
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}
