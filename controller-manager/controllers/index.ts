/**
 * Every built-in controller, in start order. `--controllers` selects among these.
 */
import { daemonsetController } from './daemonset/index.ts';
import { jobController } from './job/index.ts';
import { ttlAfterFinishedController } from './ttlafterfinished/index.ts';
import { cronJobController } from './cronjob/index.ts';
import { deploymentController } from './deployment/index.ts';
import { endpointsController } from './endpoints/index.ts';
import { endpointSliceMirroringController } from './endpointslicemirroring/index.ts';
import { garbageCollectorController } from './garbagecollector/index.ts';
import { namespaceController } from './namespace/index.ts';
import { nodeIpamController } from './nodeipam/index.ts';
import { podGcController } from './podgc/index.ts';
import { nodeLifecycleController, taintEvictionController } from './nodelifecycle/index.ts';
import { replicasetController } from './replicaset/index.ts';
import { replicationControllerController } from './replicationcontroller/index.ts';
import { serviceAccountController } from './serviceaccount/index.ts';
import { statefulsetController } from './statefulset/index.ts';
import { serviceAccountTokenController } from './serviceaccount-token/index.ts';
import { bootstrapSignerController, tokenCleanerController } from './bootstrap/index.ts';
import { csrApprovingController, csrSigningController } from './certificates/index.ts';
import { clusterRoleAggregationController } from './clusterrole-aggregation/index.ts';
import { rootCaCertPublisherController } from './rootcacertpublisher/index.ts';
import { disruptionController } from './disruption/index.ts';
import { hostpathProvisionerController } from './hostpath-provisioner/index.ts';
import { persistentVolumeBinderController } from './persistentvolume/index.ts';
import { pvcProtectionController } from './pvc-protection/index.ts';
import { pvProtectionController } from './pv-protection/index.ts';
import { ephemeralVolumeController } from './ephemeral-volume/index.ts';
import { resourceQuotaController } from './resourcequota/index.ts';
import { horizontalPodAutoscalingController } from './horizontalpodautoscaling/index.ts';
import { validatingAdmissionPolicyStatusController } from './validatingadmissionpolicy-status/index.ts';
import { serviceCIDRsController } from './servicecidrs/index.ts';
import type { ControllerDescriptor } from './types.ts';

export const BUILTIN_CONTROLLERS: readonly ControllerDescriptor[] = [replicasetController, replicationControllerController, deploymentController, daemonsetController, statefulsetController, garbageCollectorController, namespaceController, serviceAccountController, serviceAccountTokenController, endpointsController, endpointSliceMirroringController, nodeIpamController, nodeLifecycleController, taintEvictionController, podGcController, csrApprovingController, csrSigningController, rootCaCertPublisherController, bootstrapSignerController, tokenCleanerController, clusterRoleAggregationController, jobController, cronJobController, ttlAfterFinishedController, persistentVolumeBinderController, hostpathProvisionerController, pvcProtectionController, pvProtectionController, ephemeralVolumeController, disruptionController,
  resourceQuotaController, horizontalPodAutoscalingController, validatingAdmissionPolicyStatusController, serviceCIDRsController];
