/**
 * Token refresh in a running container, with a real containerd (in a network namespace this
 * test creates) and the in-process API server: the kubelet's token manager is given a fake
 * TokenRequest call (the seam {@link KubeletOptions.tokens}) whose tokens are due for refresh at
 * once, so every sync asks again and rewrites the projected volume atomically; a container that
 * reads `token` twice sees two tokens. The pod's tokens leave the cache when it is deleted.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import type { TokenRequest } from '../pkg/client/create-token.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { realClock } from '../pkg/workqueue/index.ts';
import { ensureCa } from '../cli/up/pki.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';
import { TokenManager } from './token/token-manager.ts';

const NODE = 'node-sa-refresh';
const DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
let fixture: NetnsNode | undefined;
let cp: TestControlPlane | undefined;
let pki: string | undefined;
let caPem = '';
const calls: Array<{ namespace: string; name: string; request: TokenRequest }> = [];
/** Tokens that expire 3 s after issue although issued for 3607 s: past 80 % at once. */
const tokens = new TokenManager({
  clock: realClock,
  jitter: () => 0,
  getToken: async (namespace, name, request) => {
    calls.push({ namespace, name, request });
    return { ...request, status: { token: `token-${calls.length}`, expirationTimestamp: new Date(Date.now() + 3_000).toISOString() } };
  },
});

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 250, retryErrors: true });

beforeAll(async () => {
  pki = await mkdtemp(join(tmpdir(), 'k8ts-satokref-pki-'));
  const ca = await ensureCa(pki);
  caPem = await readFile(ca.cert, 'utf8');
  fixture = await startNetnsNode({
    name: 'k8ts-satokref',
    nodeName: NODE,
    podCidr: '10.244.23.0/24',
    controlPlane: { controllers: ['root-ca-cert-publisher'], controllerSettings: { rootCaFile: ca.cert } },
    kubelet: { tokens },
  });
  ({ cp } = fixture);
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
  if (pki) await rm(pki, { recursive: true, force: true });
}, 60_000);

describe('service-account token refresh (containerd)', () => {
  it('a running container sees the token rewritten; ca.crt and namespace are there; the pod’s tokens are evicted when it goes', async () => {
    await until('kube-root-ca.crt published', () => cp!.client.configMaps.inNamespace('default').get('kube-root-ca.crt'));
    const script = `echo FIRST=$(cat ${DIR}/token); sleep 6; echo SECOND=$(cat ${DIR}/token); echo NS=$(cat ${DIR}/namespace); cat ${DIR}/ca.crt; echo END`;
    const pod = await cp!.client.pods.inNamespace('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'reader', namespace: 'default' }, spec: { nodeName: NODE, restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }] } } as Pod);
    await until('reader Succeeded', async () => (await cp!.client.pods.inNamespace('default').get('reader')).status?.phase === 'Succeeded');
    const log = await until('reader log', async () => {
      const res = await fetch(`${cp!.url}/api/v1/namespaces/default/pods/reader/log`);
      const text = await res.text();
      return res.status === 200 && text.includes('END') && text;
    });
    const first = /FIRST=(token-\d+)/.exec(log)?.[1];
    const second = /SECOND=(token-\d+)/.exec(log)?.[1];
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(Number(second?.slice(6))).toBeGreaterThan(Number(first?.slice(6)));
    expect(log).toContain('NS=default\n');
    expect(log).toContain(caPem.trim());
    expect(calls[0]).toEqual({ namespace: 'default', name: 'default', request: { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'reader', uid: pod.metadata.uid } } } });

    await cp!.client.pods.inNamespace('default').delete('reader');
    await until('reader gone', async () => cp!.client.pods.inNamespace('default').get('reader').then(() => false, () => true));
    await until('tokens evicted', async () => tokens.size === 0, 10_000);
  }, 120_000);
});
