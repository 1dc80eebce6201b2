/** The API server plugin that runs the {@link ApfConfigController} for the server's lifetime. */
import { rfc3339 } from '../../pkg/util/time.ts';
import { storageKey } from '../handlers/objects.ts';
import type { ServerPlugin } from '../server.ts';
import { ApfConfigController } from './config-controller.ts';

export { ApfConfigController } from './config-controller.ts';

export const apfConfigPlugin: ServerPlugin = async (app, ctx) => {
  const controller = new ApfConfigController({
    storage: ctx.storage,
    keyFor: (info, namespace, name) => storageKey(info, namespace, name, ctx.keyPrefix),
    now: () => rfc3339(ctx.clock.now()),
    log: ctx.log.child({ component: 'apf-config' }),
  });
  await controller.start();
  app.addHook('onClose', () => controller.close());
};
