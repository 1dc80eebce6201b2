import { describe, expect, it } from 'vitest';
import { checkConfig, containerGcPolicy, imageGcPolicy, parseConfig, type KubeletConfig } from './config.ts';
import { parseResolvConf } from './node/resolv-conf.ts';

describe('kubelet flags', () => {
  it('defaults as upstream, node name from the host name (lower-cased)', () => {
    expect(parseConfig(['--kubeconfig', '/k'], 'Host-1')).toMatchObject({
      nodeName: 'host-1',
      runtime: 'cri',
      runtimeEndpoint: 'unix:///run/containerd/containerd.sock',
      rootDir: '/var/lib/kubelet',
      maxPods: 110,
      clusterDomain: 'cluster.local',
      runtimeRequestTimeoutMs: 120_000,
      statusIntervalMs: 10_000,
      housekeepingIntervalMs: 10_000,
      healthzPort: 10248,
      anonymousAuth: true,
      authorizationMode: 'AlwaysAllow',
    });
  });

  it('parses labels, taints, DNS and durations', () => {
    const c = parseConfig(['--kubeconfig=/k', '--hostname-override', 'n1', '--node-labels', 'disk=ssd,zone=a', '--register-with-taints', 'dedicated=db:NoSchedule,gpu:NoExecute', '--cluster-dns', '10.96.0.10', '--node-status-update-frequency', '2s', '--housekeeping-interval', '500ms', '--runtime', 'fake'], 'h');
    expect(c).toMatchObject({ nodeName: 'n1', runtime: 'fake', labels: { disk: 'ssd', zone: 'a' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }], clusterDns: ['10.96.0.10'], statusIntervalMs: 2000, housekeepingIntervalMs: 500 });
  });

  it.each([
    [['--kubeconfig', '/k', '--register-with-taints', 'a=b:Sometimes'], 'Invalid option'],
    [['--kubeconfig', '/k', '--node-labels', 'novalue'], 'invalid label "novalue"'],
    [['--kubeconfig', '/k', '--runtime', 'docker'], 'runtime'],
    [[], 'kubeconfig'],
    [['--kubeconfig', '/k', '--authorization-mode', 'RBAC'], 'authorizationMode'],
  ])('%j is a usage error', (argv, message) => expect(() => parseConfig(argv, 'h')).toThrow(message));

  it('takes the serving certificate flags; checkConfig wants both or neither', () => {
    const both = parseConfig(['--kubeconfig', '/k', '--tls-cert-file', '/s.crt', '--tls-private-key-file', '/s.key'], 'h') as KubeletConfig;
    expect(both).toMatchObject({ tlsCertFile: '/s.crt', tlsPrivateKeyFile: '/s.key' });
    expect(checkConfig(both)).toBeUndefined();
    expect(checkConfig(parseConfig(['--kubeconfig', '/k', '--tls-cert-file', '/s.crt'], 'h') as KubeletConfig)).toBe('--tls-cert-file and --tls-private-key-file go together');
    expect(checkConfig(parseConfig(['--kubeconfig', '/k'], 'h') as KubeletConfig)).toBeUndefined();
  });

  it('takes the access flags as `k8ts up` passes them; a client CA needs HTTPS', () => {
    const tls = ['--kubeconfig', '/k', '--tls-cert-file', '/s.crt', '--tls-private-key-file', '/s.key'];
    const secure = parseConfig([...tls, '--client-ca-file', '/ca.crt', '--anonymous-auth=false', '--authorization-mode', 'Webhook'], 'h') as KubeletConfig;
    expect(secure).toMatchObject({ clientCaFile: '/ca.crt', anonymousAuth: false, authorizationMode: 'Webhook' });
    expect(checkConfig(secure)).toBeUndefined();
    expect(parseConfig(['--kubeconfig', '/k', '--anonymous-auth'], 'h')).toMatchObject({ anonymousAuth: true });
    expect(checkConfig(parseConfig(['--kubeconfig', '/k', '--client-ca-file', '/ca.crt'], 'h') as KubeletConfig)).toBe('--client-ca-file needs --tls-cert-file and --tls-private-key-file (client certificates come with HTTPS)');
  });

  it('token webhook flags: off and 2m0s by default, as upstream; a bad TTL is pflag\'s invalid argument', () => {
    expect(parseConfig(['--kubeconfig', '/k'], 'h')).toMatchObject({ authenticationTokenWebhook: false, authenticationTokenWebhookCacheTtlMs: 120_000 });
    expect(parseConfig(['--kubeconfig', '/k', '--authentication-token-webhook', '--authentication-token-webhook-cache-ttl', '1m30s'], 'h')).toMatchObject({ authenticationTokenWebhook: true, authenticationTokenWebhookCacheTtlMs: 90_000 });
    expect(parseConfig(['--kubeconfig', '/k', '--authentication-token-webhook=false', '--authentication-token-webhook-cache-ttl=0'], 'h')).toMatchObject({ authenticationTokenWebhook: false, authenticationTokenWebhookCacheTtlMs: 0 });
    expect(parseConfig(['--kubeconfig', '/k', '--authentication-token-webhook=true'], 'h')).toMatchObject({ authenticationTokenWebhook: true });
    expect(() => parseConfig(['--kubeconfig', '/k', '--authentication-token-webhook-cache-ttl', '2 minutes'], 'h')).toThrow('invalid argument "2 minutes" for "--authentication-token-webhook-cache-ttl" flag: time: invalid duration "2 minutes"');
    expect(() => parseConfig(['--kubeconfig', '/k', '--authentication-token-webhook-cache-ttl=-1s'], 'h')).toThrow('authenticationTokenWebhookCacheTtlMs');
  });

  it('every duration flag fails with pflag\'s invalid argument error', () => {
    expect(() => parseConfig(['--kubeconfig', '/k', '--node-status-update-frequency', '10'], 'h')).toThrow('invalid argument "10" for "--node-status-update-frequency" flag: time: invalid duration "10"');
  });
});

