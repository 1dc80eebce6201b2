/**
 * The Website operator: for each Website it owns a Deployment and a Service named like it (both
 * with a controller ownerReference, so deleting the Website garbage-collects them) and writes
 * the Website's status (available replicas, in-cluster URL, a `Ready` condition).
 *
 * ```ts
 * const manager = new Manager({ client: createClient() });
 * registerWebsiteOperator(manager);
 * await manager.start(signal);
 * ```
 */
import type { Manager, Controller } from 'k8ts/runtime';
import { BUILTIN_COORDINATES as C } from 'k8ts/client';
import { isConflict, isNotFound } from 'k8ts/errors';
import type { DeepReadonly } from 'k8ts/informer';
import { newControllerBuilder, TerminalError } from 'k8ts/runtime';
import { deploymentMatches, desiredDeployment, desiredService, desiredStatus, isControlledByOther, serviceMatches, statusDiffers } from './desired.ts';
import { WEBSITES, type DeploymentLike, type ServiceLike, type Website } from './types.ts';

/** The field manager of every write (server-side apply and status). */
export const FIELD_MANAGER = 'website-operator';

/** Options of {@link registerWebsiteOperator}. */
export interface WebsiteOperatorOptions {
  /** Parallel reconciles (default 2). */
  maxConcurrentReconciles?: number;
  /** RFC 3339 "now" for condition transitions (default the wall clock, second precision). */
  now?: () => string;
}

function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * Adds the `website` controller to `manager`: it reconciles Websites and is triggered by
 * changes of the Deployments and Services they control. Call before or after `manager.start`.
 * A child of the same name controlled by something else is never taken over (terminal error).
 */
export function registerWebsiteOperator(manager: Manager, options: WebsiteOperatorOptions = {}): Controller {
  const websites = manager.lister<Website>(WEBSITES);
  const deployments = manager.lister<DeploymentLike>(C.deployments);
  const services = manager.lister<ServiceLike>(C.services);
  const recorder = manager.eventRecorder(FIELD_MANAGER);
  const now = options.now ?? rfc3339Now;
  const client = manager.client;

  return newControllerBuilder(manager, 'website')
    .for<Website>(WEBSITES)
    .owns<DeploymentLike>(C.deployments)
    .owns<ServiceLike>(C.services)
    .withMaxConcurrentReconciles(options.maxConcurrentReconciles ?? 2)
    .complete({
      async reconcile(req, { log, signal }) {
        const key = `${req.namespace}/${req.name}`;
        const website = websites.get(key);
        // Gone or going: the garbage collector removes the children through their ownerReferences.
        if (!website || website.metadata.deletionTimestamp) return;
        const uid = website.metadata.uid;
        const apply = { type: 'apply' as const, fieldManager: FIELD_MANAGER, force: true, namespace: req.namespace, signal };

        const wantDeployment = desiredDeployment(website);
        let deployment: DeploymentLike | DeepReadonly<DeploymentLike> | undefined = deployments.get(key);
        if (deployment && isControlledByOther(deployment, uid)) {
          recorder.event({ ...website, apiVersion: WEBSITES.group + '/v1', kind: 'Website' } as Website, 'Warning', 'ResourceConflict', `Deployment ${req.name} is controlled by another owner`);
          throw new TerminalError(`Deployment ${key} is controlled by another owner`);
        }
        if (!deploymentMatches(deployment, wantDeployment)) {
          deployment = await client.resource<DeploymentLike>(C.deployments).patch(req.name, wantDeployment, apply);
          log.info({ deployment: key }, 'applied Deployment');
        }

        const wantService = desiredService(website);
        const service = services.get(key);
        if (service && isControlledByOther(service, uid)) {
          recorder.event({ ...website, apiVersion: WEBSITES.group + '/v1', kind: 'Website' } as Website, 'Warning', 'ResourceConflict', `Service ${req.name} is controlled by another owner`);
          throw new TerminalError(`Service ${key} is controlled by another owner`);
        }
        if (!serviceMatches(service, wantService)) {
          await client.resource<ServiceLike>(C.services).patch(req.name, wantService, apply);
          log.info({ service: key }, 'applied Service');
        }

        const status = desiredStatus(website, deployment, now());
        if (!statusDiffers(website.status, status)) return;
        // Merge patch with the resourceVersion: a stale cache gets a 409 and a quiet requeue
        // (the watch brings the newer Website), never a lost update.
        try {
          await client
            .resource<Website>(WEBSITES)
            .patch(req.name, { metadata: { resourceVersion: website.metadata.resourceVersion }, status }, { type: 'merge', subresource: 'status', fieldManager: FIELD_MANAGER, namespace: req.namespace, signal });
        } catch (err) {
          if (isNotFound(err)) return;
          if (isConflict(err)) return { requeue: true };
          throw err;
        }
      },
    });
}
