import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { advertisedAddress, eventKeyTtls, isLoopback, main, parseConfig, UsageError } from './main.ts';

describe('parseConfig', () => {
  it('parses the documented flags', () => {
    const config = parseConfig(['--etcd-servers', 'http://127.0.0.1:2379,http://127.0.0.1:2380', '--port', '6443', '--insecure-http', '--storage', 'memory', '--etcd-prefix', '/k8ts']);
    expect(config).toMatchObject({
      etcdServers: ['http://127.0.0.1:2379', 'http://127.0.0.1:2380'],
      port: 6443,
      bindAddress: '127.0.0.1',
      insecureHttp: true,
      storage: 'memory',
      etcdPrefix: '/k8ts',
      serviceClusterIpRange: '10.96.0.0/12',
      serviceNodePortRange: '30000-32767',
    });
  });

  it.each([
    [['--insecure-http', '--bind-address', '0.0.0.0'], /--insecure-http is only allowed on a loopback --bind-address/],
    [[], /--tls-cert-file and --tls-private-key-file/],
    [['--insecure-http', '--port', 'eighty'], /port/],
    [['--insecure-http', '--storage', 'disk'], /storage/],
    [['--insecure-http', '--nonsense'], /Unknown option '--nonsense'/],
    [['--insecure-http', '--service-node-port-range', '30000'], /must be <first>-<last>/],
    [['--insecure-http', '--kubelet-client-certificate', '/c.crt'], /--kubelet-client-certificate and --kubelet-client-key go together/],
    [['--insecure-http', '--kubelet-https', 'yes'], /kubeletHttps/],
    [['--insecure-http', '--event-ttl', 'an hour'], /time: invalid duration "an hour"/],
    [['--insecure-http', '--event-ttl=-1h'], /eventTtlMs: must not be negative/],
    [['--insecure-http', '--service-account-jwks-uri', 'http://baz.com'], /service-account-jwks-uri requires https scheme, parsed as: http:\/\/baz\.com/],
    [['--insecure-http', '--service-account-jwks-uri', 'https://host:port'], /service-account-jwks-uri must be a valid URL: parse "https:\/\/host:port"/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseConfig(argv)).toThrow(UsageError);
    expect(() => parseConfig(argv)).toThrow(message);
  });

  it('keeps events --event-ttl after their last write (default 1h, whole seconds, none under a second)', () => {
    const config = (argv: string[]) => parseConfig(['--insecure-http', ...argv]) as Exclude<ReturnType<typeof parseConfig>, 'help'>;
    expect(eventKeyTtls(config([]))).toEqual([{ prefix: '/registry/events/', seconds: 3600 }]);
    expect(eventKeyTtls(config(['--event-ttl', '90.5s', '--etcd-prefix', '/k8ts']))).toEqual([{ prefix: '/k8ts/events/', seconds: 90 }]);
    expect(eventKeyTtls(config(['--event-ttl', '500ms']))).toEqual([]);
    expect(eventKeyTtls(config(['--event-ttl', '0']))).toEqual([]);
  });

  it('compacts etcd every --etcd-compaction-interval (default 5m, 0 = never, negative refused)', () => {
    expect(parseConfig(['--insecure-http'])).toMatchObject({ etcdCompactionIntervalMs: 300_000 });
    expect(parseConfig(['--insecure-http', '--etcd-compaction-interval', '1m30s'])).toMatchObject({ etcdCompactionIntervalMs: 90_000 });
    expect(parseConfig(['--insecure-http', '--etcd-compaction-interval', '0'])).toMatchObject({ etcdCompactionIntervalMs: 0 });
    expect(() => parseConfig(['--insecure-http', '--etcd-compaction-interval=-1s'])).toThrow('must not be negative');
  });

  it('parses --service-account-jwks-uri (an https URL)', () => {
    expect(parseConfig(['--insecure-http', '--service-account-jwks-uri', 'https://keys.example.com/jwks'])).toMatchObject({ serviceAccountJwksUri: 'https://keys.example.com/jwks' });
    expect(parseConfig(['--insecure-http'])).toMatchObject({ serviceAccountJwksUri: undefined });
  });

  it('parses the kubelet client flags', () => {
    expect(parseConfig(['--insecure-http', '--kubelet-certificate-authority', '/ca.crt', '--kubelet-client-certificate', '/c.crt', '--kubelet-client-key', '/c.key', '--kubelet-https', 'true'])).toMatchObject({
      kubeletCertificateAuthority: '/ca.crt',
      kubeletClientCertificate: '/c.crt',
      kubeletClientKey: '/c.key',
      kubeletHttps: 'true',
    });
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
  ])('isLoopback(%s) = %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });

  it('advertises loopback for wildcard binds', () => {
    expect(advertisedAddress('0.0.0.0', 6443)).toEqual({ ip: '127.0.0.1', port: 6443 });
    expect(advertisedAddress('10.1.2.3', 443)).toEqual({ ip: '10.1.2.3', port: 443 });
  });

  it('advertises --advertise-address when given, and refuses one that is no IP', () => {
    expect(advertisedAddress('0.0.0.0', 6443, '10.250.0.1')).toEqual({ ip: '10.250.0.1', port: 6443 });
    expect(parseConfig(['--insecure-http', '--advertise-address', '10.250.0.1'])).toMatchObject({ advertiseAddress: '10.250.0.1' });
    expect(() => parseConfig(['--insecure-http', '--advertise-address', 'example.com'])).toThrow(/must be an IP address/);
  });
});

describe('main', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it('exits 2 with a clear message for insecure HTTP on a public address', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main(['--insecure-http', '--bind-address', '0.0.0.0']);
    expect(process.exitCode).toBe(2);
    expect(String(stderr.mock.calls[0][0])).toContain('--insecure-http is only allowed on a loopback --bind-address (got 0.0.0.0)');
  });

  it('exits 1 with the reason on stderr when the server cannot start (a bad --service-cluster-ip-range)', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main(['--insecure-http', '--storage', 'memory', '--port', '0', '--log-level', 'silent', '--service-cluster-ip-range', '10.0.0.0/99']);
    expect(process.exitCode).toBe(1);
    expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual(['k8ts apiserver: invalid --service-cluster-ip-range "10.0.0.0/99"\n']);
  });

  it('exits 1 naming the problem when --admission-control-config-file is bad (as kube-apiserver refuses to start)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-admission-flag-'));
    try {
      const file = join(dir, 'admission.yaml');
      writeFileSync(file, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults: {enforce: strict}\n');
      expect(parseConfig(['--insecure-http', '--admission-control-config-file', file])).toMatchObject({ admissionControlConfigFile: file });
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      await main(['--insecure-http', '--storage', 'memory', '--port', '0', '--log-level', 'silent', '--admission-control-config-file', file]);
      expect(process.exitCode).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual(['k8ts apiserver: failed to initialize admission: failed to initialize admission plugin "PodSecurity": PodSecurity configuration error: enforce: must be one of privileged, baseline, restricted\n']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses the audit flags (defaults as upstream: rotation at lumberjack defaults, json format)', () => {
    expect(parseConfig(['--insecure-http'])).toMatchObject({ auditLogMaxage: 0, auditLogMaxbackup: 0, auditLogMaxsize: 0, auditLogFormat: 'json' });
    expect(parseConfig(['--insecure-http', '--audit-policy-file', '/p.yaml', '--audit-log-path', '-', '--audit-log-maxage', '7', '--audit-log-maxbackup', '3', '--audit-log-maxsize', '50'])).toMatchObject({
      auditPolicyFile: '/p.yaml',
      auditLogPath: '-',
      auditLogMaxage: 7,
      auditLogMaxbackup: 3,
      auditLogMaxsize: 50,
    });
    expect(() => parseConfig(['--insecure-http', '--audit-log-format', 'legacy'])).toThrow(UsageError);
  });

  it('exits 1 naming the problem when --audit-policy-file is bad (as kube-apiserver refuses to start)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-audit-flag-'));
    try {
      const file = join(dir, 'policy.yaml');
      writeFileSync(file, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n');
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      await main(['--insecure-http', '--storage', 'memory', '--port', '0', '--log-level', 'silent', '--audit-policy-file', file, '--audit-log-path', join(dir, 'audit.log')]);
      expect(process.exitCode).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([`k8ts apiserver: loading audit policy file: rules[0].level: Unsupported value: "Loud": supported values: "None", "Metadata", "Request", "RequestResponse": from file ${file}\n`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 for --workers above 1 on the memory storage (each worker would have its own store)', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main(['--insecure-http', '--storage', 'memory', '--workers', '2']);
    expect(process.exitCode).toBe(2);
    expect(String(stderr.mock.calls[0][0])).toContain('--workers above 1 needs --storage etcd');
  });
});
