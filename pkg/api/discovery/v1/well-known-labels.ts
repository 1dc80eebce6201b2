/** The EndpointSlice labels upstream defines (k8s.io/api discovery/v1 well_known_labels.go). */

/** Names the Service (or mirrored Endpoints) a slice belongs to. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

/** Names the controller that writes a slice. */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
