/**
 * The label and annotation keys the EndpointSlice mirroring controller reads and writes, as
 * upstream names them (k8s.io/api discovery/v1 and core/v1 well-known keys).
 */
import { ENDPOINTS_LAST_CHANGE_TRIGGER_TIME } from '../../../pkg/api/core/v1/endpoints.ts';

/** `endpointslice.kubernetes.io/managed-by` value on every slice this controller owns. */
export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';

export { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../../pkg/api/discovery/v1/well-known-labels.ts';

/** On an Endpoints object, `"true"` opts it out of mirroring (the API server sets it on `default/kubernetes`). */
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';

/** client-go's leader-election record annotation: Endpoints carrying it are locks, not endpoints. */
export const ANNOTATION_LEADER_ELECTION = 'control-plane.alpha.kubernetes.io/leader';

/** Annotations of the Endpoints that are not copied onto its slices. */
export const ANNOTATIONS_NOT_MIRRORED: readonly string[] = [ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, 'kubectl.kubernetes.io/last-applied-configuration'];

/** Event reasons recorded on the Endpoints (upstream events.go). */
export const REASON_INVALID_IP = 'InvalidIPAddress';
export const REASON_TOO_MANY_ADDRESSES = 'TooManyAddressesToMirror';
