import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyId } from '../../pkg/auth/serviceaccount-jwt.ts';
import { UserError } from '../../pkg/util/user-error.ts';
import { parseConfig } from '../main.ts';
import { readServiceAccountTokenConfig } from './serviceaccount-keys.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-sa-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
// kubeadm's sa.key is PKCS#1 ("RSA PRIVATE KEY"), sa.pub a PKIX "PUBLIC KEY".
const saKey = join(dir, 'sa.key');
const saPub = join(dir, 'sa.pub');
const ecPub = join(dir, 'ec.pub');
writeFileSync(saKey, rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }));
writeFileSync(saPub, rsa.publicKey.export({ type: 'spki', format: 'pem' }));
writeFileSync(ecPub, ec.publicKey.export({ type: 'spki', format: 'pem' }));

const base = ['--insecure-http', '--storage', 'memory'];

describe('service-account flags', () => {
  it('parse repeatable issuers and key files and comma-list audiences', () => {
    const config = parseConfig([...base, '--service-account-signing-key-file', saKey, '--service-account-key-file', saPub, '--service-account-key-file', ecPub, '--service-account-issuer', 'https://a', '--service-account-issuer', 'https://b', '--api-audiences', 'x,y', '--service-account-max-token-expiration', '48h']);
    expect(config).toMatchObject({ serviceAccountSigningKeyFile: saKey, serviceAccountKeyFiles: [saPub, ecPub], serviceAccountIssuers: ['https://a', 'https://b'], apiAudiences: ['x', 'y'], serviceAccountMaxTokenExpirationSeconds: 172_800 });
  });

  it('refuse a maximum expiration under an hour', () => {
    expect(() => parseConfig([...base, '--service-account-max-token-expiration', '10m'])).toThrow('must be between 1 hour and 2^32 seconds');
  });

  it('default the issuer, the audiences and the verifying key', () => {
    const config = readServiceAccountTokenConfig({ signingKeyFile: saKey, keyFiles: [], issuers: [], apiAudiences: [] });
    expect(config?.issuing?.issuer).toBe('https://kubernetes.default.svc.cluster.local');
    expect(config?.verification.issuers).toEqual(['https://kubernetes.default.svc.cluster.local']);
    expect(config?.verification.apiAudiences).toEqual(['https://kubernetes.default.svc.cluster.local']);
    expect(config?.verification.publicKeys.map((k) => keyId(k))).toEqual([keyId(rsa.publicKey)]);
  });

  it('verify without issuing given only key files; nothing without keys', () => {
    const config = readServiceAccountTokenConfig({ keyFiles: [saPub, ecPub], issuers: ['https://a'], apiAudiences: [] });
    expect(config?.issuing).toBeUndefined();
    expect(config?.verification).toMatchObject({ issuers: ['https://a'], apiAudiences: ['https://a'] });
    expect(config?.verification.publicKeys).toHaveLength(2);
    expect(readServiceAccountTokenConfig({ keyFiles: [], issuers: [], apiAudiences: [] })).toBeUndefined();
  });

  it('name the flag of an unusable file', () => {
    expect(() => readServiceAccountTokenConfig({ signingKeyFile: join(dir, 'missing'), keyFiles: [], issuers: [], apiAudiences: [] })).toThrow(UserError);
    expect(() => readServiceAccountTokenConfig({ signingKeyFile: saPub, keyFiles: [], issuers: [], apiAudiences: [] })).toThrow(/^--service-account-signing-key-file /);
    writeFileSync(join(dir, 'junk'), 'junk');
    expect(() => readServiceAccountTokenConfig({ keyFiles: [join(dir, 'junk')], issuers: [], apiAudiences: [] })).toThrow('--service-account-key-file');
  });
});
