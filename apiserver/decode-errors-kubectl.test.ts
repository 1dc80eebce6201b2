/**
 * Values Go's decoder refuses, as users meet them in tutorials: a Secret with plain text under
 * `data` and a resource quantity with a typo fail as upstream's 400s, in the decoder's words and
 * without a field path (`Secret in version "v1" cannot be handled as a Secret: illegal base64
 * data at input byte 4`), ahead of unknown fields, and create nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const dir = mkdtempSync(join(tmpdir(), 'k8ts-decode-errors-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);
let cp: TestControlPlane;

const pod = (name: string, cpu: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu } }, ...extra }] },
});

async function post(path: string, body: unknown): Promise<{ code: number; body: Record<string, any> }> {
  const res = await fetch(`${cp.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { code: res.status, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  cp = await startTestControlPlane();
  writeFileSync(join(dir, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: hunter2\n');
  writeFileSync(join(dir, 'pvc.yaml'), 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 500mi\n');
});
afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('values the decoder refuses', () => {
  it('a bad quantity is a 400 in ParseQuantity\'s words, reported before an unknown field; nothing is created', async () => {
    for (const [cpu, message] of [['1x', FORMAT], ['lots', FORMAT], ['500mi', "unable to parse quantity's suffix"]]) {
      const res = await post('/api/v1/namespaces/default/pods?fieldValidation=Strict', pod('q', cpu, { imagePullPolice: 'Always' }));
      expect(res.code).toBe(400);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: `Pod in version "v1" cannot be handled as a Pod: ${message}` });
    }
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: pod('x', '1x').spec } } };
    expect((await post('/apis/apps/v1/namespaces/default/deployments', deployment)).body.message).toBe(`Deployment in version "v1" cannot be handled as a Deployment: ${FORMAT}`);
    expect((await fetch(`${cp.url}/api/v1/namespaces/default/pods/q`)).status).toBe(404);
  });

  it('plain text under a Secret\'s data is illegal base64, without a field path', async () => {
    const res = await post('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'hunter2' } });
    expect(res.code).toBe(400);
    expect(res.body.message).toBe('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4');
  });

  describe.skipIf(!minors.length).each(minors)('kubectl %s apply', (minor) => {
    const { run } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));
    it('prints upstream\'s errors for the tutorial mistakes', async () => {
      const secret = await run(['apply', '-f', join(dir, 'secret.yaml')]);
      expect(secret.code).toBe(1);
      expect(secret.stderr).toBe(`Error from server (BadRequest): error when creating "${join(dir, 'secret.yaml')}": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4\n`);
      const pvc = await run(['apply', '-f', join(dir, 'pvc.yaml')]);
      expect(pvc.stderr).toBe(`Error from server (BadRequest): error when creating "${join(dir, 'pvc.yaml')}": PersistentVolumeClaim in version "v1" cannot be handled as a PersistentVolumeClaim: unable to parse quantity's suffix\n`);
    });
  });
});
