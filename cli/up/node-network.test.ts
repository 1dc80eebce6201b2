import { describe, expect, it } from 'vitest';
import { inNetns, networkCommands, planNodeNetwork } from './node-network.ts';

describe('node network plan', () => {
  it('gives each node a namespace, an address on the bridge and a /24 pod CIDR', () => {
    expect(planNodeNetwork(2)).toEqual([
      { name: 'k8ts-node-1', netns: 'k8ts-node-1', veth: 'k8ts-veth1', ip: '10.250.0.11', podCidr: '10.244.1.0/24' },
      { name: 'k8ts-node-2', netns: 'k8ts-node-2', veth: 'k8ts-veth2', ip: '10.250.0.12', podCidr: '10.244.2.0/24' },
    ]);
  });

  it('names the namespaces with the given prefix (namespace names are machine-wide); node names stay', () => {
    expect(planNodeNetwork(1, 'k8ts-t42-')[0]).toMatchObject({ name: 'k8ts-node-1', netns: 'k8ts-t42-node-1' });
  });

  it('builds the bridge, veths, addresses and host-gw routes in order', () => {
    const cmds = networkCommands(planNodeNetwork(1)).map((c) => c.join(' '));
    expect(cmds).toEqual([
      'ip link add k8ts-br0 type bridge',
      'ip addr add 10.250.0.1/24 dev k8ts-br0',
      'ip link set k8ts-br0 up',
      'sysctl -w net.ipv4.ip_forward=1',
      'ip netns add k8ts-node-1',
      'ip link add k8ts-veth1 type veth peer name eth0 netns k8ts-node-1',
      'ip link set k8ts-veth1 master k8ts-br0 up',
      'ip netns exec k8ts-node-1 ip link set lo up',
      'ip netns exec k8ts-node-1 ip addr add 10.250.0.11/24 dev eth0',
      'ip netns exec k8ts-node-1 ip link set eth0 up',
      'ip netns exec k8ts-node-1 ip route add default via 10.250.0.1',
      'ip netns exec k8ts-node-1 sysctl -w net.ipv4.ip_forward=1',
      'ip route add 10.244.1.0/24 via 10.250.0.11',
    ]);
  });

  it('wraps commands with nsenter only for a namespace', () => {
    expect(inNetns('n1', ['containerd'])).toEqual(['nsenter', '--net=/var/run/netns/n1', 'containerd']);
    expect(inNetns(undefined, ['containerd'])).toEqual(['containerd']);
  });
});
