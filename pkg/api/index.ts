export * from './meta.ts';
export * from './resource.ts';
export * from './registry.ts';
