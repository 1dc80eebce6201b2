/**
 * `k8ts/testing`: an in-process control plane for reconciler tests, and a throw-away etcd.
 */
export { startTestControlPlane, type TestControlPlane, type TestControlPlaneOptions } from './control-plane.ts';
export { startEtcd, type EtcdProcess, type StartEtcdOptions } from './etcd-process.ts';
export { waitFor, type WaitOptions } from './wait.ts';