describe('parseResolvConf', () => {
  it('reads nameservers, the last search line and options', () => {
    expect(parseResolvConf('# c\nnameserver 1.1.1.1\nnameserver 8.8.8.8 ; x\nsearch a.example b.example\noptions ndots:2 edns0\n')).toEqual({ servers: ['1.1.1.1', '8.8.8.8'], searches: ['a.example', 'b.example'], options: ['ndots:2', 'edns0'] });
  });

  it('eviction flags: upstream defaults, maps replace them, upstream errors', () => {
    const d = parseConfig(['--kubeconfig', '/k'], 'h') as KubeletConfig;
    expect(d).toMatchObject({
      evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '10%', 'nodefs.inodesFree': '5%', 'imagefs.available': '15%', 'imagefs.inodesFree': '5%' },
      evictionSoft: {},
      evictionPressureTransitionPeriodMs: 300_000,
      evictionMaxPodGracePeriod: 0,
    });
    expect(checkConfig(d)).toBeUndefined();
    const c = parseConfig(['--kubeconfig', '/k', '--eviction-hard', 'memory.available<1Gi', '--eviction-soft', 'memory.available<2Gi', '--eviction-soft-grace-period', 'memory.available=1m30s', '--eviction-minimum-reclaim', 'memory.available=500Mi', '--eviction-pressure-transition-period', '30s', '--eviction-max-pod-grace-period', '60'], 'h') as KubeletConfig;
    expect(c).toMatchObject({ evictionHard: { 'memory.available': '1Gi' }, evictionSoft: { 'memory.available': '2Gi' }, evictionSoftGracePeriod: { 'memory.available': '1m30s' }, evictionMinimumReclaim: { 'memory.available': '500Mi' }, evictionPressureTransitionPeriodMs: 30_000, evictionMaxPodGracePeriod: 60 });
    expect(c.evictionHard['nodefs.available']).toBeUndefined();
    expect(checkConfig(c)).toBeUndefined();
    expect(() => parseConfig(['--kubeconfig', '/k', '--eviction-hard', 'memory.available=1Gi'], 'h')).toThrow('invalid argument "memory.available=1Gi" for "--eviction-hard" flag: malformed pair, expect string<string');
    expect(checkConfig(parseConfig(['--kubeconfig', '/k', '--eviction-hard', 'cpu.available<1'], 'h') as KubeletConfig)).toBe('failed to parse eviction thresholds: unsupported eviction signal cpu.available');
    expect(checkConfig(parseConfig(['--kubeconfig', '/k', '--eviction-soft', 'memory.available<1Gi'], 'h') as KubeletConfig)).toBe('failed to parse eviction thresholds: grace period must be specified for the soft eviction threshold memory.available');
  });
});

