import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boundTokenClaims, legacyTokenClaims } from './serviceaccount-claims.ts';
import { signJwt } from './serviceaccount-jwt.ts';
import { inspectServiceAccountToken, validateServiceAccountToken, type TokenInspection, type TokenObjects } from './serviceaccount-token.ts';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const settings = { publicKeys: [publicKey], issuers: ['https://kubernetes.default.svc.cluster.local', 'https://old'], apiAudiences: ['https://kubernetes.default.svc.cluster.local'] };
const now = new Date('2026-01-01T00:00:00Z');
const sa = { name: 'builder', uid: 'sa-uid' };

function bound(overrides: Partial<Parameters<typeof boundTokenClaims>[0]> = {}): string {
  return signJwt(boundTokenClaims({ issuer: settings.issuers[0], namespace: 'ci', serviceAccount: sa, audiences: settings.apiAudiences, expirationSeconds: 3600, now, jti: 'j-1', ...overrides }), privateKey);
}

function inspected(inspection: TokenInspection) {
  if (inspection.kind !== 'inspected') throw new Error(`not inspected: ${JSON.stringify(inspection)}`);
  return inspection.token;
}

const objects = (extra: TokenObjects = {}): TokenObjects => ({ serviceAccount: { metadata: { uid: 'sa-uid' } }, ...extra });

describe('bound service-account tokens', () => {
  it('authenticate as the service account with upstream groups and extra', () => {
    const token = inspected(inspectServiceAccountToken(bound(), settings, now));
    expect(token.refs).toEqual({ serviceAccount: { namespace: 'ci', name: 'builder' } });
    expect(validateServiceAccountToken(token, objects(), now)).toEqual({
      ok: true,
      audiences: settings.apiAudiences,
      user: { username: 'system:serviceaccount:ci:builder', uid: 'sa-uid', groups: ['system:serviceaccounts', 'system:serviceaccounts:ci'], extra: { 'authentication.kubernetes.io/credential-id': ['JTI=j-1'] } },
    });
  });

  it('are not ours with an unknown issuer, and fail with a wrong key or audience', () => {
    expect(inspectServiceAccountToken(bound({ issuer: 'https://elsewhere' }), settings, now)).toEqual({ kind: 'not-applicable' });
    expect(inspectServiceAccountToken('abc.def', settings, now)).toEqual({ kind: 'not-applicable' });
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(inspectServiceAccountToken(bound(), { ...settings, publicKeys: [other.publicKey] }, now)).toMatchObject({ kind: 'failed' });
    expect(inspectServiceAccountToken(bound({ audiences: ['vault'] }), settings, now)).toEqual({
      kind: 'failed',
      reason: 'token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]',
    });
    // Asked for its own audience it passes (TokenReview with spec.audiences).
    expect(inspected(inspectServiceAccountToken(bound({ audiences: ['vault', 'x'] }), settings, now, ['vault'])).audiences).toEqual(['vault']);
    // A second issuer is accepted too.
    expect(inspectServiceAccountToken(bound({ issuer: 'https://old' }), settings, now).kind).toBe('inspected');
  });

  it('check exp and nbf with 60 s of leeway', () => {
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    expect(inspectServiceAccountToken(bound(), settings, at(3600 + 60)).kind).toBe('inspected');
    expect(inspectServiceAccountToken(bound(), settings, at(3600 + 61))).toEqual({ kind: 'failed', reason: 'service account token has expired' });
    expect(inspectServiceAccountToken(bound(), settings, at(-60)).kind).toBe('inspected');
    expect(inspectServiceAccountToken(bound(), settings, at(-61))).toEqual({ kind: 'failed', reason: 'service account token is not valid yet' });
  });

  it('need the service account with the same uid', () => {
    const token = inspected(inspectServiceAccountToken(bound(), settings, now));
    expect(validateServiceAccountToken(token, {}, now)).toEqual({ ok: false, reason: 'serviceaccounts "builder" not found' });
    expect(validateServiceAccountToken(token, { serviceAccount: { metadata: { uid: 'new' } } }, now)).toEqual({ ok: false, reason: 'service account UID (new) does not match claim (sa-uid)' });
    const deleted = { serviceAccount: { metadata: { uid: 'sa-uid', deletionTimestamp: '2025-12-31T23:58:00Z' } } };
    expect(validateServiceAccountToken(token, deleted, now)).toEqual({ ok: false, reason: 'service account ci/builder has been deleted' });
  });

  it('bound to a pod need the pod and carry it (and its node) in extra', () => {
    const token = inspected(inspectServiceAccountToken(bound({ bound: { kind: 'Pod', pod: { name: 'p', uid: 'p-uid' }, node: { name: 'n1', uid: 'n-uid' } } }), settings, now));
    expect(token.refs).toEqual({ serviceAccount: { namespace: 'ci', name: 'builder' }, pod: { namespace: 'ci', name: 'p' } });
    expect(validateServiceAccountToken(token, objects(), now)).toEqual({ ok: false, reason: 'service account token has been invalidated' });
    expect(validateServiceAccountToken(token, objects({ pod: { metadata: { uid: 'other' } } }), now)).toEqual({ ok: false, reason: 'pod UID (other) does not match service account pod ref claim (p-uid)' });
    const ok = validateServiceAccountToken(token, objects({ pod: { metadata: { uid: 'p-uid' } } }), now);
    expect(ok.ok && ok.user.extra).toEqual({
      'authentication.kubernetes.io/pod-name': ['p'],
      'authentication.kubernetes.io/pod-uid': ['p-uid'],
      'authentication.kubernetes.io/credential-id': ['JTI=j-1'],
      'authentication.kubernetes.io/node-name': ['n1'],
      'authentication.kubernetes.io/node-uid': ['n-uid'],
    });
  });

  it('bound to a secret or a node need that object', () => {
    const secretToken = inspected(inspectServiceAccountToken(bound({ bound: { kind: 'Secret', secret: { name: 's', uid: 's-uid' } } }), settings, now));
    expect(validateServiceAccountToken(secretToken, objects(), now)).toEqual({ ok: false, reason: 'service account token has been invalidated' });
    expect(validateServiceAccountToken(secretToken, objects({ secret: { metadata: { uid: 's-uid' } } }), now).ok).toBe(true);
    const nodeToken = inspected(inspectServiceAccountToken(bound({ bound: { kind: 'Node', node: { name: 'n1', uid: 'n-uid' } } }), settings, now));
    expect(nodeToken.refs.node).toEqual({ name: 'n1' });
    expect(validateServiceAccountToken(nodeToken, objects({ node: { metadata: { uid: 'x' } } }), now)).toEqual({ ok: false, reason: 'node UID (x) does not match service account node ref claim (n-uid)' });
    expect(validateServiceAccountToken(nodeToken, objects({ node: { metadata: { uid: 'n-uid' } } }), now).ok).toBe(true);
  });
});

