/**
 * Selector filtering of watch events with upstream's transition rules (cacher `filterWithAttrsAndPrefixFunction`
 * + watch `Filter`): an object that stops matching is reported DELETED, one that starts matching ADDED.
 * Pure.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { WatchEventType } from '../../pkg/storage/types.ts';

export interface FilteredEvent {
  type: WatchEventType;
  object: KubeObject;
}

export function filterEvent(
  event: { type: WatchEventType; object: KubeObject; prevObject?: KubeObject },
  matches: (obj: KubeObject) => boolean,
): FilteredEvent | undefined {
  switch (event.type) {
    case 'ADDED':
      return matches(event.object) ? { type: 'ADDED', object: event.object } : undefined;
    case 'DELETED': {
      const last = event.prevObject ?? event.object;
      return matches(last) ? { type: 'DELETED', object: event.object } : undefined;
    }
    case 'MODIFIED': {
      const now = matches(event.object);
      const before = event.prevObject ? matches(event.prevObject) : false;
      if (now && before) return { type: 'MODIFIED', object: event.object };
      if (now) return { type: 'ADDED', object: event.object };
      if (before) return { type: 'DELETED', object: event.object };
      return undefined;
    }
  }
}
