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

  it('a created pod runs as default; updates leave the field alone', async () => {
    const pod = await cp.client.pods.inNamespace('default').create({ metadata: { name: 'sa' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as Pod);
    expect(pod.spec).toMatchObject({ serviceAccountName: 'default', serviceAccount: 'default' });
  });
});
