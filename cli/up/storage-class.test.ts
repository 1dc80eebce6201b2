/** The default StorageClass `k8ts up` creates: upstream defaults kept, idempotent, an existing class untouched. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageClass } from '../../pkg/api/storage/v1/storageclass.ts';
import { BUILTIN_COORDINATES as C } from '../../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';
import { ensureDefaultStorageClass } from './storage-class.ts';

describe('ensureDefaultStorageClass', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp?.stop());

  it('creates the default class standard once and keeps an existing one', async () => {
    await ensureDefaultStorageClass(cp.client);
    await ensureDefaultStorageClass(cp.client);
    const sc = await cp.client.resource<StorageClass>(C.storageClasses).get('standard');
    expect(sc).toMatchObject({ provisioner: 'k8ts.io/hostpath', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } });
    await cp.client.resource<StorageClass>(C.storageClasses).patch('standard', { reclaimPolicy: undefined, metadata: { labels: { mine: 'yes' } } }, { type: 'merge' });
    await ensureDefaultStorageClass(cp.client);
    expect((await cp.client.resource<StorageClass>(C.storageClasses).get('standard')).metadata.labels).toEqual({ mine: 'yes' });
  });
});
