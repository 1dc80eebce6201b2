import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { testKeyFor } from '../admission/admission-test-kit.ts';
import { ApfConfigController } from './config-controller.ts';

const FS = '/registry/flowcontrol.apiserver.k8s.io/flowschemas/';
const PL = '/registry/flowcontrol.apiserver.k8s.io/prioritylevelconfigurations/';

const flowSchema = (name: string, level: string) => ({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name }, spec: { priorityLevelConfiguration: { name: level }, matchingPrecedence: 500 } });
const level = (name: string) => ({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: { name }, spec: { type: 'Limited', limited: { nominalConcurrencyShares: 1, limitResponse: { type: 'Reject' } } } });

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  return read();
}

describe('ApfConfigController', () => {
  let controller: ApfConfigController | undefined;
  afterEach(async () => controller?.close());

  it('keeps FlowSchema Dangling conditions current as schemas and levels come and go', async () => {
    const storage = new MemoryStorage();
    await storage.create(`${FS}before`, flowSchema('before', 'gold'));
    let tick = 0;
    controller = new ApfConfigController({ storage, keyFor: testKeyFor, now: () => `2026-11-22T12:00:0${tick++}Z`, log: { error: () => undefined }, retryMs: 10, ensureEveryMs: 0, newMeta: () => ({ uid: 'u', creationTimestamp: 'T' }) });
    await controller.start();
    const condition = async (name: string) => ((await storage.get(`${FS}${name}`))?.status as { conditions?: Array<Record<string, string>> } | undefined)?.conditions?.[0];
    expect(await condition('before')).toMatchObject({ type: 'Dangling', status: 'True', reason: 'NotFound', lastTransitionTime: '2026-11-22T12:00:00Z' });

    await storage.create(`${PL}gold`, level('gold'));
    expect(await until(() => condition('before'), (c) => c?.status === 'False')).toMatchObject({
      status: 'False', reason: 'Found', message: 'This FlowSchema references the PriorityLevelConfiguration object named "gold" and it exists',
    });

    await storage.create(`${FS}after`, flowSchema('after', 'gold'));
    expect(await until(() => condition('after'), (c) => c !== undefined)).toMatchObject({ status: 'False', reason: 'Found' });

    await storage.delete(`${PL}gold`);
    expect(await until(() => condition('after'), (c) => c?.status === 'True')).toMatchObject({ status: 'True', reason: 'NotFound' });
    await controller.idle();
    const revision = await storage.currentRevision();
    await new Promise((r) => setTimeout(r, 30));
    await controller.idle();
    expect(await storage.currentRevision()).toBe(revision);
  });

  it('ensures the bootstrap configuration again periodically: a deleted mandatory object comes back', async () => {
    const storage = new MemoryStorage();
    let n = 0;
    controller = new ApfConfigController({
      storage, keyFor: testKeyFor, now: () => '2026-11-22T12:00:00Z', log: { error: () => undefined }, retryMs: 10, ensureEveryMs: 20,
      newMeta: () => ({ uid: `uid-${++n}`, creationTimestamp: '2026-11-22T12:00:00Z' }),
    });
    await controller.start();
    const catchAll = () => storage.get(`${FS}catch-all`);
    const first = await until(catchAll, (o) => o !== undefined);
    expect(first).toMatchObject({ metadata: { generation: 1, annotations: { 'apf.kubernetes.io/autoupdate-spec': 'true' } }, spec: { matchingPrecedence: 10000 } });
    await storage.delete(`${FS}catch-all`);
    const again = await until(catchAll, (o) => o !== undefined && o.metadata.uid !== first?.metadata.uid);
    expect(again?.spec).toEqual(first?.spec);
    expect(await until(async () => (await catchAll())?.status, (st) => st !== undefined)).toMatchObject({ conditions: [{ type: 'Dangling', status: 'False' }] });
  });
});
