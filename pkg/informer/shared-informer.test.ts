import { afterEach, describe, expect, it } from 'vitest';
import type { KubeList, KubeObject } from '../api/meta.ts';
import { ApiError, expired, tooManyRequests } from '../errors/index.ts';
import { FakeClock } from '../workqueue/index.ts';
import { FakeListerWatcher, until } from './fake-lister-watcher.ts';
import { DeletedFinalStateUnknown, newSharedInformer, type SharedInformer } from './shared-informer.ts';

const cm = (name: string, rv: string, data: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'ns', name, resourceVersion: rv }, data });
const list = (rv: string, items: KubeObject[], cont?: string): KubeList => ({ apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: rv, continue: cont }, items });

let stop: AbortController;
let running: Promise<void> | undefined;
afterEach(async () => {
  stop?.abort();
  await running;
});

function setup(options: { resyncPeriodMs?: number } = {}) {
  const lw = new FakeListerWatcher<KubeObject>();
  const clock = new FakeClock();
  const informer: SharedInformer<KubeObject> = newSharedInformer({ listerWatcher: lw, clock, name: 'configmaps', reflector: { random: () => 0.5 }, ...options });
  const log: string[] = [];
  informer.addEventHandler({
    onAdd: (o, initial) => log.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}${initial ? ' (initial)' : ''}`),
    onUpdate: (a, b) => log.push(`update ${b.metadata.name} ${a.metadata.resourceVersion}→${b.metadata.resourceVersion}`),
    onDelete: (o) => log.push(o instanceof DeletedFinalStateUnknown ? `delete-unknown ${o.key}` : `delete ${o.metadata.name}@${o.metadata.resourceVersion}`),
  });
  stop = new AbortController();
  const start = () => {
    running = informer.run(stop.signal);
  };
  return { lw, clock, informer, log, start };
}

describe('SharedInformer with a scripted lister/watcher', () => {
  it('lists at rv 0, syncs, then watches from the list version with bookmarks and a randomized timeout', async () => {
    const { lw, informer, log, start } = setup();
    lw.queueList(list('10', [cm('a', '5'), cm('b', '7')]));
    lw.queueWatch({ events: [{ type: 'ADDED', object: cm('c', '11') }, { type: 'MODIFIED', object: cm('a', '12') }, { type: 'DELETED', object: cm('b', '13') }], then: 'hang' });
    const synced = informer.waitForSync();
    start();
    expect(await synced).toBe(true);
    await until(() => log.length === 5, 'watch events');
    expect(log).toEqual(['add a@5 (initial)', 'add b@7 (initial)', 'add c@11', 'update a 5→12', 'delete b@13']);
    expect(lw.listCalls[0]).toMatchObject({ resourceVersion: '0', limit: undefined });
    expect(lw.watchCalls[0]).toMatchObject({ resourceVersion: '10', allowWatchBookmarks: true, timeoutSeconds: 450 });
    expect(informer.lister().list().map((o) => o.metadata.name)).toEqual(['a', 'c']);
    expect(informer.lastSyncResourceVersion()).toBe('13');
  });

  it('rewatches from the last seen version (bookmarks included) when a watch closes', async () => {
    const { lw, informer, start } = setup();
    lw.queueList(list('10', []));
    lw.queueWatch({ events: [{ type: 'ADDED', object: cm('a', '11') }, { type: 'BOOKMARK', object: { metadata: { resourceVersion: '20' } } }], then: 'close' });
    lw.queueWatch({ events: [], then: 'hang' });
    start();
    await until(() => lw.watchCalls.length === 2, 'second watch');
    expect(lw.watchCalls[1].resourceVersion).toBe('20');
    expect(lw.listCalls).toHaveLength(1);
    expect(informer.lister().get('ns/a')).toBeDefined();
  });

  it('relists with a quorum read after 410 Expired and reports vanished objects as DeletedFinalStateUnknown', async () => {
    const { lw, log, start } = setup();
    lw.queueList(list('10', [cm('a', '5'), cm('b', '6')]));
    lw.queueWatch({ events: [{ type: 'ERROR', object: expired('too old resource version: 10 (50)').toStatus() }], then: 'close' });
    lw.queueList(list('60', [cm('a', '55')]));
    lw.queueWatch({ events: [], then: 'hang' });
    start();
    await until(() => lw.watchCalls.length === 2, 'rewatch after relist');
    expect(lw.listCalls[1]).toMatchObject({ resourceVersion: '', limit: 500 });
    expect(lw.watchCalls[1].resourceVersion).toBe('60');
    expect(log).toEqual(['add a@5 (initial)', 'add b@6 (initial)', 'update a 5→55', 'delete-unknown ns/b']);
  });

  it('relists when the watch request itself answers 410', async () => {
    const { lw, start } = setup();
    lw.queueList(list('10', []));
    lw.queueWatch({ fail: new ApiError({ code: 410, reason: 'Expired', message: 'too old' }) });
    lw.queueList(list('70', []));
    lw.queueWatch({ events: [], then: 'hang' });
    start();
    await until(() => lw.watchCalls.length === 2, 'rewatch');
    expect(lw.listCalls.map((c) => c.resourceVersion)).toEqual(['0', '']);
    expect(lw.watchCalls[1].resourceVersion).toBe('70');
  });

  it('backs off on the clock after a list error, then retries', async () => {
    const { lw, clock, informer, start } = setup();
    lw.queueList(new ApiError({ code: 500, reason: 'InternalError', message: 'boom' }));
    start();
    await until(() => clock.pendingTimers() === 1, 'backoff timer');
    expect(clock.pendingDelays()[0]).toBe(1200);
    expect(informer.hasSynced()).toBe(false);
    lw.queueList(list('10', [cm('a', '5')]));
    lw.queueWatch({ events: [], then: 'hang' });
    clock.step(1200);
    await until(() => informer.hasSynced(), 'sync after retry');
    expect(lw.listCalls).toHaveLength(2);
  });

  it('retries the watch (not the list) after 429', async () => {
    const { lw, clock, start } = setup();
    lw.queueList(list('10', []));
    lw.queueWatch({ fail: tooManyRequests('slow down') });
    lw.queueWatch({ events: [], then: 'hang' });
    start();
    await until(() => clock.pendingTimers() === 1, 'backoff timer');
    clock.step(clock.pendingDelays()[0]);
    await until(() => lw.watchCalls.length === 2, 'rewatch');
    expect(lw.listCalls).toHaveLength(1);
    expect(lw.watchCalls[1].resourceVersion).toBe('10');
  });

  it('follows continue tokens when listing after expiry', async () => {
    const { lw, informer, start } = setup();
    lw.queueList(list('10', [cm('a', '1')]));
    lw.queueWatch({ fail: expired('gone') });
    lw.queueList(list('', [cm('a', '20')], 'tok1'));
    lw.queueList(list('30', [cm('b', '21')]));
    lw.queueWatch({ events: [], then: 'hang' });
    start();
    await until(() => lw.watchCalls.length === 2, 'rewatch');
    expect(lw.listCalls[2]).toMatchObject({ continue: 'tok1', limit: 500 });
    expect(lw.watchCalls[1].resourceVersion).toBe('30');
    expect(informer.lister().list().map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)).toEqual(['a@20', 'b@21']);
  });

  it('replays the cache to a late handler and resyncs on the clock', async () => {
    const { lw, clock, informer, start } = setup({ resyncPeriodMs: 30_000 });
    lw.queueList(list('10', [cm('a', '5')]));
    lw.queueWatch({ events: [], then: 'hang' });
    start();
    await informer.waitForSync();
    const late: string[] = [];
    informer.addEventHandler({ onAdd: (o, initial) => late.push(`add ${o.metadata.name} ${initial}`), onUpdate: (a, b) => late.push(`resync ${a === b}`) });
    expect(late).toEqual(['add a true']);
    clock.step(30_000);
    expect(late).toEqual(['add a true', 'resync true']);
  });

  it('hands out frozen objects and waitForSync gives false on abort', async () => {
    const { lw, informer, start } = setup();
    const ac = new AbortController();
    const waiting = informer.waitForSync(ac.signal);
    ac.abort();
    expect(await waiting).toBe(false);
    lw.queueList(list('10', [cm('a', '5', { k: 'v' })]));
    lw.queueWatch({ events: [], then: 'hang' });
    start();
    await informer.waitForSync();
    const a = informer.lister().get('ns/a')!;
    expect(Object.isFrozen(a.data)).toBe(true);
  });

  it('a throwing handler does not stop delivery to others', async () => {
    const { lw, informer, log, start } = setup();
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('bad handler');
      },
    });
    lw.queueList(list('10', [cm('a', '5')]));
    lw.queueWatch({ events: [{ type: 'ADDED', object: cm('b', '11') }], then: 'hang' });
    start();
    await until(() => log.length === 2, 'both adds');
    expect(log).toEqual(['add a@5 (initial)', 'add b@11']);
  });
});
