/**
 * The service-account token volume with a real containerd (in a network namespace this test
 * creates), the in-process API server and its `serviceaccount` and `root-ca-cert-publisher`
 * controllers: the ServiceAccount admission adds the `kube-api-access-*` projected volume, the
 * kubelet fills it through the API's TokenRequest (`serviceaccounts/{name}/token`), the
 * `kube-root-ca.crt` ConfigMap and the downward API. A pod reads `token`, `ca.crt` and
 * `namespace` from /var/run/secrets/kubernetes.io/serviceaccount; an opted-out pod has no such
 * directory. The token the pod read is one the API server accepts (TokenReview).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { ensureCa } from '../cli/up/pki.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-sa';
const DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
let fixture: NetnsNode | undefined;
let cp: TestControlPlane | undefined;
let pki: string | undefined;
let caPem = '';

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 250, retryErrors: true });

beforeAll(async () => {
  pki = await mkdtemp(join(tmpdir(), 'k8ts-satoken-pki-'));
  const ca = await ensureCa(pki);
  caPem = await readFile(ca.cert, 'utf8');
  fixture = await startNetnsNode({
    name: 'k8ts-satoken',
    nodeName: NODE,
    podCidr: '10.244.21.0/24',
    controlPlane: { controllers: ['serviceaccount', 'root-ca-cert-publisher'], controllerSettings: { rootCaFile: ca.cert } },
    kubelet: { tokens: 'api' },
  });
  ({ cp } = fixture);
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
  if (pki) await rm(pki, { recursive: true, force: true });
}, 60_000);

function busybox(name: string, script: string, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }], ...extra } } as Pod;
}

/** The pod's log once it has Succeeded. */
async function finishedLog(name: string): Promise<string> {
  await until(`${name} Succeeded`, async () => (await cp!.client.pods.inNamespace('default').get(name)).status?.phase === 'Succeeded');
  return until(`${name} log`, async () => {
    const res = await fetch(`${cp!.url}/api/v1/namespaces/default/pods/${name}/log`);
    const text = await res.text();
    return res.status === 200 && text.includes('END') && text;
  });
}

describe('service-account token volume (containerd)', () => {
  it('mounts token, ca.crt and namespace from the projected kube-api-access volume; an opted-out pod has no directory', async () => {
    await until('kube-root-ca.crt published', () => cp!.client.configMaps.inNamespace('default').get('kube-root-ca.crt'));
    await until('default ServiceAccount', () => cp!.client.serviceAccounts.inNamespace('default').get('default'));
    const script = `echo TOKEN=$(cat ${DIR}/token); echo NS=$(cat ${DIR}/namespace); echo CA=$(md5sum < ${DIR}/ca.crt | cut -d' ' -f1); touch ${DIR}/x 2>/dev/null && echo writable || echo read-only; echo END`;
    const created = await cp!.client.pods.inNamespace('default').create(busybox('with-token', script));
    const volume = created.spec?.volumes?.find((v) => v.name.startsWith('kube-api-access-'))?.name as string;
    expect(volume).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    await cp!.client.pods.inNamespace('default').create(busybox('without-token', `ls ${DIR} 2>/dev/null && echo present || echo absent; echo END`, { automountServiceAccountToken: false }));
    expect((await finishedLog('without-token')).split('\n').filter(Boolean)).toEqual(['absent', 'END']);

    const lines = (await finishedLog('with-token')).split('\n').filter(Boolean);
    const token = lines.find((l) => l.startsWith('TOKEN='))?.slice('TOKEN='.length) ?? '';
    const parts = token.split('.');
    expect(parts).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString()) as { sub?: string; exp?: number };
    expect(claims.sub).toBe('system:serviceaccount:default:default');
    expect(lines.slice(1)).toEqual(['NS=default', `CA=${createHash('md5').update(caPem).digest('hex')}`, 'read-only', 'END']);
    const review = await cp!.client.rest.request<{ status?: { authenticated?: boolean; user?: { username?: string; extra?: Record<string, string[]> } } }>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/tokenreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
    });
    expect(review.status).toMatchObject({ authenticated: true, user: { username: 'system:serviceaccount:default:default', extra: { 'authentication.kubernetes.io/pod-name': ['with-token'] } } });
  }, 120_000);
});
