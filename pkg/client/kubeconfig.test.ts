import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectionFor, KubeConfigError, loadKubeConfig, mergeKubeConfigs, parseKubeConfig } from './kubeconfig.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-kubeconfig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

const FIRST = `
apiVersion: v1
kind: Config
current-context: one
clusters:
- name: c1
  cluster:
    server: https://one.example:6443/
    certificate-authority: certs/ca.crt
- name: shared
  cluster: { server: https://first-shared }
users:
- name: u1
  user:
    client-certificate-data: ${b64('CERT')}
    client-key-data: ${b64('KEY')}
contexts:
- name: one
  context: { cluster: c1, user: u1, namespace: team-a }
- name: shared
  context: { cluster: shared, user: u2 }
`;

const SECOND = `
current-context: two
clusters:
- name: shared
  cluster: { server: https://second-shared }
- name: c2
  cluster:
    server: http://127.0.0.1:8080
    insecure-skip-tls-verify: true
users:
- name: u2
  user: { token: abc }
- name: u3
  user: { tokenFile: ./token }
contexts:
- name: two
  context: { cluster: c2, user: u3 }
`;

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('kubeconfig', () => {
  it('merges KUBECONFIG files first-wins and skips missing ones', () => {
    const a = write('a.yaml', FIRST);
    const b = write('b.yaml', SECOND);
    const config = loadKubeConfig({ env: { KUBECONFIG: [join(dir, 'missing'), a, b].join(delimiter) } });
    expect(config.currentContext).toBe('one');
    expect(config.clusters.shared.server).toBe('https://first-shared');
    expect(Object.keys(config.contexts).sort()).toEqual(['one', 'shared', 'two']);
    expect(config.users.u3.tokenFile).toBe(join(dir, 'token'));
    expect(config.clusters.c1['certificate-authority']).toBe(join(dir, 'certs/ca.crt'));
  });

  it('resolves a context to a connection with inline data and files', () => {
    mkdirSync(join(dir, 'certs'));
    writeFileSync(join(dir, 'certs/ca.crt'), 'CA');
    const config = parseKubeConfig(FIRST, join(dir, 'config'));
    const conn = connectionFor(config);
    expect(conn.server).toBe('https://one.example:6443');
    expect(conn.ca?.toString()).toBe('CA');
    expect(conn.cert?.toString()).toBe('CERT');
    expect(conn.key?.toString()).toBe('KEY');
    expect(conn.namespace).toBe('team-a');
    expect(conn.insecureSkipTLSVerify).toBe(false);
  });

  it('uses tokens, tokenFile and insecure-skip-tls-verify; namespace defaults to default', () => {
    const config = parseKubeConfig(SECOND, join(dir, 'config'));
    const conn = connectionFor(config);
    expect(conn).toMatchObject({ server: 'http://127.0.0.1:8080', tokenFile: join(dir, 'token'), insecureSkipTLSVerify: true, namespace: 'default' });
  });

  it('falls back to ~/.kube/config and to an empty config', () => {
    mkdirSync(join(dir, '.kube'));
    writeFileSync(join(dir, '.kube', 'config'), SECOND);
    expect(loadKubeConfig({ env: {}, homeDir: dir }).currentContext).toBe('two');
    expect(loadKubeConfig({ env: {}, homeDir: join(dir, 'nowhere') })).toEqual({ clusters: {}, users: {}, contexts: {} });
  });

  it.each([
    ['no current context', '', undefined, 'invalid configuration: no configuration has been provided'],
    ['unknown context', FIRST, 'nope', 'context "nope" does not exist'],
    ['missing cluster', 'contexts: [{name: x, context: {cluster: gone}}]\ncurrent-context: x', undefined, 'references cluster "gone" which does not exist'],
  ])('%s is a KubeConfigError', (_what, text, context, message) => {
    const config = parseKubeConfig(text, join(dir, 'c'));
    expect(() => connectionFor(config, context)).toThrow(KubeConfigError);
    expect(() => connectionFor(config, context)).toThrow(message);
  });

  it('rejects malformed files with the file name', () => {
    expect(() => parseKubeConfig('clusters: 5', '/x/config')).toThrow(/error loading config file "\/x\/config"/);
    expect(() => loadKubeConfig({ path: join(dir, 'absent') })).toThrow(KubeConfigError);
  });

  it('mergeKubeConfigs keeps the first current-context that is set', () => {
    const merged = mergeKubeConfigs([{ clusters: {}, users: {}, contexts: {} }, parseKubeConfig(SECOND), parseKubeConfig(FIRST)]);
    expect(merged.currentContext).toBe('two');
    expect(merged.clusters.shared.server).toBe('https://second-shared');
  });
});
