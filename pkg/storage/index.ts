export * from './types.ts';
export { MemoryStorage, type MemoryStorageOptions } from './memory.ts';
export { Etcd3Storage, createEtcd3Storage, type Etcd3StorageOptions, type CreateEtcd3StorageOptions } from './etcd3.ts';
export { encodeObject, decodeObject } from './codec.ts';
export { createIfAbsent } from './create-if-absent.ts';
export { startEtcdCompactor, DEFAULT_ETCD_COMPACTION_INTERVAL_MS } from './etcd3-compactor.ts';
