/** The scheduling framework: statuses, cycle state, node/pod info, extension points, registry. */
export * from './status.ts';
export * from './cycle-state.ts';
export * from './types.ts';
export * from './resource.ts';
export * from './host-ports.ts';
export * from './pod-info.ts';
export * from './node-info.ts';
export * from './events.ts';
export * from './interfaces.ts';
export * from './handle.ts';
export * from './registry.ts';
export * from './fit-error.ts';
export * from './config.ts';
