/**
 * serviceaccount-token: the pure populate / leave / delete decisions, the private-key flag, and
 * the controller against the in-process API server (whose TokenReview must accept what it signs).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Secret } from '../../../pkg/api/core/v1/secret.ts';
import type { ServiceAccount } from '../../../pkg/api/core/v1/serviceaccount.ts';
import { decodeJwt } from '../../../pkg/auth/serviceaccount-jwt.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { UserError } from '../../../pkg/util/user-error.ts';
import { ensureCa } from '../../../cli/up/pki.ts';
import { parseConfig } from '../../config.ts';
import { selectControllers } from '../../select-controllers.ts';
import { BUILTIN_CONTROLLERS } from '../index.ts';
import { decideTokenSecret, populatedTokenSecret, secretUpdateNeeded, withoutSecretReference } from './decide.ts';
import { readServiceAccountPrivateKey } from './index.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const sa = (uid = 'sa-uid') => ({ metadata: { name: 'admin-user', namespace: 'kube-system', uid } }) as ServiceAccount;
const secret = (opts: { type?: string; annotations?: Record<string, string>; data?: Record<string, string> } = {}) =>
  ({
    metadata: { name: 'admin-user-token', namespace: 'kube-system', uid: 'secret-uid', annotations: opts.annotations ?? { 'kubernetes.io/service-account.name': 'admin-user' } },
    type: opts.type ?? 'kubernetes.io/service-account-token',
    ...(opts.data ? { data: opts.data } : {}),
  }) as Secret;
const complete = { token: b64('jwt'), 'ca.crt': b64('CA'), namespace: b64('kube-system') };

describe('decideTokenSecret', () => {
  it.each([
    ['an empty token Secret is populated', secret(), sa(), 'CA', { kind: 'populate', needs: { ca: true, namespace: true, token: true } }],
    ['with a matching uid annotation too', secret({ annotations: { 'kubernetes.io/service-account.name': 'admin-user', 'kubernetes.io/service-account.uid': 'sa-uid' } }), sa(), 'CA', { kind: 'populate' }],
    ['only the missing namespace', secret({ data: { token: b64('jwt'), 'ca.crt': b64('CA') } }), sa(), 'CA', { kind: 'populate', needs: { ca: false, namespace: true, token: false } }],
    ['a changed CA is replaced, the token kept', secret({ data: { ...complete, 'ca.crt': b64('OLD') } }), sa(), 'CA', { kind: 'populate', needs: { ca: true, namespace: false, token: false } }],
    ['no CA to publish: ca.crt is not needed', secret({ data: { token: b64('jwt'), namespace: b64('kube-system') } }), sa(), '', { kind: 'leave' }],
    ['a complete Secret is left alone', secret({ data: complete }), sa(), 'CA', { kind: 'leave' }],
    ['an Opaque Secret is left alone', secret({ type: 'Opaque' }), undefined, 'CA', { kind: 'leave' }],
    ['a token Secret without a name annotation is left alone', secret({ annotations: {} }), undefined, 'CA', { kind: 'leave' }],
    ['a missing account deletes it, on its uid', secret({ data: complete }), undefined, 'CA', { kind: 'delete', uid: 'secret-uid' }],
    ['an account of another uid deletes it', secret({ annotations: { 'kubernetes.io/service-account.name': 'admin-user', 'kubernetes.io/service-account.uid': 'old-uid' } }), sa(), 'CA', { kind: 'delete', uid: 'secret-uid' }],
  ] as const)('%s', (_name, s, account, ca, expected) => {
    expect(decideTokenSecret(s, account, ca)).toMatchObject(expected);
  });

  it('secretUpdateNeeded compares the CA bytes', () => {
    expect(secretUpdateNeeded(secret({ data: complete }), 'CA')).toEqual({ ca: false, namespace: false, token: false });
    expect(secretUpdateNeeded(secret({ data: complete }), 'CA2')).toEqual({ ca: true, namespace: false, token: false });
  });

  it('populatedTokenSecret fills what is needed and sets the account annotations', () => {
    let signed = 0;
    const gen = () => (signed++, 'header.payload.sig');
    const s = { ...secret(), metadata: { ...secret().metadata, labels: { keep: 'me' } } } as Secret;
    const next = populatedTokenSecret(s, sa(), { ca: true, namespace: true, token: true }, 'CA', gen);
    expect(next.data).toEqual({ token: b64('header.payload.sig'), 'ca.crt': b64('CA'), namespace: b64('kube-system') });
    expect(next.metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'admin-user', 'kubernetes.io/service-account.uid': 'sa-uid' });
    expect(next.metadata.labels).toEqual({ keep: 'me' });
    expect(s.data).toBeUndefined();
    populatedTokenSecret(secret({ data: complete }), sa(), { ca: false, namespace: true, token: false }, 'CA', gen);
    expect(signed).toBe(1);
  });
});

describe('withoutSecretReference', () => {
  it('drops only the deleted Secret', () => {
    const account = { ...sa(), secrets: [{ name: 'a' }, { name: 'admin-user-token' }] } as ServiceAccount;
    expect(withoutSecretReference(account, 'admin-user-token')?.secrets).toEqual([{ name: 'a' }]);
    expect(account.secrets).toHaveLength(2);
    expect(withoutSecretReference(account, 'other')).toBeUndefined();
    expect(withoutSecretReference(sa(), 'admin-user-token')).toBeUndefined();
  });
});

describe('--service-account-private-key-file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-satoken-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is parsed into the settings (absent by default)', () => {
    expect(parseConfig(['--kubeconfig', '/k', '--service-account-private-key-file', '/pki/sa.key'])).toMatchObject({ settings: { serviceAccountPrivateKeyFile: '/pki/sa.key' } });
    expect((parseConfig(['--kubeconfig', '/k']) as { settings: { serviceAccountPrivateKeyFile?: string } }).settings.serviceAccountPrivateKeyFile).toBeUndefined();
  });

  it('names the flag when the file cannot be read or is not a key', async () => {
    const missing = join(dir, 'missing.key');
    expect(() => readServiceAccountPrivateKey(missing)).toThrow(UserError);
    expect(() => readServiceAccountPrivateKey(missing)).toThrow(`--service-account-private-key-file ${missing}: ENOENT`);
    const garbage = join(dir, 'garbage.key');
    await writeFile(garbage, 'not a key');
    expect(() => readServiceAccountPrivateKey(garbage)).toThrow(`--service-account-private-key-file ${garbage}: error reading key for service account token controller`);
    const rsa = join(dir, 'rsa.key');
    await writeFile(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }));
    expect(readServiceAccountPrivateKey(rsa).asymmetricKeyType).toBe('rsa');
  });

  it('is the upstream controller serviceaccount-token-controller, on by default', () => {
    expect(selectControllers(['serviceaccount-token-controller'], BUILTIN_CONTROLLERS).map((c) => c.name)).toEqual(['serviceaccount-token']);
    expect(selectControllers(['*'], BUILTIN_CONTROLLERS).map((c) => c.name)).toContain('serviceaccount-token');
  });
});

describe('serviceaccount-token controller', () => {
  let cp: TestControlPlane;
  let dir: string;
  let caPem: string;
  const until = <T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> => waitFor(what, fn, { timeoutMs: 15_000, intervalMs: 50, retryErrors: true });
  const secrets = () => cp.client.secrets.inNamespace('kube-system');
  const gone = (name: string) => until(`${name} deleted`, () => secrets().get(name).then(() => false, (err: { code?: number }) => err.code === 404));
  const review = async (token: string) => {
    const res = await fetch(`${cp.url}/apis/authentication.k8s.io/v1/tokenreviews`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }) });
    return ((await res.json()) as { status: { authenticated?: boolean; user?: { username?: string } } }).status;
  };
  const tokenSecret = (name: string, account: string) => ({ metadata: { name, annotations: { 'kubernetes.io/service-account.name': account } }, type: 'kubernetes.io/service-account-token' }) as Secret;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-satoken-ca-'));
    const ca = await ensureCa(dir);
    caPem = await readFile(ca.cert, 'utf8');
    // The plane's serviceAccountPrivateKeyFile defaults to the key its API server verifies with.
    cp = await startTestControlPlane({ controllers: ['serviceaccount-token'], controllerSettings: { rootCaFile: ca.cert } });
  });
  afterAll(async () => {
    await cp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('populates a token Secret the API server accepts, and deletes it with its account', async () => {
    const account = await cp.client.serviceAccounts.inNamespace('kube-system').create({ metadata: { name: 'admin-user' } } as ServiceAccount);
    await secrets().create(tokenSecret('admin-user-token', 'admin-user'));
    const populated = await until('token', async () => {
      const s = await secrets().get('admin-user-token');
      return s.data?.token ? s : undefined;
    });
    expect(populated.metadata.annotations?.['kubernetes.io/service-account.uid']).toBe(account.metadata.uid);
    expect(Buffer.from(populated.data?.namespace ?? '', 'base64').toString()).toBe('kube-system');
    expect(Buffer.from(populated.data?.['ca.crt'] ?? '', 'base64').toString()).toBe(caPem);
    const token = Buffer.from(populated.data?.token ?? '', 'base64').toString();
    expect(decodeJwt(token)?.payload).toMatchObject({ iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:kube-system:admin-user', 'kubernetes.io/serviceaccount/secret.name': 'admin-user-token' });
    expect(await review(token)).toMatchObject({ authenticated: true, user: { username: 'system:serviceaccount:kube-system:admin-user' } });

    await cp.client.serviceAccounts.inNamespace('kube-system').delete('admin-user');
    await gone('admin-user-token');
    expect((await review(token)).authenticated).toBeFalsy();
  });

  it('deletes a token Secret naming a missing account', async () => {
    await secrets().create(tokenSecret('orphan-token', 'nobody'));
    await gone('orphan-token');
  });

  it('removes a deleted token Secret from the account’s secrets', async () => {
    const accounts = cp.client.serviceAccounts.inNamespace('kube-system');
    await accounts.create({ metadata: { name: 'builder' }, secrets: [{ name: 'builder-token' }, { name: 'keep' }] } as ServiceAccount);
    await secrets().create(tokenSecret('builder-token', 'builder'));
    await until('populated', async () => (await secrets().get('builder-token')).data?.token);
    await secrets().delete('builder-token');
    await until('reference removed', async () => (await accounts.get('builder')).secrets?.length === 1);
    expect((await accounts.get('builder')).secrets).toEqual([{ name: 'keep' }]);
  });

  it('leaves other Secrets alone', async () => {
    await secrets().create({ metadata: { name: 'plain', annotations: { 'kubernetes.io/service-account.name': 'nobody' } }, stringData: { a: 'b' } } as Secret);
    await new Promise((r) => setTimeout(r, 300));
    expect((await secrets().get('plain')).data).toEqual({ a: b64('b') });
  });
});
