/**
 * The TokenRequest call against the in-process API server: a token when the server serves
 * `serviceaccounts/token`, else upstream's "does not have TokenRequest endpoints enabled".
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';
import { apiTokenGetter } from './api-token-getter.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(() => cp?.stop());

it('POSTs a TokenRequest bound to the pod to serviceaccounts/{name}/token', async () => {
  await cp.client.serviceAccounts.inNamespace('default').create({ metadata: { name: 'default' } } as never).catch(() => undefined);
  const pod = await cp.client.pods.inNamespace('default').create({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } } as Pod);
  const served = ((await cp.client.rest.request<{ resources: Array<{ name: string }> }>({ method: 'GET', path: '/api/v1' })).resources ?? []).some((r) => r.name === 'serviceaccounts/token');
  const answer = apiTokenGetter(cp.client)('default', 'default', { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: pod.metadata.uid as string } } });
  if (served) {
    const tr = await answer;
    expect(tr.status?.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(Date.parse(tr.status?.expirationTimestamp ?? '')).toBeGreaterThan(Date.now());
  } else {
    await expect(answer).rejects.toThrow('the API server does not have TokenRequest endpoints enabled');
  }
});
