import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Secret } from '../api/core/v1/secret.ts';
import { caCertHash, parseCaCertHash } from './ca-hash.ts';
import { clusterInfoKubeconfig, readClusterInfoKubeconfig, signedClusterInfoData } from './cluster-info.ts';
import { computeDetachedSignature, verifyDetachedSignature } from './jws.ts';
import { bootstrapTokenSecret, checkBootstrapToken, generateBootstrapToken, isExpired, parseBootstrapToken, readBootstrapTokenSecret } from './token.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-bootstrap-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bootstrap token format', () => {
  it.each<[string, boolean]>([
    ['abcdef.0123456789abcdef', true],
    ['ABCDEF.0123456789abcdef', false],
    ['abcde.0123456789abcdef', false],
    ['abcdef.0123456789abcde', false],
    ['abcdef0123456789abcdef', false],
    ['abcdef.0123456789abcdef ', false],
    ['abc-ef.0123456789abcdef', false],
  ])('%s → %s', (token, ok) => {
    expect(parseBootstrapToken(token) !== undefined).toBe(ok);
  });

  it('generates tokens of the format', () => {
    for (let i = 0; i < 20; i++) {
      const t = generateBootstrapToken();
      expect(`${t.id}.${t.secret}`).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    }
  });
});

describe('bootstrap token Secret and authentication', () => {
  const token = { id: 'abcdef', secret: '0123456789abcdef' };
  const now = new Date('2026-01-01T00:00:00Z');
  const secret = bootstrapTokenSecret({ token, expiration: new Date('2026-01-02T00:00:00Z'), usages: ['authentication', 'signing'], extraGroups: ['system:bootstrappers:kubeadm:default-node-token'] });

  it('is stored as kubeadm stores it', () => {
    expect(secret.metadata).toEqual({ name: 'bootstrap-token-abcdef', namespace: 'kube-system' });
    expect(secret.type).toBe('bootstrap.kubernetes.io/token');
    expect(readBootstrapTokenSecret(secret)).toEqual({ id: 'abcdef', secret: '0123456789abcdef', expiration: '2026-01-02T00:00:00Z', description: undefined, usages: ['authentication', 'signing'], extraGroups: ['system:bootstrappers:kubeadm:default-node-token'] });
  });

  const variant = (data: Record<string, string>): Secret => ({ ...secret, data: { ...secret.data, ...Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) } });
  it.each<[string, string, Secret | undefined, string | { username: string; groups: string[] }]>([
    ['valid', 'abcdef.0123456789abcdef', secret, { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token'] }],
    ['wrong secret', 'abcdef.0123456789abcdez', secret, 'bootstrap token secret does not match'],
    ['unknown id', 'abcdef.0123456789abcdef', undefined, 'no secret of name bootstrap-token-abcdef to match bootstrap bearer token'],
    ['expired', 'abcdef.0123456789abcdef', variant({ expiration: '2025-12-31T00:00:00Z' }), 'bootstrap token abcdef has expired'],
    ['no authentication usage', 'abcdef.0123456789abcdef', variant({ 'usage-bootstrap-authentication': 'false' }), 'bootstrap token abcdef is not usable for authentication'],
    ['bad extra group', 'abcdef.0123456789abcdef', variant({ 'auth-extra-groups': 'system:masters' }), 'bootstrap token abcdef has an invalid extra group "system:masters"'],
    ['wrong type', 'abcdef.0123456789abcdef', { ...secret, type: 'Opaque' }, 'secret bootstrap-token-abcdef is not a bootstrap token'],
    ['not a bootstrap token', 'some-static-token', secret, 'not a bootstrap token'],
  ])('%s', (_name, presented, stored, expected) => {
    const result = checkBootstrapToken(presented, stored, now);
    expect(result).toEqual(typeof expected === 'string' ? { ok: false, reason: expected } : { ok: true, user: expected });
  });

  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['2026-01-01T00:00:01Z', false],
    ['2026-01-01T00:00:00Z', true],
    ['not a time', true],
  ])('expiration %s expired: %s', (expiration, expired) => {
    expect(isExpired(expiration, now)).toBe(expired);
  });
});

