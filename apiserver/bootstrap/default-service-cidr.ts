/**
 * The default ServiceCIDR (upstream pkg/controlplane/controller/defaultservicecidr): the API
 * server keeps a ServiceCIDR named `kubernetes` holding `--service-cluster-ip-range`, creates it
 * when missing and sets its Ready condition when it has none (or Unknown). A stored one with
 * other CIDRs is left alone and reported (KubernetesDefaultServiceCIDRInconsistent), as upstream
 * does; a deleting one is the controller-manager's business.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../../pkg/api/meta.ts';
import {
  DEFAULT_SERVICE_CIDR_NAME, SERVICE_CIDR_CONDITION_READY, serviceCIDRReadyCondition, type ServiceCIDR,
} from '../../pkg/api/networking/v1/servicecidr.ts';
import { SERVICE_CIDRS } from '../admission/service-cidr-source.ts';
import type { EventSink } from '../admission/storage-events.ts';
import type { AdmissionContext } from '../admission/types.ts';
import type { NewObjectMeta } from './objects.ts';

/** Upstream's Ready message for the default ServiceCIDR. */
export const DEFAULT_SERVICE_CIDR_READY_MESSAGE = 'Kubernetes default Service CIDR is ready';

/** What to do with the stored default ServiceCIDR. Pure. */
export type DefaultServiceCIDRAction = 'create' | 'set-ready' | 'inconsistent' | 'none';

export function decideDefaultServiceCIDR(current: ServiceCIDR | undefined, cidrs: readonly string[]): DefaultServiceCIDRAction {
  if (!current) return 'create';
  if (current.metadata.deletionTimestamp) return 'none';
  const same = JSON.stringify(current.spec?.cidrs ?? []) === JSON.stringify(cidrs);
  if (!same) return 'inconsistent';
  const ready = serviceCIDRReadyCondition(current);
  return !ready || ready.status === 'Unknown' ? 'set-ready' : 'none';
}

/** The default ServiceCIDR as first written. */
export function defaultServiceCIDR(cidrs: readonly string[], meta: NewObjectMeta): ServiceCIDR {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'ServiceCIDR',
    metadata: { name: DEFAULT_SERVICE_CIDR_NAME, ...meta },
    spec: { cidrs: [...cidrs] },
  };
}

/** `status` with a Ready=True condition (other conditions kept). */
export function withReady(sc: KubeObject, now: string): KubeObject {
  const status = (sc.status ?? {}) as NonNullable<ServiceCIDR['status']>;
  const others = (status.conditions ?? []).filter((c) => c.type !== SERVICE_CIDR_CONDITION_READY);
  const ready = { type: SERVICE_CIDR_CONDITION_READY, status: 'True', lastTransitionTime: now, reason: '', message: DEFAULT_SERVICE_CIDR_READY_MESSAGE };
  return { ...sc, status: { ...status, conditions: [...others, ready] } };
}

/** One sync of the default ServiceCIDR; returns what it did. Safe from several servers at once. */
export async function ensureDefaultServiceCIDR(options: {
  ctx: AdmissionContext;
  cidrs: readonly string[];
  meta: () => NewObjectMeta;
  now: string;
  events: EventSink;
  logger: Logger;
}): Promise<DefaultServiceCIDRAction> {
  const { ctx, cidrs } = options;
  const key = ctx.keyFor(SERVICE_CIDRS, undefined, DEFAULT_SERVICE_CIDR_NAME);
  let action = 'none' as DefaultServiceCIDRAction;
  await ctx.storage.guaranteedUpdate(key, (current) => {
    action = decideDefaultServiceCIDR(current as ServiceCIDR | undefined, cidrs);
    if (action === 'create') return withReady(defaultServiceCIDR(cidrs, options.meta()), options.now);
    if (action === 'set-ready') return withReady(current!, options.now);
    return current!;
  });
  if (action === 'inconsistent') {
    const current = (await ctx.storage.get(key)) as ServiceCIDR;
    options.logger.warn({ serviceCIDR: current.spec?.cidrs, flags: cidrs }, 'default ServiceCIDR does not match --service-cluster-ip-range');
    await options.events({
      involved: current, type: 'Warning', reason: 'KubernetesDefaultServiceCIDRInconsistent', action: 'ServiceCIDRSync',
      message: `The default ServiceCIDR [${(current.spec?.cidrs ?? []).join(' ')}] does not match the controller flag configurations ${cidrs.join(',')}`,
    });
  }
  return action;
}
