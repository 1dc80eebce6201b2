import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';
import { defaultServiceAccount } from './service-account.ts';

describe('defaultServiceAccount', () => {
  it.each([
    [{}, 'default'],
    [{ serviceAccountName: 'builder' }, 'builder'],
    [{ serviceAccount: 'legacy' }, 'legacy'],
  ])('%j → %s', (spec, name) => {
    const s = { ...spec } as { serviceAccountName?: string; serviceAccount?: string };
    defaultServiceAccount(s);
    expect(s).toEqual({ serviceAccountName: name, serviceAccount: name });
  });
});

describe('ServiceAccount admission through the API', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp?.stop());
  const PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

  it('a created pod runs as default and gets the projected token volume, without any token Secret', async () => {
    const pod = await cp.client.pods.inNamespace('default').create({ metadata: { name: 'sa' }, spec: { initContainers: [{ name: 'i', image: 'busybox' }], containers: [{ name: 'c', image: 'busybox' }] } } as Pod);
    expect(pod.spec).toMatchObject({ serviceAccountName: 'default', serviceAccount: 'default' });
    const volume = pod.spec?.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    expect(volume?.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume?.projected).toMatchObject({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) expect(c.volumeMounts).toEqual([{ name: volume?.name, readOnly: true, mountPath: PATH }]);
  });

  it('an account with automountServiceAccountToken: false gets no volume unless the pod asks for one', async () => {
    await cp.client.serviceAccounts.inNamespace('default').create({ metadata: { name: 'quiet' }, automountServiceAccountToken: false } as never);
    const quiet = await cp.client.pods.inNamespace('default').create({ metadata: { name: 'quiet' }, spec: { serviceAccountName: 'quiet', containers: [{ name: 'c', image: 'busybox' }] } } as Pod);
    expect(quiet.spec?.volumes ?? []).toEqual([]);
    const loud = await cp.client.pods.inNamespace('default').create({ metadata: { name: 'loud' }, spec: { serviceAccountName: 'quiet', automountServiceAccountToken: true, containers: [{ name: 'c', image: 'busybox' }] } } as Pod);
    expect(loud.spec?.volumes?.map((v) => v.name)).toEqual([expect.stringMatching(/^kube-api-access-/)]);
  });
});
