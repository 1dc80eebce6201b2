/** Pure helpers about PersistentVolumeClaims and PersistentVolumes shared by the control plane's components. */
export * from './claims.ts';
export * from './pod-claims.ts';
