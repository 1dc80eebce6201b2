/**
 * Well-known Node labels (upstream k8s.io/api/core/v1 well_known_labels.go) that more than one
 * component reads: the scheduler's topology spreading, the endpoint controller's zones and
 * topology hints, the proxy's own zone, the node lifecycle controller's zone health.
 */

/** The node's failure zone (upstream `LabelTopologyZone`). */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
/** The node's region (upstream `LabelTopologyRegion`). */
export const LABEL_TOPOLOGY_REGION = 'topology.kubernetes.io/region';
/** The node's hostname (upstream `LabelHostname`). */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
