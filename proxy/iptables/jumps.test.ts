import { describe, expect, it } from 'vitest';
import { JUMP_RULES, missingJumpsPayload, sectionOf } from './proxier.ts';

describe('jump rules in the restore payload', () => {
  const none = '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
  it('inserts every jump rule missing from iptables-save, and declares the canary', () => {
    const out = missingJumpsPayload(none);
    expect(out.match(/^-I /gm)).toHaveLength(JUMP_RULES.length);
    expect(out).toContain('-I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL');
    expect(out).toContain('*nat\n-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING');
    expect(out.endsWith('*mangle\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n')).toBe(true);
  });
  it('inserts nothing that iptables-save already shows', () => {
    const present = (table: string) =>
      JUMP_RULES.filter((j) => j.table === table)
        .map((j) => `-A ${j.chain} ${j.args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}`)
        .join('\n');
    const saved = `*filter\n${present('filter')}\nCOMMIT\n*nat\n${present('nat')}\nCOMMIT\n`;
    expect(missingJumpsPayload(saved)).toBe('*mangle\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n');
  });
  it('sectionOf cuts one table', () => {
    expect(sectionOf(none, 'nat')).toBe('*nat\n:OUTPUT ACCEPT [0:0]');
    expect(sectionOf(none, 'mangle')).toBe('');
  });
});
