/**
 * The `service-cidr-controller` (upstream pkg/controller/servicecidrs; kube-controller-manager
 * names it `service-cidr-controller` and runs it as the service account / role
 * `service-cidrs-controller`): every ServiceCIDR gets
 * the `networking.k8s.io/service-cidr-finalizer` and a Ready=True condition; a deleting one keeps
 * the finalizer, with Ready=False reason Terminating, while an allocator-made IPAddress lies in
 * it and in no other ServiceCIDR ({@link canDeleteServiceCIDR}), and loses it once that is no
 * longer so and a 10 s grace period has passed since the deletion (so API servers stop
 * allocating from it first). IPAddress and ServiceCIDR changes re-check the deleting ones.
 */
import type { IPAddress } from '../../../pkg/api/networking/v1/ipaddress.ts';
import { SERVICE_CIDR_FINALIZER, type ServiceCIDR } from '../../../pkg/api/networking/v1/servicecidr.ts';
import { BUILTIN_COORDINATES as C, type Client } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import {
  addFinalizer, newControllerBuilder, removeFinalizer, type ReconcileContext, type ReconcileRequest, type Reconciler, type Result,
} from '../../../pkg/runtime/index.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { canDeleteServiceCIDR, DELETION_GRACE_MS, deletingServiceCIDRs, desiredReadyCondition, sameReady } from './decide.ts';

export const CONTROLLER_NAME = 'service-cidr-controller';

/** Level-based: reads the cached ServiceCIDR and IPAddresses, writes finalizer and Ready condition; errors are retried. */
export class ServiceCIDRReconciler implements Reconciler {
  constructor(private readonly deps: { client: Client; serviceCIDRs: Lister<ServiceCIDR>; ipAddresses: Lister<IPAddress>; clock: Clock; graceMs?: number }) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const sc = this.deps.serviceCIDRs.get(req.name);
    if (!sc) return;
    const api = this.deps.client.resource<ServiceCIDR>(C.serviceCIDRs);
    try {
      if (!sc.metadata.deletionTimestamp) {
        await addFinalizer(api, sc, SERVICE_CIDR_FINALIZER);
        return await this.writeReady(sc, true);
      }
      const canDelete = canDeleteServiceCIDR(sc, this.deps.serviceCIDRs.list(), this.deps.ipAddresses.list());
      if (!canDelete) {
        ctx.log.info({ serviceCIDR: req.name }, 'deleting ServiceCIDR blocked by IP addresses');
        return await this.writeReady(sc, false);
      }
      const wait = (this.deps.graceMs ?? DELETION_GRACE_MS) - (this.deps.clock.now() - Date.parse(sc.metadata.deletionTimestamp));
      if (wait > 0) return { requeueAfterMs: wait };
      await removeFinalizer(api, sc, SERVICE_CIDR_FINALIZER);
      ctx.log.info({ serviceCIDR: req.name }, 'removed service-cidr finalizer');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async writeReady(sc: DeepReadonly<ServiceCIDR>, canDelete: boolean): Promise<void> {
    const desired = desiredReadyCondition(sc, canDelete);
    if (!desired || sameReady(sc, desired)) return;
    const others = (sc.status?.conditions ?? []).filter((c) => c.type !== desired.type);
    const condition = { ...desired, lastTransitionTime: rfc3339(this.deps.clock.now()) };
    const status = { conditions: [...others, condition] };
    await this.deps.client.resource<ServiceCIDR>(C.serviceCIDRs).patch(sc.metadata.name ?? '', { status }, { type: 'merge', subresource: 'status' });
  }
}

export const serviceCIDRsController: ControllerDescriptor = {
  name: CONTROLLER_NAME,
  enabledByDefault: true,
  register({ manager, settings }) {
    const serviceCIDRs = manager.lister<ServiceCIDR>(C.serviceCIDRs);
    const recheck = () => deletingServiceCIDRs(serviceCIDRs.list()).map((name) => ({ namespace: '', name }));
    newControllerBuilder(manager, CONTROLLER_NAME)
      .for(C.serviceCIDRs)
      .watches(C.serviceCIDRs, recheck)
      .watches(C.ipAddresses, recheck)
      .complete(new ServiceCIDRReconciler({ client: manager.client, serviceCIDRs, ipAddresses: manager.lister<IPAddress>(C.ipAddresses), clock: manager.clock, graceMs: settings.serviceCIDRDeletionGraceMs }));
  },
};
