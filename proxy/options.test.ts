import { describe, expect, it } from 'vitest';
import { UsageError } from '../pkg/util/process.ts';
import { ProxyHealth } from './health.ts';
import { parseDuration, parseProxyConfig } from './options.ts';

const base = ['--kubeconfig', 'k.yaml', '--hostname-override', 'node1'];

describe('proxy flags', () => {
  it.each([
    ['1s', 1000],
    ['500ms', 500],
    ['1m30s', 90000],
    ['2h', 7200000],
  ])('duration %s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '1', 's', '1x', '1s2'])('duration %j is rejected', (text) => expect(() => parseDuration(text)).toThrow(/invalid duration/));

  it('defaults as upstream', () => {
    expect(parseProxyConfig(base)).toMatchObject({
      proxyMode: 'iptables',
      minSyncPeriodMs: 1000,
      syncPeriodMs: 30000,
      healthzBindAddress: '0.0.0.0:10256',
      metricsBindAddress: '127.0.0.1:10249',
      nodePortAddresses: [],
    });
  });

  it('parses every flag', () => {
    const c = parseProxyConfig([...base, '--proxy-mode', 'nftables', '--cluster-cidr', '10.244.0.0/16', '--min-sync-period', '200ms', '--sync-period', '1m', '--nodeport-addresses', '10.0.0.0/8, 192.168.0.0/16', '--healthz-bind-address', '127.0.0.1:1', '--metrics-bind-address', ':2']);
    expect(c).toMatchObject({ proxyMode: 'nftables', clusterCidr: '10.244.0.0/16', minSyncPeriodMs: 200, syncPeriodMs: 60000, nodePortAddresses: ['10.0.0.0/8', '192.168.0.0/16'], healthzBindAddress: '127.0.0.1:1', metricsBindAddress: ':2' });
  });

  it.each([
    [['--proxy-mode', 'userspace'], /proxyMode/],
    [['--cluster-cidr', 'ten'], /IPv4 CIDR/],
    [['--sync-period', 'soon'], /invalid duration/],
    [['--healthz-bind-address', 'nohost'], /host:port/],
    [['--unknown'], /Unknown option/],
    [['--nodeport-addresses', '10.0.0.0/8,foo'], /nodePortAddresses\.1: "foo": must be a valid CIDR/],
    [['--nodeport-addresses', '10.0.0.0/40'], /nodePortAddresses\.0: "10\.0\.0\.0\/40": must be a valid CIDR/],
    [['--nodeport-addresses', 'primary,10.0.0.0/8'], /can't use both 'primary' and CIDRs/],
  ])('rejects %j', (extra, message) => {
    expect(() => parseProxyConfig([...base, ...extra])).toThrow(UsageError);
    expect(() => parseProxyConfig([...base, ...extra])).toThrow(message);
  });

  it.each([
    ['primary', ['primary']],
    ['10.0.0.0/8,2001:db8::/32', ['10.0.0.0/8', '2001:db8::/32']],
  ])('--nodeport-addresses %s is accepted', (flag, want) => {
    expect(parseProxyConfig([...base, '--nodeport-addresses', flag])).toMatchObject({ nodePortAddresses: want });
  });

  it('requires --kubeconfig and --hostname-override', () => {
    expect(() => parseProxyConfig([])).toThrow(/--kubeconfig is required[\s\S]*--hostname-override is required/);
  });
});

describe('proxy health', () => {
  it('is healthy until a queued update waits longer than the timeout, and again after a sync', () => {
    let now = 1_000_000;
    const h = new ProxyHealth(60000, () => now);
    h.updated();
    h.queued();
    now += 30000;
    expect(h.report().status).toBe(200);
    now += 31000;
    const stale = h.report();
    expect(stale.status).toBe(503);
    expect(stale.body.currentTime).toBe(new Date(now).toISOString());
    h.updated();
    expect(h.report()).toEqual({ status: 200, body: { lastUpdated: new Date(now).toISOString(), currentTime: new Date(now).toISOString(), nodeEligible: true } });
  });
  it('is unhealthy when no sync happened within the timeout of the start', () => {
    let now = 0;
    const h = new ProxyHealth(1000, () => now);
    expect(h.report().status).toBe(200);
    now = 1001;
    expect(h.report().status).toBe(503);
  });
});
