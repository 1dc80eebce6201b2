/**
 * Namespace deletion and default ServiceAccounts against the in-process API server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { remainingMessage } from './index.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50 });

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['namespace', 'serviceaccount'] });
});
afterAll(() => cp?.stop());

describe('namespace controller', () => {
  it('formats what remains as upstream', () => {
    expect(remainingMessage([['pods', 2], ['configmaps', 1]])).toBe('Some resources are remaining: pods has 2 resource instances, configmaps has 1 resource instances');
  });

  it('empties a deleted namespace (Terminating meanwhile), then the namespace disappears', async () => {
    await cp.client.namespaces.create({ metadata: { name: 'doomed' } });
    await cp.client.configMaps.inNamespace('doomed').create({ metadata: { name: 'c' } });
    await cp.client.pods.inNamespace('doomed').create({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } } as Pod);
    await cp.client.namespaces.delete('doomed');
    const during = await cp.client.namespaces.get('doomed').catch(() => undefined);
    if (during) expect(during.status?.phase).toBe('Terminating');
    await until('namespace gone', async () => cp.client.namespaces.get('doomed').then(() => false, () => true));
  });
});

describe('serviceaccount controller', () => {
  it('creates a default ServiceAccount in new namespaces and recreates it when deleted', async () => {
    await cp.client.namespaces.create({ metadata: { name: 'fresh' } });
    await until('default SA', async () => cp.client.serviceAccounts.inNamespace('fresh').get('default').then(() => true, () => false));
    await cp.client.serviceAccounts.inNamespace('fresh').delete('default');
    await until('default SA again', async () => cp.client.serviceAccounts.inNamespace('fresh').get('default').then((sa) => !sa.metadata.deletionTimestamp, () => false));
  });
});