describe('garbage collection flags', () => {
  it('upstream defaults', () => {
    const d = parseConfig(['--kubeconfig', '/k'], 'h') as KubeletConfig;
    expect(d).toMatchObject({ minimumContainerTtlMs: 0, maximumDeadContainersPerContainer: 1, maximumDeadContainers: -1, imageGcHighThresholdPercent: 85, imageGcLowThresholdPercent: 80, imageMinimumGcAgeMs: 120_000, imageMaximumGcAgeMs: 0 });
    expect(containerGcPolicy(d)).toEqual({ minAgeMs: 0, maxPerPodContainer: 1, maxContainers: -1 });
    expect(imageGcPolicy(d)).toEqual({ highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 120_000, maxAgeMs: 0 });
    expect(checkConfig(d)).toBeUndefined();
  });

  it('parses every flag', () => {
    const c = parseConfig(['--kubeconfig', '/k', '--minimum-container-ttl-duration', '1m', '--maximum-dead-containers-per-container', '2', '--maximum-dead-containers', '100', '--image-gc-high-threshold', '100', '--image-gc-low-threshold', '90', '--image-minimum-gc-age', '5m', '--image-maximum-gc-age', '168h'], 'h') as KubeletConfig;
    expect(containerGcPolicy(c)).toEqual({ minAgeMs: 60_000, maxPerPodContainer: 2, maxContainers: 100 });
    expect(imageGcPolicy(c)).toEqual({ highThresholdPercent: 100, lowThresholdPercent: 90, minAgeMs: 300_000, maxAgeMs: 168 * 3_600_000 });
    expect(checkConfig(c)).toBeUndefined();
  });

  it.each([
    [['--image-gc-high-threshold', '101'], 'invalid configuration: imageGCHighThresholdPercent (--image-gc-high-threshold) 101 must be between 0 and 100, inclusive'],
    [['--image-gc-low-threshold', '85'], 'invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) 85 must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) 85'],
    [['--image-gc-high-threshold', '50'], 'invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) 80 must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) 50'],
    [['--image-maximum-gc-age', '1m'], 'invalid configuration: imageMaximumGCAge 1m0s must be greater than imageMinimumGCAge 2m0s'],
    [['--image-gc-high-threshold=-1', '--image-gc-low-threshold=-2'], '[invalid configuration: imageGCHighThresholdPercent (--image-gc-high-threshold) -1 must be between 0 and 100, inclusive, invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) -2 must be between 0 and 100, inclusive]'],
  ])('%j: checkConfig says upstream\'s error', (flags, message) => {
    expect(checkConfig(parseConfig(['--kubeconfig', '/k', ...flags], 'h') as KubeletConfig)).toBe(message);
  });

  it.each([
    [['--image-gc-high-threshold', 'lots'], 'imageGcHighThresholdPercent'],
    [['--maximum-dead-containers', '1.5'], 'maximumDeadContainers'],
    [['--image-minimum-gc-age', '2 minutes'], 'time: invalid duration'],
  ])('%j is a usage error', (flags, message) => {
    expect(() => parseConfig(['--kubeconfig', '/k', ...flags], 'h')).toThrow(message);
  });
});