describe('legacy service-account tokens', () => {
  const token = signJwt(legacyTokenClaims({ namespace: 'ci', name: 'builder', uid: 'sa-uid' }, 'builder-token-abc'), privateKey);
  const secret = (value: string) => ({ metadata: { uid: 's' }, data: { token: Buffer.from(value).toString('base64') } });

  it('are accepted while their Secret holds that very token', () => {
    const t = inspected(inspectServiceAccountToken(token, settings, now));
    expect(t.refs).toEqual({ serviceAccount: { namespace: 'ci', name: 'builder' }, secret: { namespace: 'ci', name: 'builder-token-abc' } });
    expect(validateServiceAccountToken(t, objects({ secret: secret(token) }), now)).toEqual({
      ok: true,
      audiences: settings.apiAudiences,
      user: { username: 'system:serviceaccount:ci:builder', uid: 'sa-uid', groups: ['system:serviceaccounts', 'system:serviceaccounts:ci'] },
    });
    expect(validateServiceAccountToken(t, objects(), now)).toEqual({ ok: false, reason: 'token has been invalidated' });
    expect(validateServiceAccountToken(t, objects({ secret: secret('other') }), now)).toEqual({ ok: false, reason: "token does not match server's copy" });
    expect(validateServiceAccountToken(t, { secret: secret(token), serviceAccount: { metadata: { uid: 'x' } } }, now)).toEqual({ ok: false, reason: 'ServiceAccount UID (x) does not match claim (sa-uid)' });
  });

  it('need complete claims', () => {
    const partial = signJwt({ iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:ci:builder', 'kubernetes.io/serviceaccount/namespace': 'ci' }, privateKey);
    expect(inspectServiceAccountToken(partial, settings, now)).toEqual({ kind: 'failed', reason: 'secretName claim is missing' });
  });
});
