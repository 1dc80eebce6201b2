/** Host ports in use on a node (upstream HostPortInfo), with the 0.0.0.0 wildcard rules. */

export const WILDCARD_IP = '0.0.0.0';

/** One requested host port. Empty ip means 0.0.0.0, empty protocol means TCP. */
export interface HostPort {
  ip?: string;
  protocol?: string;
  port: number;
}

function normalize(p: HostPort): { ip: string; key: string } {
  return { ip: p.ip || WILDCARD_IP, key: `${p.protocol || 'TCP'}/${p.port}` };
}

/**
 * Used host ports by IP. Contract: a port on 0.0.0.0 conflicts with the same protocol/port on
 * any IP and vice versa; port 0 (no host port) is ignored.
 */
export class HostPortInfo {
  private readonly byIp = new Map<string, Map<string, number>>();

  add(p: HostPort): void {
    if (p.port <= 0) return;
    const { ip, key } = normalize(p);
    let m = this.byIp.get(ip);
    if (!m) this.byIp.set(ip, (m = new Map()));
    m.set(key, (m.get(key) ?? 0) + 1);
  }

  remove(p: HostPort): void {
    if (p.port <= 0) return;
    const { ip, key } = normalize(p);
    const m = this.byIp.get(ip);
    if (!m) return;
    const n = (m.get(key) ?? 0) - 1;
    if (n > 0) m.set(key, n);
    else m.delete(key);
    if (m.size === 0) this.byIp.delete(ip);
  }

  /** Whether `p` conflicts with a used port. */
  conflicts(p: HostPort): boolean {
    if (p.port <= 0) return false;
    const { ip, key } = normalize(p);
    if (ip === WILDCARD_IP) {
      for (const m of this.byIp.values()) if (m.has(key)) return true;
      return false;
    }
    return (this.byIp.get(ip)?.has(key) ?? false) || (this.byIp.get(WILDCARD_IP)?.has(key) ?? false);
  }

  /** Number of distinct used (ip, protocol/port) entries. */
  size(): number {
    let n = 0;
    for (const m of this.byIp.values()) n += m.size;
    return n;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, m] of this.byIp) c.byIp.set(ip, new Map(m));
    return c;
  }
}
