export { bootstrapCluster, type BootstrapOptions, type BootstrapReport } from './bootstrap.ts';
export { SYSTEM_NAMESPACES, type ApiserverAddress } from './objects.ts';