describe('detached JWS (HS256)', () => {
  const content = clusterInfoKubeconfig('https://10.0.0.1:6443', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const jws = computeDetachedSignature(content, 'abcdef', '0123456789abcdef');

  it('has an empty payload and the token id as kid', () => {
    const [header, payload] = jws.split('.');
    expect(payload).toBe('');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', kid: 'abcdef' });
  });

  it.each<[string, string, string, string, boolean]>([
    ['the same content and token', content, jws, '0123456789abcdef', true],
    ['changed content', `${content} `, jws, '0123456789abcdef', false],
    ['another secret', content, jws, '0123456789abcdeg', false],
    ['an attached payload', content, jws.replace('..', '.eA.'), '0123456789abcdef', false],
    ['alg none', content, `${Buffer.from('{"alg":"none"}').toString('base64url')}..`, '0123456789abcdef', false],
    ['garbage', content, 'not-a-jws', '0123456789abcdef', false],
  ])('%s verifies: %s', (_name, c, signature, secret, ok) => {
    expect(verifyDetachedSignature(c, signature, 'abcdef', secret)).toBe(ok);
  });

  it('matches an RFC 7515 HS256 computation done independently', () => {
    const header = Buffer.from('{"alg":"HS256","kid":"abcdef"}').toString('base64url');
    const mac = createHmac('sha256', '0123456789abcdef').update(`${header}.${Buffer.from(content).toString('base64url')}`).digest('base64url');
    expect(jws).toBe(`${header}..${mac}`);
  });
});

describe('CA public-key pin', () => {
  it('is sha256 of the SubjectPublicKeyInfo, as openssl computes it', () => {
    const key = join(dir, 'ca.key');
    const cert = join(dir, 'ca.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=test-ca'], { stdio: 'ignore' });
    const spki = execFileSync('sh', ['-c', `openssl x509 -in ${cert} -pubkey -noout | openssl pkey -pubin -outform der`]);
    expect(caCertHash(readFileSync(cert))).toBe(`sha256:${createHash('sha256').update(spki).digest('hex')}`);
  });

  it.each<[string, string | RegExp]>([
    [`sha256:${'A'.repeat(64)}`, `sha256:${'a'.repeat(64)}`],
    [`sha256:${'a'.repeat(63)}`, /expected "sha256:" followed by 64 hex characters/],
    [`md5:${'a'.repeat(32)}`, /invalid discovery-token-ca-cert-hash/],
  ])('parses %s', (input, expected) => {
    const out = parseCaCertHash(input);
    if (typeof expected === 'string') expect(out).toBe(expected);
    else expect((out as Error).message).toMatch(expected);
  });
});

describe('cluster-info', () => {
  const kubeconfig = clusterInfoKubeconfig('https://10.0.0.1:6443', 'PEM');
  it('reads back the server and CA', () => {
    expect(readClusterInfoKubeconfig(kubeconfig)).toEqual({ server: 'https://10.0.0.1:6443', caPem: 'PEM' });
    expect(readClusterInfoKubeconfig('clusters: []')).toBeInstanceOf(Error);
  });

  it('signs for exactly the given tokens, dropping stale signatures', () => {
    const sign = (c: string, id: string, s: string) => `${id}:${s}:${c.length}`;
    const data = signedClusterInfoData({ kubeconfig, 'jws-kubeconfig-old000': 'x', other: 'y' }, new Map([['bbbbbb', 's2'], ['aaaaaa', 's1']]), sign);
    expect(data).toEqual({ kubeconfig, other: 'y', 'jws-kubeconfig-aaaaaa': `aaaaaa:s1:${kubeconfig.length}`, 'jws-kubeconfig-bbbbbb': `bbbbbb:s2:${kubeconfig.length}` });
  });
});
