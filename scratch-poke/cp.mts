import { startTestControlPlane } from '../pkg/testing/index.ts';
const cp = await startTestControlPlane({ controllers: true });
console.log('KUBECONFIG', cp.kubeconfigPath);
await new Promise(() => {});
