/**
 * PodSecurity defaults and exemptions from an AdmissionConfiguration, through the in-process
 * control plane (as `k8ts apiserver --admission-control-config-file`) and real kubectl 1.33: the
 * docs task's configuration with `enforce: baseline` refuses a privileged pod in an unlabelled
 * namespace with upstream's text, an exempt namespace and an exempt user are admitted, and a
 * namespace label `enforce=privileged` overrides the default.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, kubectl } from '../../../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';

const admissionConfiguration = (exemptions: Record<string, string[]>) => ({
  apiVersion: 'apiserver.config.k8s.io/v1',
  kind: 'AdmissionConfiguration',
  plugins: [{ name: 'PodSecurity', configuration: { apiVersion: 'pod-security.admission.config.k8s.io/v1', kind: 'PodSecurityConfiguration', defaults: { enforce: 'baseline', 'enforce-version': 'latest' }, exemptions } }],
});
const privilegedPod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } });
const REFUSAL = (name: string) => `pods "${name}" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)`;

async function post(cp: TestControlPlane, path: string, body: unknown): Promise<{ code: number; body: { message?: string } }> {
  const res = await fetch(`${cp.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { code: res.status, body: (await res.json()) as { message?: string } };
}
const namespace = (cp: TestControlPlane, name: string, labels: Record<string, string> = {}) => post(cp, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

describe('PodSecurity configured by an AdmissionConfiguration', () => {
  let cp: TestControlPlane;
  const home = mkdtempSync(join(tmpdir(), 'k8ts-psa-kubectl-'));
  beforeAll(async () => {
    cp = await startTestControlPlane({ admissionConfiguration: admissionConfiguration({ namespaces: ['ops'] }) });
  });
  afterAll(async () => {
    await cp?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('defaults enforce baseline: a privileged pod in an unlabelled namespace is refused with upstream\'s message', async () => {
    expect((await namespace(cp, 'apps')).code).toBe(201);
    const refused = await post(cp, '/api/v1/namespaces/apps/pods', privilegedPod('priv'));
    expect(refused.code).toBe(403);
    expect(refused.body.message).toBe(REFUSAL('priv'));
  });

  it('an exempt namespace admits it', async () => {
    expect((await namespace(cp, 'ops')).code).toBe(201);
    expect((await post(cp, '/api/v1/namespaces/ops/pods', privilegedPod('priv'))).code).toBe(201);
  });

  it('a namespace label enforce=privileged overrides the default', async () => {
    expect((await namespace(cp, 'open', { 'pod-security.kubernetes.io/enforce': 'privileged' })).code).toBe(201);
    expect((await post(cp, '/api/v1/namespaces/open/pods', privilegedPod('priv'))).code).toBe(201);
  });

  it('an exempt user is admitted (plain-HTTP requests of an authenticating plane act as system:unsecured)', async () => {
    const exempting = await startTestControlPlane({ auth: { authorizationModes: ['RBAC'] }, admissionConfiguration: admissionConfiguration({ usernames: ['system:unsecured'] }) });
    try {
      expect((await post(exempting, '/api/v1/namespaces/default/pods', privilegedPod('priv'))).code).toBe(201);
    } finally {
      await exempting.stop();
    }
    const other = await startTestControlPlane({ auth: { authorizationModes: ['RBAC'] }, admissionConfiguration: admissionConfiguration({ usernames: ['alice'] }) });
    try {
      expect((await post(other, '/api/v1/namespaces/default/pods', privilegedPod('priv'))).body.message).toBe(REFUSAL('priv'));
    } finally {
      await other.stop();
    }
  });

  it('an invalid configuration rejects start-up with the API server\'s error', async () => {
    const bad = { ...admissionConfiguration({ namespaces: ['Not_A_Name'] }) };
    await expect(startTestControlPlane({ admissionConfiguration: bad })).rejects.toThrow(/^failed to initialize admission: failed to initialize admission plugin "PodSecurity": PodSecurity invalid: exemptions.namespaces\[0\]: Invalid value: "Not_A_Name": a lowercase RFC 1123 label/);
  });

  it.each(installedKubectls(['1.33']))('kubectl %s apply of a privileged pod prints upstream\'s forbidden text', async (minor) => {
    const applied = await kubectl(minor, ['apply', '-n', 'apps', '-f', '-'], { kubeconfig: cp.kubeconfigPath, home, stdin: JSON.stringify(privilegedPod('kpriv')) });
    expect(applied.code).toBe(1);
    expect(applied.stdout).toBe('');
    expect(applied.stderr).toBe(`Error from server (Forbidden): error when creating "STDIN": ${REFUSAL('kpriv')}\n`);
  });
});
