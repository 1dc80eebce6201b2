/** Deployment and ReplicaSet printers (upstream printDeployment / printReplicaSet). */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, containersAndImages, formatLabelSelector, get, num } from './format.ts';
import type { Printer } from './printer.ts';

const wide = [
  col('Containers', 'string', 1, 'Names of each container in the template.'),
  col('Images', 'string', 1, 'Images referenced by each container in the template.'),
  col('Selector', 'string', 1, 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
];

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 0, 'Number of the pod with ready state'),
    col('Up-to-date', 'integer', 0, 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'integer', 0, 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    ...wide,
  ],
  row(d, now) {
    const desired = num(get(d, 'spec', 'replicas'));
    const [containers, images] = containersAndImages(get(d, 'spec', 'template', 'spec'));
    return [d.metadata.name ?? '', `${num(get(d, 'status', 'readyReplicas'))}/${desired}`, num(get(d, 'status', 'updatedReplicas')), num(get(d, 'status', 'availableReplicas')), age(d, now), containers, images, formatLabelSelector(get(d, 'spec', 'selector'))];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', 0, 'Replicas is the number of desired replicas.'),
    col('Current', 'integer', 0, 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 0, 'The number of ready replicas for this replica set.'),
    ageColumn,
    ...wide,
  ],
  row(rs, now) {
    const [containers, images] = containersAndImages(get(rs, 'spec', 'template', 'spec'));
    return [rs.metadata.name ?? '', num(get(rs, 'spec', 'replicas')), num(get(rs, 'status', 'replicas')), num(get(rs, 'status', 'readyReplicas')), age(rs, now), containers, images, formatLabelSelector(get(rs, 'spec', 'selector'))];
  },
};
