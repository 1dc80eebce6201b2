/**
 * The API server plugin that runs the {@link ApfConfigController} for the server's lifetime and
 * names, on every response, the FlowSchema and priority level the request was classified into
 * (upstream's `X-Kubernetes-PF-FlowSchema-UID` / `X-Kubernetes-PF-PriorityLevel-UID`, written as
 * Go's HTTP server canonicalises them). Classification only: nothing is queued or limited.
 */
import { randomUUID } from 'node:crypto';
import { UNSECURED_USER } from '../../pkg/auth/user.ts';
import { rfc3339 } from '../../pkg/util/time.ts';
import { requestAttributesOf } from '../request/parsed-request.ts';
import { storageKey } from '../handlers/objects.ts';
import type { ServerPlugin } from '../server.ts';
import { classify } from './classify.ts';
import { ApfConfigController } from './config-controller.ts';

export { ApfConfigController } from './config-controller.ts';

export const FLOW_SCHEMA_UID_HEADER = 'X-Kubernetes-Pf-Flowschema-Uid';
export const PRIORITY_LEVEL_UID_HEADER = 'X-Kubernetes-Pf-Prioritylevel-Uid';

export const apfConfigPlugin: ServerPlugin = async (app, ctx) => {
  const controller = new ApfConfigController({
    storage: ctx.storage,
    keyFor: (info, namespace, name) => storageKey(info, namespace, name, ctx.keyPrefix),
    now: () => rfc3339(ctx.clock.now()),
    log: ctx.log.child({ component: 'apf-config' }),
    newMeta: () => ({ uid: randomUUID(), creationTimestamp: rfc3339(ctx.clock.now()) }),
  });
  await controller.start();
  app.addHook('onClose', () => controller.close());
  // A callback hook (no promise per response); the attributes are the ones the guard computed.
  app.addHook('onSend', (request, reply, payload, done) => {
    const found = classify(controller.snapshot(), requestAttributesOf(request.raw, request.k8sUser ?? UNSECURED_USER));
    if (found) {
      reply.header(FLOW_SCHEMA_UID_HEADER, found.flowSchema.metadata.uid ?? '');
      reply.header(PRIORITY_LEVEL_UID_HEADER, found.priorityLevel.metadata.uid ?? '');
    }
    done(null, payload);
  });
};
