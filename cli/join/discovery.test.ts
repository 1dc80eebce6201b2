import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caCertHash } from '../../pkg/bootstrap/ca-hash.ts';
import { clusterInfoKubeconfig } from '../../pkg/bootstrap/cluster-info.ts';
import { computeDetachedSignature } from '../../pkg/bootstrap/jws.ts';
import { DiscoveryError, verifyClusterInfo } from './discovery.ts';
import { defaultPodCidr, parseJoinConfig } from './join.ts';
import { nodeRequestArgs } from './credentials.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-join-discovery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '1', '-subj', '/CN=ca'], { stdio: 'ignore' });
const caPem = readFileSync(join(dir, 'ca.crt'), 'utf8');
const pin = caCertHash(caPem);
const token = { id: 'abcdef', secret: '0123456789abcdef' };
const kubeconfig = clusterInfoKubeconfig('https://10.0.0.1:6443', caPem);
const signed = { kubeconfig, 'jws-kubeconfig-abcdef': computeDetachedSignature(kubeconfig, token.id, token.secret) };

describe('verifyClusterInfo', () => {
  it('trusts a signed cluster-info whose CA is pinned', () => {
    expect(verifyClusterInfo(signed, token, pin)).toEqual({ server: 'https://10.0.0.1:6443', caPem });
  });

  it.each<[string, Record<string, string> | undefined, string, string, boolean]>([
    ['no kubeconfig', {}, pin, 'there is no "kubeconfig" key in the cluster-info ConfigMap', true],
    ['not signed for this token (retried)', { kubeconfig }, pin, 'there is no JWS signed token in the cluster-info ConfigMap. This token id "abcdef" is invalid for this cluster, or it has expired. Use "k8ts token create" on the control-plane node to create a new valid token', false],
    ['signed by another secret', { kubeconfig, 'jws-kubeconfig-abcdef': computeDetachedSignature(kubeconfig, token.id, 'ffffffffffffffff') }, pin, "failed to verify JWS signature of received cluster-info object, can't trust this API Server", true],
    ['a kubeconfig changed after signing', { ...signed, kubeconfig: kubeconfig.replace('10.0.0.1', '10.6.6.6') }, pin, "failed to verify JWS signature of received cluster-info object, can't trust this API Server", true],
    ['a CA that is not pinned', signed, `sha256:${'0'.repeat(64)}`, `cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "${pin}" are pinned`, true],
  ])('refuses %s', (_name, data, hash, message, final) => {
    const out = verifyClusterInfo(data, token, hash);
    expect(out).toBeInstanceOf(Error);
    expect((out as Error).message).toBe(message);
    expect(out instanceof DiscoveryError).toBe(final);
  });
});

describe('k8ts join flags', () => {
  const base = ['--server', 'https://10.0.0.1:6443', '--token', 'abcdef.0123456789abcdef', '--discovery-token-ca-cert-hash', `sha256:${'A'.repeat(64)}`, '--node-ip', '10.0.0.7', '--node-name', 'w1'];

  it('fills the defaults', () => {
    expect(parseJoinConfig(base)).toMatchObject({ caCertHash: `sha256:${'a'.repeat(64)}`, nodeIp: '10.0.0.7', podCidr: '10.244.7.0/24', runtime: 'containerd', discoveryTimeoutMs: 60_000 });
    expect(defaultPodCidr('192.168.1.23')).toBe('10.244.23.0/24');
  });

  it.each<[string, string[], RegExp]>([
    ['a malformed token', ['--token', 'abcdef0123456789abcdef'], /token: must have the form \[a-z0-9\]\{6\}\.\[a-z0-9\]\{16\}/],
    ['a hash without sha256', ['--discovery-token-ca-cert-hash', 'abc'], /invalid discovery-token-ca-cert-hash "abc"/],
    ['a plain-HTTP server', ['--server', 'http://10.0.0.1:6443'], /server: must be an https:\/\/ URL/],
    ['an upper-case node name', ['--node-name', 'W1'], /nodeName: must be a lower-case DNS name/],
  ])('refuses %s', (_name, override, message) => {
    const argv = [...base];
    for (let i = 0; i < override.length; i += 2) argv[argv.indexOf(override[i]) + 1] = override[i + 1];
    expect(() => parseJoinConfig(argv)).toThrow(message);
  });

  it('asks for the node identity and its SANs', () => {
    expect(nodeRequestArgs('w1')).toEqual(['-subj', '/O=system:nodes/CN=system:node:w1']);
    expect(nodeRequestArgs('w1', { dnsNames: ['w1'], ips: ['10.0.0.7'] })).toEqual(['-subj', '/O=system:nodes/CN=system:node:w1', '-addext', 'subjectAltName=DNS:w1,IP:10.0.0.7']);
  });
});
