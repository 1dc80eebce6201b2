/**
 * Pods' AppArmor annotations and fields through the in-process API server (upstream 1.33's
 * applyAppArmorVersionSkew and validation): a pod created with only the deprecated annotation
 * reads back with the container field, one with only the field reads back with the annotation,
 * a mismatch is upstream's 422 at the field's path, the annotations may not be added or changed
 * afterwards, and real kubectl 1.33 prints the deprecation warning and re-applies (server-side) a
 * pod whose annotation the server added.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, strictKubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const KEY = 'container.apparmor.security.beta.kubernetes.io/app';
const WARNING = `metadata.annotations[${KEY}]: deprecated since v1.30; use the "appArmorProfile" field instead`;
const base = '/api/v1/namespaces/default/pods';
const dir = mkdtempSync(join(tmpdir(), 'k8ts-apparmor-'));
const minors = installedKubectls(['1.33']);
let cp: TestControlPlane;

type Body = Record<string, any>;

async function send(method: string, path: string, body: unknown, contentType = 'application/json'): Promise<{ code: number; body: Body; warning: string | null }> {
  const res = await fetch(`${cp.url}${path}`, { method, headers: { 'content-type': contentType }, body: JSON.stringify(body) });
  return { code: res.status, body: (await res.json()) as Body, warning: res.headers.get('warning') };
}

function pod(name: string, opts: { annotations?: Record<string, string>; profile?: Body }): Body {
  const container: Body = { name: 'app', image: 'busybox' };
  if (opts.profile) container.securityContext = { appArmorProfile: opts.profile };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations: opts.annotations }, spec: { containers: [container] } };
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: [] });
});
afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('pod AppArmor annotations and fields over HTTP', () => {
  it('an annotation alone gives the container its field, with the deprecation warning', async () => {
    const res = await send('POST', base, pod('annotated', { annotations: { [KEY]: 'localhost/my-profile' } }));
    expect(res.code, JSON.stringify(res.body)).toBe(201);
    expect(res.warning).toBe(`299 - "${WARNING.replaceAll('"', '\\"')}"`);
    expect(res.body.spec.containers[0].securityContext).toEqual({ appArmorProfile: { type: 'Localhost', localhostProfile: 'my-profile' } });
    expect(res.body.metadata.annotations).toEqual({ [KEY]: 'localhost/my-profile' });
  });

  it('a field alone gives the pod its annotation, without a warning', async () => {
    const res = await send('POST', base, pod('fielded', { profile: { type: 'RuntimeDefault' } }));
    expect(res.code, JSON.stringify(res.body)).toBe(201);
    expect(res.warning).toBeNull();
    expect(res.body.metadata.annotations).toEqual({ [KEY]: 'runtime/default' });
  });

  it('a mismatch is refused with upstream 422', async () => {
    const res = await send('POST', base, pod('mismatch', { annotations: { [KEY]: 'unconfined' }, profile: { type: 'RuntimeDefault' } }));
    expect(res.code).toBe(422);
    expect(res.body.message).toBe('Pod "mismatch" is invalid: spec.containers[0].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match');
    expect(res.body.details.causes).toEqual([{ reason: 'FieldValueForbidden', field: 'spec.containers[0].securityContext.appArmorProfile.type', message: 'Forbidden: apparmor type in annotation and field must match' }]);
  });

  it('an annotation naming no container, and an invalid field, are refused', async () => {
    const res = await send('POST', base, pod('orphan', { annotations: { 'container.apparmor.security.beta.kubernetes.io/nope': 'runtime/default' }, profile: { type: 'Localhost' } }));
    expect(res.code).toBe(422);
    expect(res.body.details.causes.map((c: Body) => `${c.field}: ${c.message}`)).toEqual([
      'metadata.annotations[container.apparmor.security.beta.kubernetes.io/nope]: Invalid value: "nope": container not found',
      'spec.containers[0].securityContext.appArmorProfile.localhostProfile: Required value: must be set when AppArmor type is Localhost',
    ]);
  });

  it('the annotation may not be changed or added once the pod exists', async () => {
    const path = `${base}/fielded`;
    const changed = await send('PATCH', path, { metadata: { annotations: { [KEY]: 'unconfined' } } }, 'application/merge-patch+json');
    expect(changed.code).toBe(422);
    expect(changed.body.details.causes).toEqual([{ reason: 'FieldValueForbidden', field: `metadata.annotations[${KEY}]`, message: 'Forbidden: may not remove or update AppArmor annotations' }]);
    const plain = await send('POST', base, pod('plain', {}));
    expect(plain.code).toBe(201);
    const added = await send('PATCH', `${base}/plain`, { metadata: { annotations: { [KEY]: 'unconfined' } } }, 'application/merge-patch+json');
    expect(added.code).toBe(422);
    expect(added.body.details.causes.map((c: Body) => c.message)).toEqual(['Forbidden: may not add AppArmor annotations']);
  });
});

describe.skipIf(!minors.length).each(minors)('kubectl %s', (minor) => {
  const ns = `apparmor-${minor.replace('.', '-')}`;
  const { run } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: dir }), ['-n', ns]);

  beforeAll(async () => {
    await cp.client.namespaces.create({ metadata: { name: ns } });
    writeFileSync(join(dir, 'annotated.yaml'), JSON.stringify(pod('annotated', { annotations: { [KEY]: 'runtime/default' } })));
    writeFileSync(join(dir, 'fielded.yaml'), JSON.stringify(pod('fielded', { profile: { type: 'Unconfined' } })));
    writeFileSync(join(dir, 'mismatch.yaml'), JSON.stringify(pod('mismatch', { annotations: { [KEY]: 'localhost/a' }, profile: { type: 'Localhost', localhostProfile: 'b' } })));
  });

  it('prints the deprecation warning and the synced field', async () => {
    const created = await run('create', '-f', join(dir, 'annotated.yaml'));
    expect(created.stderr).toBe(`Warning: ${WARNING}\n`);
    expect(created.stdout).toBe('pod/annotated created\n');
    const field = await run('get', 'pod', 'annotated', '-o', 'jsonpath={.spec.containers[0].securityContext.appArmorProfile.type}');
    expect(field.stdout).toBe('RuntimeDefault');
  });

  it('re-applies (server-side) a pod with only the field: the synced annotation is nobody\'s to remove', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await run('apply', '--server-side', '-f', join(dir, 'fielded.yaml'));
      expect(res.stderr).toBe('');
      expect(res.stdout).toBe('pod/fielded serverside-applied\n');
    }
    const annotation = await run('get', 'pod', 'fielded', '-o', `jsonpath={.metadata.annotations.container\\.apparmor\\.security\\.beta\\.kubernetes\\.io/app}`);
    expect(annotation.stdout).toBe('unconfined');
  });

  it('prints the refusal of a mismatch', async () => {
    const res = await run('create', '-f', join(dir, 'mismatch.yaml'));
    expect(res.code).not.toBe(0);
    expect(res.stderr).toBe('The Pod "mismatch" is invalid: spec.containers[0].securityContext.appArmorProfile.localhostProfile: Forbidden: apparmor profile in annotation and field must match\n');
  });
});
