/**
 * Follows the objects under a storage prefix (the CRD controller, the aggregator): one list,
 * then a watch from its revision, relisting when the history is compacted, until the signal
 * aborts. The callback gets each object that changed (the previous state for a deletion); when
 * it throws, the failure is logged and the watch starts again from the last revision a second
 * later (the change is delivered again).
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../pkg/api/meta.ts';
import { StorageError, type Storage } from '../pkg/storage/types.ts';

/** What {@link followPrefix} tells its caller. */
export interface FollowHandlers {
  /** Every object of a (re)list. */
  listed(items: KubeObject[]): void | Promise<void>;
  /** One change; `deleted` with the object as it was. */
  changed(obj: KubeObject, deleted: boolean): void | Promise<void>;
}

/** Lists once (awaited), then watches in the background; resolves with the watch loop's promise. */
export async function followPrefix(options: { storage: Storage; prefix: string; signal: AbortSignal; log: Pick<Logger, 'error'>; handlers: FollowHandlers }): Promise<{ done: Promise<void> }> {
  const { storage, prefix, signal, handlers } = options;
  const list = await storage.list(prefix);
  await handlers.listed(list.items);
  const loop = async (): Promise<void> => {
    let revision = list.revision;
    while (!signal.aborted) {
      try {
        for await (const ev of storage.watch(prefix, revision, signal)) {
          revision = ev.revision;
          await handlers.changed(ev.type === 'DELETED' ? (ev.prevObject ?? ev.object) : ev.object, ev.type === 'DELETED');
        }
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof StorageError && err.code === 'Expired') {
          const again = await storage.list(prefix).catch(() => undefined);
          if (again) {
            await handlers.listed(again.items);
            revision = again.revision;
          }
        } else options.log.error({ err, prefix }, 'watch failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  return { done: loop() };
}
