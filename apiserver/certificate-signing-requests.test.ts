/**
 * certificates.k8s.io/v1 CertificateSigningRequests through the API server: the requester is
 * recorded, the spec cannot be changed, `/approval` only changes Approved/Denied and `/status`
 * cannot approve; `kubectl get csr` prints upstream's columns and `kubectl certificate
 * approve/deny` work.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectl } from '../e2e/harness/kubectl.ts';
import { startKubectlTestServer } from './handlers/test-kubectl-server.ts';
import type { ApiServer } from './server.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-csr-api-'));
const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const request = Buffer.from(execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.key'), '-subj', '/O=system:nodes/CN=system:node:n1'], { stdio: ['ignore', 'pipe', 'ignore'] })).toString('base64');
const csr = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name }, spec: { request, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], ...spec } });
let server: ApiServer;
let kubeconfig: string;
const minors = installedKubectls(ALL_KUBECTL_MINORS);

beforeAll(async () => {
  ({ server, kubeconfig } = await startKubectlTestServer(dir));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
  const res = await server.app.inject({ method, url, payload: payload as object, headers });
  return { code: res.statusCode, body: res.json() };
};

describe('CertificateSigningRequest API', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['no usages', { usages: [] }, ['spec.usages: Required value: usages must be provided']],
    ['an unknown usage', { usages: ['client auth', 'flying'] }, ['spec.usages[1]: Unsupported value: "flying": supported values: ']],
    ['a duplicate usage', { usages: ['client auth', 'client auth'] }, ['spec.usages[1]: Duplicate value: "client auth"']],
    ['no signer', { signerName: undefined }, ['spec.signerName: Required value']],
    ['a signer without path', { signerName: 'example.com' }, ["spec.signerName: Invalid value: \"example.com\": must be a fully qualified domain and path of the form 'example.com/signer-name'"]],
    ['a short duration', { expirationSeconds: 599 }, ['spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)']],
    ['a request that is not a CSR', { request: Buffer.from('hello').toString('base64') }, ['spec.request: Invalid value: "<certificate request data>": PEM block type must be CERTIFICATE REQUEST']],
  ])('refuses %s with 422', async (_name, spec, messages) => {
    const res = await call('POST', CSRS, csr('bad', spec));
    expect(res.code).toBe(422);
    const causes = (res.body.details.causes as Array<{ field: string; message: string }>).map((c) => `${c.field}: ${c.message}`);
    for (const m of messages) expect(causes.some((c) => c.startsWith(m)), `${causes.join('\n')}\nmissing: ${m}`).toBe(true);
  });

  // The TLS tests (auth/auth-tls.test.ts) check the recorded user; this server authenticates nobody.
  it('drops a requester the client made up, ignores status on create and keeps the spec on update', async () => {
    const created = await call('POST', CSRS, { ...csr('c1', { username: 'mallory', groups: ['system:masters'] }), status: { certificate: 'Zm9v' } });
    expect(created.code).toBe(201);
    expect(created.body.spec.username).toBeUndefined();
    expect(created.body.spec.groups).toBeUndefined();
    expect(created.body.status).toBeUndefined();
    const updated = await call('PUT', `${CSRS}/c1`, { ...created.body, metadata: { ...created.body.metadata, labels: { a: 'b' } }, spec: { ...created.body.spec, signerName: 'example.com/other' } });
    expect(updated.code).toBe(200);
    expect(updated.body.metadata.labels).toEqual({ a: 'b' });
    expect(updated.body.spec.signerName).toBe('kubernetes.io/kube-apiserver-client-kubelet');
  });

  it('approves only through /approval, stamps the condition, and never un-approves', async () => {
    const current = (await call('GET', `${CSRS}/c1`)).body;
    const approved = { ...current, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'ok' }] } };
    const viaStatus = await call('PUT', `${CSRS}/c1/status`, approved);
    expect(viaStatus.code).toBe(422);
    expect(viaStatus.body.message).toContain('status.conditions: Forbidden: updates may not add a condition of type "Approved"');
    const viaApproval = await call('PUT', `${CSRS}/c1/approval`, { ...approved, spec: { ...current.spec, usages: ['server auth'] } });
    expect(viaApproval.code).toBe(200);
    expect(viaApproval.body.spec.usages).toEqual(['digital signature', 'client auth']);
    expect(viaApproval.body.status.conditions[0]).toMatchObject({ type: 'Approved', status: 'True', reason: 'Test', lastUpdateTime: expect.stringMatching(/Z$/), lastTransitionTime: expect.stringMatching(/Z$/) });
    const removed = await call('PUT', `${CSRS}/c1/approval`, { ...viaApproval.body, status: { conditions: [] } });
    expect(removed.code).toBe(422);
    expect(removed.body.message).toContain('updates may not remove a condition of type "Approved"');
    const both = await call('PUT', `${CSRS}/c1/approval`, { ...viaApproval.body, status: { conditions: [...viaApproval.body.status.conditions, { type: 'Denied', status: 'True' }] } });
    expect(both.code).toBe(422);
    expect(both.body.message).toContain('Approved and Denied conditions are mutually exclusive');
    const issued = await call('PUT', `${CSRS}/c1/status`, { ...viaApproval.body, status: { ...viaApproval.body.status, certificate: Buffer.from('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n').toString('base64') } });
    expect(issued.code).toBe(200);
    const changed = await call('PUT', `${CSRS}/c1/status`, { ...issued.body, status: { ...issued.body.status, certificate: Buffer.from('-----BEGIN CERTIFICATE-----\nMAE=\n-----END CERTIFICATE-----\n').toString('base64') } });
    expect(changed.code).toBe(422);
    expect(changed.body.message).toContain('updates may not modify existing certificate content');
  });

  it('lists the approval subresource in discovery', async () => {
    const res = await call('GET', '/apis/certificates.k8s.io/v1');
    expect(res.body.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['certificatesigningrequests', 'certificatesigningrequests/approval', 'certificatesigningrequests/status']));
  });
});

describe.skipIf(!minors.length).each(minors)('kubectl %s and CSRs', (minor) => {
  const run = (...args: string[]) => kubectl(minor, args, { kubeconfig, home: dir });
  const name = `k-${minor.replace('.', '-')}`;

  it('get csr prints upstream columns; certificate approve and deny set the conditions', async () => {
    expect((await call('POST', CSRS, csr(`${name}-a`, { expirationSeconds: 3600 }))).code).toBe(201);
    expect((await call('POST', CSRS, csr(`${name}-d`))).code).toBe(201);
    const table = await run('get', 'csr', `${name}-a`, `${name}-d`);
    expect(table.stdout).toMatch(/^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION\n/);
    expect(table.stdout).toMatch(new RegExp(`^${name}-a\\s+\\d+s\\s+kubernetes\\.io/kube-apiserver-client-kubelet\\s+60m\\s+Pending$`, 'm'));
    expect(table.stdout).toMatch(new RegExp(`^${name}-d\\s+\\d+s\\s+kubernetes\\.io/kube-apiserver-client-kubelet\\s+<none>\\s+Pending$`, 'm'));
    const approve = await run('certificate', 'approve', `${name}-a`);
    expect(approve.stdout, approve.stderr).toBe(`certificatesigningrequest.certificates.k8s.io/${name}-a approved\n`);
    const deny = await run('certificate', 'deny', `${name}-d`);
    expect(deny.stdout, deny.stderr).toBe(`certificatesigningrequest.certificates.k8s.io/${name}-d denied\n`);
    const after = (await run('get', 'csr', `${name}-a`, `${name}-d`)).stdout;
    expect(after).toMatch(new RegExp(`^${name}-a\\s.*\\sApproved$`, 'm'));
    expect(after).toMatch(new RegExp(`^${name}-d\\s.*\\sDenied$`, 'm'));
    const conditions = JSON.parse((await run('get', 'csr', `${name}-a`, '-o', 'json')).stdout).status.conditions;
    expect(conditions).toEqual([expect.objectContaining({ type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' })]);
  });
});
