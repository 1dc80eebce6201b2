import { startTestControlPlane } from './pkg/testing/control-plane.ts';
const cp = await startTestControlPlane({ controllers: true });
console.log(cp.kubeconfigPath);
await new Promise((r) => setTimeout(r, 20 * 60_000));
await cp.stop();
