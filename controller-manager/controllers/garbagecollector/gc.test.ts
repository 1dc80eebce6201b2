/**
 * The garbage collector against the in-process API server: background cascade, foreground
 * (owner stays until blocking dependents are gone), orphan (dependents detached and kept),
 * dangling owner uid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap } from '../../../pkg/api/core/v1/configmap.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { BUILTIN_COORDINATES } from '../../../pkg/client/index.ts';

let cp: TestControlPlane;
const NS = 'gc-test';
const cms = () => cp.client.configMaps.inNamespace(NS);

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50 });
const gone = (name: string) => cms().get(name).then(() => false, () => true);

async function family(prefix: string, block = true): Promise<ConfigMap> {
  const owner = await cms().create({ metadata: { name: `${prefix}-owner` } });
  for (const i of [1, 2]) {
    await cms().create({ metadata: { name: `${prefix}-child-${i}`, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name as string, uid: owner.metadata.uid as string, blockOwnerDeletion: block }] } });
  }
  return owner;
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['garbagecollector'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
});
afterAll(() => cp?.stop());

describe('garbage collector', () => {
  it('background: dependents go after their owner', async () => {
    await family('bg');
    await cms().delete('bg-owner');
    await until('children collected', async () => (await gone('bg-child-1')) && (await gone('bg-child-2')));
  });

  it('foreground: the owner stays (deletionTimestamp, finalizer) until its dependents are gone', async () => {
    await family('fg');
    await cms().delete('fg-owner', { propagationPolicy: 'Foreground' });
    await until('children collected', async () => (await gone('fg-child-1')) && (await gone('fg-child-2')));
    await until('owner gone', () => gone('fg-owner'));
  });

  it('orphan: dependents lose the reference and stay', async () => {
    await family('or');
    await cms().delete('or-owner', { propagationPolicy: 'Orphan' });
    await until('owner gone', () => gone('or-owner'));
    for (const name of ['or-child-1', 'or-child-2']) expect((await cms().get(name)).metadata.ownerReferences).toBeUndefined();
  });

  it("a deleted Node's CSINode (owned by the Node, as the kubelet creates it) is collected", async () => {
    const node = await cp.client.nodes.create({ metadata: { name: 'gc-node' } } as never);
    const csiNodes = cp.client.resource(BUILTIN_COORDINATES.csiNodes);
    await csiNodes.create({ metadata: { name: 'gc-node', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'gc-node', uid: node.metadata.uid as string }] }, spec: { drivers: [] } } as never);
    await cp.client.nodes.delete('gc-node');
    await until('CSINode collected', () => csiNodes.get('gc-node').then(() => false, () => true));
  });

  it('a reference to an owner uid that never existed is dangling: the dependent is collected', async () => {
    await cms().create({ metadata: { name: 'dangling', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' }] } });
    await until('dangling collected', () => gone('dangling'));
  });
});
