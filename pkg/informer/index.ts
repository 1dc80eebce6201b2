/**
 * Informers: reflector (list + watch, relist on 410), frozen indexed cache, shared informers
 * with event handlers, a factory sharing them per resource and scope, and read-only listers.
 */
export { deepFreeze, type DeepReadonly } from './deep-readonly.ts';
export { keyOf, NAMESPACE_INDEX, namespaceIndexFunc, Store, type IndexFunc, type Indexers, type ReadonlyStore } from './store.ts';
export { newLister, type Lister, type SelectorInput } from './lister.ts';
export { listerWatcherFor, type InformerScope, type ListerWatcher, type ListPageOptions, type WatchStartOptions } from './lister-watcher.ts';
export { Reflector, type ReflectorOptions, type ReflectorSink } from './reflector.ts';
export {
  DefaultSharedInformer,
  DeletedFinalStateUnknown,
  deletedObject,
  newSharedInformer,
  type EventHandler,
  type HandlerRegistration,
  type SharedInformer,
  type SharedInformerOptions,
} from './shared-informer.ts';
export { informerKey, SharedInformerFactory, type SharedInformerFactoryOptions } from './factory.ts';
