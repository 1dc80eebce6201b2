/** Serving CustomResourceDefinitions: a server plugin that runs the {@link CrdController}. */
import type { ServerPlugin } from '../server.ts';
import { rfc3339 } from '../strategies/time.ts';
import { CrdController } from './crd-controller.ts';

export { CrdController } from './crd-controller.ts';
export { resourceInfosForCrd } from './resource-infos.ts';

/** Starts serving stored CRDs before the server answers, and stops when the app closes. */
export const crdServingPlugin: ServerPlugin = async (app, ctx) => {
  const controller = new CrdController({ storage: ctx.storage, registry: ctx.registry, keyPrefix: ctx.keyPrefix, log: ctx.log.child({ component: 'crd' }), now: () => rfc3339(ctx.clock.now()) });
  await controller.start();
  app.addHook('onClose', () => controller.close());
};
