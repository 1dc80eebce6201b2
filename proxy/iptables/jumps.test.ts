import { describe, expect, it } from 'vitest';
import { JUMP_RULES, missingJumpLines, sectionOf } from './proxier.ts';

describe('jump rules in the restore payload', () => {
  const none = '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
  it('inserts every jump rule missing from iptables-save, per table, in upstream order', () => {
    const { nat, filter } = missingJumpLines(none);
    expect([...nat.matchAll(/^-I /gm)].length + [...filter.matchAll(/^-I /gm)].length).toBe(JUMP_RULES.length);
    expect(filter).toContain('-I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL\n');
    expect(nat).not.toContain('KUBE-PROXY-FIREWALL');
    // Inserted at position 1 in reverse, so KUBE-SERVICES ends up first in OUTPUT and PREROUTING.
    expect(nat).toBe(
      '-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING\n' +
        '-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n' +
        '-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n',
    );
    expect(missingJumpLines(none, false).filter).not.toContain('KUBE-FIREWALL\n');
  });
  it('inserts nothing that iptables-save already shows', () => {
    const present = (table: string) =>
      JUMP_RULES.filter((j) => j.table === table)
        .map((j) => `-A ${j.chain} ${j.args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}`)
        .join('\n');
    const saved = `*filter\n${present('filter')}\nCOMMIT\n*nat\n${present('nat')}\nCOMMIT\n`;
    expect(missingJumpLines(saved)).toEqual({ nat: '', filter: '' });
  });
  it('sectionOf cuts one table', () => {
    expect(sectionOf(none, 'nat')).toBe('*nat\n:OUTPUT ACCEPT [0:0]');
    expect(sectionOf(none, 'mangle')).toBe('');
  });
});
