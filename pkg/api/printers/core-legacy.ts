/**
 * core/v1 ReplicationController, PodTemplate and ComponentStatus printers (upstream
 * printReplicationController / printPodTemplate / printComponentStatus).
 */
import { ageColumn, col, nameColumn, templateColumns } from './columns.ts';
import { age, arr, containersAndImages, formatLabels, get, num, str } from './format.ts';
import type { Printer } from './printer.ts';

export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', 0, 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller'),
    col('Current', 'integer', 0, 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller'),
    col('Ready', 'integer', 0, 'The number of ready replicas for this replication controller.'),
    ageColumn,
    ...templateColumns,
    col('Selector', 'string', 1, 'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
  ],
  row(rc, now) {
    const [containers, images] = containersAndImages(get(rc, 'spec', 'template', 'spec'));
    return [rc.metadata.name ?? '', num(get(rc, 'spec', 'replicas')), num(get(rc, 'status', 'replicas')), num(get(rc, 'status', 'readyReplicas')), age(rc, now), containers, images, formatLabels(get(rc, 'spec', 'selector'))];
  },
};

export const podTemplatePrinter: Printer = {
  columns: [
    nameColumn,
    col('Containers', 'string', 0, 'Names of each container in the template.'),
    col('Images', 'string', 0, 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 0, 'The labels for the pod template.'),
  ],
  row(pt) {
    const [containers, images] = containersAndImages(get(pt, 'template', 'spec'));
    return [pt.metadata.name ?? '', containers, images, formatLabels(get(pt, 'template', 'metadata', 'labels'))];
  },
};

export const componentStatusPrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 0, 'Status of the component conditions'),
    col('Message', 'string', 0, 'Message of the component conditions'),
    col('Error', 'string', 0, 'Error of the component conditions'),
  ],
  row(cs) {
    // The first Healthy condition decides; Unknown without one.
    const healthy = arr(get(cs, 'conditions')).find((c) => c.type === 'Healthy');
    const status = !healthy ? 'Unknown' : healthy.status === 'True' ? 'Healthy' : 'Unhealthy';
    return [cs.metadata.name ?? '', status, str(healthy?.message), str(healthy?.error)];
  },
};
