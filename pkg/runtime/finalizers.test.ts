import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../testing/index.ts';
import { addFinalizer, hasFinalizer, removeFinalizer } from './finalizers.ts';

describe('finalizer helpers', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp?.stop());

  it('adds and removes a finalizer, keeping others; a stale object gets 409', async () => {
    const cms = cp.client.configMaps.inNamespace('default');
    const cm = await cms.create({ metadata: { name: 'f', finalizers: ['other.example.com/keep'] } });
    const added = await addFinalizer(cms, cm, 'example.com/cleanup');
    expect(added.metadata.finalizers).toEqual(['other.example.com/keep', 'example.com/cleanup']);
    expect(hasFinalizer(added, 'example.com/cleanup')).toBe(true);
    expect(await addFinalizer(cms, added, 'example.com/cleanup')).toBe(added);
    await expect(removeFinalizer(cms, cm, 'other.example.com/keep')).rejects.toMatchObject({ code: 409 });
    const removed = await removeFinalizer(cms, added, 'example.com/cleanup');
    expect(removed.metadata.finalizers).toEqual(['other.example.com/keep']);
    const last = await removeFinalizer(cms, removed, 'other.example.com/keep');
    expect(last.metadata.finalizers).toBeUndefined();
  });
});
