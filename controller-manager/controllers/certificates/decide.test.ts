import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CertificateSigningRequest } from '../../../pkg/api/certificates/v1/certificatesigningrequest.ts';
import { parseCertificateRequestPem } from '../../../pkg/certificates/csr.ts';
import { decideApproval, decideSigning } from './decide.ts';
import { issuedExtensions } from './sign.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-csr-decide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const request = (subject: string, san?: string) =>
  parseCertificateRequestPem(execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, `k-${Math.random()}`), '-subj', subject, ...(san ? ['-addext', `subjectAltName=${san}`] : [])], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());

const kubeletClient = request('/O=system:nodes/CN=system:node:n1');
const kubeletServing = request('/O=system:nodes/CN=system:node:n1', 'DNS:n1,IP:10.0.0.5');
const withSan = request('/O=system:nodes/CN=system:node:n1', 'DNS:n1');
const wrongOrg = request('/O=system:masters/CN=system:node:n1');
const notNode = request('/O=system:nodes/CN=alice');

const csr = (spec: Partial<NonNullable<CertificateSigningRequest['spec']>>, conditions: string[] = [], certificate?: string): CertificateSigningRequest => ({
  metadata: { name: 'c' },
  spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'], ...spec },
  status: { conditions: conditions.map((type) => ({ type, status: 'True' })), certificate },
});
const node = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };

describe('csrapproving', () => {
  it.each<[string, CertificateSigningRequest, ReturnType<typeof request>, string]>([
    ['kubelet client from a bootstrap token', csr({}), kubeletClient, 'Auto approving kubelet client certificate after SubjectAccessReview.'],
    ['kubelet client renewal by the node itself', csr(node), kubeletClient, 'Auto approving self kubelet client certificate after SubjectAccessReview.'],
    ['kubelet client with key encipherment', csr({ usages: ['digital signature', 'key encipherment', 'client auth'] }), kubeletClient, 'Auto approving kubelet client certificate after SubjectAccessReview.'],
    ['kubelet client for another node by a node', csr({ username: 'system:node:n2', groups: ['system:nodes'] }), kubeletClient, 'no: requester system:node:n2 may not request kubelet client certificates'],
    ['kubelet client with a SAN', csr({}), withSan, 'no: DNS subjectAltNames are not allowed'],
    ['kubelet client not in system:nodes', csr({}), wrongOrg, 'no: subject organization is not system:nodes'],
    ['kubelet client not a node name', csr({}), notNode, 'no: subject common name does not begin with system:node:'],
    ['kubelet client with server auth', csr({ usages: ['digital signature', 'client auth', 'server auth'] }), kubeletClient, 'no: usages did not match [digital signature key encipherment client auth]'],
    ['from an ordinary user', csr({ username: 'alice', groups: ['system:authenticated'] }), kubeletClient, 'no: requester alice may not request kubelet client certificates'],
    ['already approved', csr({}, ['Approved']), kubeletClient, 'no: already approved or denied'],
    ['already denied', csr({}, ['Denied']), kubeletClient, 'no: already approved or denied'],
    ['kubelet serving from the node', csr({ ...node, signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'] }), kubeletServing, 'Auto approving kubelet serving certificate requested by the node it names.'],
    ['kubelet serving from a bootstrap token', csr({ signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'] }), kubeletServing, 'no: kubelet serving certificates are approved only when requested by the node itself, not system:bootstrap:abcdef'],
    ['kubelet serving without SANs', csr({ ...node, signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'] }), kubeletClient, 'no: DNS or IP subjectAltName is required'],
    ['another signer', csr({ signerName: 'example.com/x' }), kubeletClient, 'no: signer example.com/x is not auto-approved'],
  ])('%s', (_name, c, parsed, expected) => {
    const d = decideApproval(c, parsed);
    if (d.approve) expect(d.condition).toEqual({ type: 'Approved', status: 'True', reason: 'AutoApproved', message: expected });
    else expect(`no: ${d.why}`).toBe(expected);
  });
});

describe('csrsigning', () => {
  const year = 365 * 86_400;
  it.each<[string, CertificateSigningRequest, ReturnType<typeof request> | Error, unknown]>([
    ['approved kubelet client', csr({}, ['Approved']), kubeletClient, { sign: true, usage: 'client', durationSeconds: year }],
    ['requested duration is kept', csr({ expirationSeconds: 3600 }, ['Approved']), kubeletClient, { sign: true, usage: 'client', durationSeconds: 3600 }],
    ['longer than the signing duration is capped', csr({ expirationSeconds: 10 * year }, ['Approved']), kubeletClient, { sign: true, usage: 'client', durationSeconds: year }],
    ['approved kubelet serving', csr({ ...node, signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'] }, ['Approved']), kubeletServing, { sign: true, usage: 'server', durationSeconds: year }],
    ['pending', csr({}), kubeletClient, { sign: false, why: 'not approved, or denied or failed' }],
    ['issued', csr({}, ['Approved'], 'Y2VydA=='), kubeletClient, { sign: false, why: 'already issued' }],
    ['foreign signer', csr({ signerName: 'example.com/x' }, ['Approved']), kubeletClient, { sign: false, why: 'not a signer of this controller' }],
    ['approved but bad content', csr({}, ['Approved']), withSan, { sign: false, fail: { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: 'invalid usage for kubelet client certificate: DNS subjectAltNames are not allowed' } }],
    ['unparsable', csr({}, ['Approved']), new Error('PEM block type must be CERTIFICATE REQUEST'), { sign: false, fail: { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: 'unable to parse csr: PEM block type must be CERTIFICATE REQUEST' } }],
  ])('%s', (_name, c, parsed, expected) => {
    expect(decideSigning(c, parsed, year)).toEqual(expected);
  });

  it('issues server certificates with the request SANs, client certificates without', () => {
    expect(issuedExtensions(kubeletServing, 'server')).toContain('subjectAltName=DNS:n1,IP:10.0.0.5');
    expect(issuedExtensions(kubeletServing, 'server')).toContain('extendedKeyUsage=serverAuth');
    expect(issuedExtensions(kubeletClient, 'client')).not.toContain('subjectAltName');
  });
});
