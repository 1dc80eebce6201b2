export * from './types.ts';
export { MemoryStorage, type MemoryStorageOptions } from './memory.ts';
export { encodeObject, decodeObject } from './codec.ts';
