import { describe, expect, it } from 'vitest';
import { etcdMemberArgs, parseEndpointStatus, peerPartitionRules } from './etcd-container-cluster.ts';

describe('etcdMemberArgs', () => {
  const ips = ['10.0.0.10', '10.0.0.11', '10.0.0.12'];
  const flags = (args: string[]) => Object.fromEntries(args.flatMap((a, i) => (a.startsWith('--') ? [[a, args[i + 1]]] : [])));

  it.each([0, 1, 2])('member %i advertises its own address and names every peer', (i) => {
    const f = flags(etcdMemberArgs(i, ips, 'tok'));
    expect(f['--name']).toBe(`m${i}`);
    expect(f['--advertise-client-urls']).toBe(`http://${ips[i]}:2379`);
    expect(f['--initial-advertise-peer-urls']).toBe(`http://${ips[i]}:2380`);
    expect(f['--initial-cluster']).toBe('m0=http://10.0.0.10:2380,m1=http://10.0.0.11:2380,m2=http://10.0.0.12:2380');
    expect(f['--initial-cluster-token']).toBe('tok');
    expect(etcdMemberArgs(i, ips, 'tok')).toContain('--pre-vote=true');
  });
});

it('peerPartitionRules drop TCP 2380 both ways and leave the client port alone', () => {
  const rules = peerPartitionRules();
  expect(rules).toHaveLength(4);
  for (const r of rules) {
    expect(r).toContain('2380');
    expect(r).not.toContain('2379');
    expect(r.at(-1)).toBe('DROP');
  }
  expect(new Set(rules.map((r) => `${r[0]} ${r[3]}`))).toEqual(new Set(['INPUT --dport', 'INPUT --sport', 'OUTPUT --dport', 'OUTPUT --sport']));
});

describe('parseEndpointStatus', () => {
  it('keeps 64-bit member ids exact and skips error text around the JSON', () => {
    const out =
      '{"level":"warn","msg":"failed to get status","endpoint":"http://10.0.0.12:2379"}\n' +
      '[{"Endpoint":"http://10.0.0.10:2379","Status":{"header":{"cluster_id":17237436991929493444,"member_id":9372538179322589801,"revision":42,"raft_term":3},"version":"3.4.23","leader":9372538179322589801,"raftIndex":57}},' +
      '{"Endpoint":"http://10.0.0.11:2379","Status":{"header":{"cluster_id":17237436991929493444,"member_id":10501334649042878790,"revision":42,"raft_term":3},"version":"3.4.23","leader":9372538179322589801,"raftIndex":57}}]\n';
    expect(parseEndpointStatus(out)).toEqual([
      { endpoint: 'http://10.0.0.10:2379', memberId: '9372538179322589801', leaderId: '9372538179322589801', revision: 42, raftIndex: 57 },
      { endpoint: 'http://10.0.0.11:2379', memberId: '10501334649042878790', leaderId: '9372538179322589801', revision: 42, raftIndex: 57 },
    ]);
  });

  it('is empty when no member answered', () => {
    expect(parseEndpointStatus('Error: context deadline exceeded\n')).toEqual([]);
  });
});
